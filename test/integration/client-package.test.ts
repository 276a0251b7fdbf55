/**
 * The README's TypeScript quickstart as an agent's project gets it: the client packed
 * (`npm run pack:client`), installed from the tarball into a fresh project outside the
 * checkout, and the snippet run as written with plain `node` (no tsx) and type-checked by
 * `tsc` under `module: nodenext` and under `moduleResolution: bundler`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OwnerAnswer } from '../../shared/contract/owner';
import { quickstarts } from '../helpers/readme';
import { startTestServer } from '../helpers/server';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const root = join(import.meta.dirname, '..', '..');
const snippet = quickstarts(readFileSync(join(root, 'README.md'), 'utf8')).get('typescript');
const project = mkdtempSync(join(tmpdir(), 'purser-agent-project-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      command,
      args,
      { cwd: project, env: { ...process.env, ...env }, timeout: 110_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const tsc = (config: string) =>
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config]);

/** A strict tsconfig of an agent's project; @types/node from this checkout. */
function tsconfig(name: string, options: Record<string, unknown>): string {
  const file = join(project, name);
  writeFileSync(
    file,
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        strict: true,
        noEmit: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        verbatimModuleSyntax: true,
        typeRoots: [join(root, 'node_modules', '@types')],
        types: ['node'],
        ...options,
      },
      files: ['agent.mts'],
    }),
  );
  return file;
}

describe('the client package, installed into an agent project outside the checkout', () => {
  beforeAll(async () => {
    expect(snippet?.lang).toBe('ts');
    const packed = await run(process.execPath, [join(root, 'electron/build/pack-client.mjs')]);
    expect(packed.code, packed.stderr).toBe(0);
    const tarball = packed.stdout.trim();
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'my-agent', private: true, type: 'module' }),
    );
    const installed = await run('npm', ['install', '--no-audit', '--no-fund', tarball]);
    expect(installed.code, installed.stderr).toBe(0);
    // The snippet as written, as JavaScript and as TypeScript.
    writeFileSync(join(project, 'agent.mjs'), snippet?.code ?? '');
    writeFileSync(join(project, 'agent.mts'), snippet?.code ?? '');
  });

  it('has no dependencies and nothing but the client', () => {
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules', 'purser', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(Object.keys(manifest.exports as object)).toEqual(['./client', './package.json']);
  });

  it('type-checks under module nodenext and under moduleResolution bundler', async () => {
    const nodenext = await tsc(tsconfig('tsconfig.nodenext.json', { module: 'nodenext' }));
    expect(nodenext.code, nodenext.stdout + nodenext.stderr).toBe(0);
    const bundler = await tsc(
      tsconfig('tsconfig.bundler.json', { module: 'esnext', moduleResolution: 'bundler' }),
    );
    expect(bundler.code, bundler.stdout + bundler.stderr).toBe(0);
  });

  it('a wrong call does not type-check (the types are real, not any)', async () => {
    writeFileSync(
      join(project, 'agent.mts'),
      `import { PurserClient } from 'purser/client';\n` +
        `const c = new PurserClient({ key: 'k' });\n` +
        `const r = await c.spend({ amount_cents: '12', merchant_name: 'AWS', reason: 'x' });\n` +
        `r.no_such_field;\n`,
    );
    const wrong = await tsc(tsconfig('tsconfig.wrong.json', { module: 'nodenext' }));
    writeFileSync(join(project, 'agent.mts'), snippet?.code ?? '');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/agent\.mts\(3,\d+\): error TS2322/);
    expect(wrong.stdout).toContain('no_such_field');
  });

  it('runs with plain node: spends, and waits for the owner when approval is needed', async () => {
    const t = await startTestServer();
    const quick = await t.newAgent({ name: 'quick' });
    const approved = await run(process.execPath, ['agent.mjs'], {
      PURSER_KEY: quick.key,
      PURSER_URL: t.url,
    });
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/^approved Spend request approved \d+\n$/);

    const careful = await t.newAgent({ name: 'careful', approval_threshold_cents: 1_000 });
    const waiting = run(process.execPath, ['agent.mjs'], {
      PURSER_KEY: careful.key,
      PURSER_URL: t.url,
    });
    let pending: OwnerAnswer<'listApprovals'>['spend_requests'] = [];
    for (let i = 0; i < 100 && pending.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      pending = (await t.call('listApprovals')).body.spend_requests;
    }
    expect(pending).toHaveLength(1);
    await t.owner('POST', `/admin/v1/spend-requests/${pending[0]?.id}/approve`, {});
    const decided = await waiting;
    expect(decided.code, decided.stderr).toBe(0);
    expect(decided.stdout).toContain('Waiting for the owner: http://127.0.0.1:');
    expect(decided.stdout).toContain('approved Approved by the owner');
  });
});
