/**
 * The README's agent quickstarts, run exactly as written: each fenced block that follows a
 * `<!-- quickstart:NAME -->` marker is taken from README.md and run against a real Purser,
 * with only PURSER_KEY and PURSER_URL set, as the README says.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startTestServer } from '../helpers/server';

vi.setConfig({ testTimeout: 60_000 });

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The code of every marked block, by name. */
export function quickstarts(text: string): Map<string, { lang: string; code: string }> {
  const blocks = new Map<string, { lang: string; code: string }>();
  for (const m of text.matchAll(/<!-- quickstart:([\w-]+) -->\s*```(\w+)\n([\s\S]*?)```/g)) {
    blocks.set(m[1] ?? '', { lang: m[2] ?? '', code: m[3] ?? '' });
  }
  return blocks;
}

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd = root,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, ...env }, timeout: 50_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// Inside the checkout, so that `purser/client` resolves to this package itself.
const scratch = mkdtempSync(join(root, 'test', '.quickstart-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README quickstarts', () => {
  const blocks = quickstarts(readme);

  it('has the quickstarts it promises', () => {
    expect([...blocks.keys()]).toEqual(expect.arrayContaining(['curl', 'typescript']));
  });

  it('curl: asks to spend and is answered with the decision', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const block = blocks.get('curl');
    const result = await run('bash', ['-c', block?.code ?? 'false'], {
      PURSER_KEY: key,
      PURSER_URL: t.url,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'approved', amount_cents: 1200 });
  });

  it('TypeScript: the client spends, and waits for the owner when approval is needed', async () => {
    expect(
      existsSync(join(root, 'out', 'client', 'client', 'purser-client.js')),
      'npm run build makes the client',
    ).toBe(true);
    const t = await startTestServer();
    const file = join(scratch, 'agent.mts');
    writeFileSync(file, blocks.get('typescript')?.code ?? '');

    const quick = await t.newAgent({ name: 'quick' });
    const approved = await run(process.execPath, ['--import', 'tsx', file], {
      PURSER_KEY: quick.key,
      PURSER_URL: t.url,
    });
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/^approved Spend request approved \d+\n$/);

    const careful = await t.newAgent({ name: 'careful', approval_threshold_cents: 1_000 });
    const waiting = run(process.execPath, ['--import', 'tsx', file], {
      PURSER_KEY: careful.key,
      PURSER_URL: t.url,
    });
    let pending: Array<{ id: string }> = [];
    for (let i = 0; i < 100 && pending.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      pending = (
        await t.owner<{ spend_requests: Array<{ id: string }> }>('GET', '/admin/v1/approvals')
      ).body.spend_requests;
    }
    expect(pending).toHaveLength(1);
    await t.owner('POST', `/admin/v1/spend-requests/${pending[0]?.id}/approve`, {});
    const decided = await waiting;
    expect(decided.code, decided.stderr).toBe(0);
    expect(decided.stdout).toContain('Waiting for the owner: http://127.0.0.1:');
    expect(decided.stdout).toContain('approved Approved by the owner');
  });
});
