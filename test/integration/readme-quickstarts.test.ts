/**
 * The README's agent quickstarts, run exactly as written: each fenced block that follows a
 * `<!-- quickstart:NAME -->` marker is taken from README.md and run against a real Purser,
 * with only PURSER_KEY and PURSER_URL set, as the README says.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PURSER_BIN } from '../helpers/cli';
import { quickstarts } from '../helpers/readme';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { OwnerAnswer } from '../../shared/contract/owner';
import { startTestServer } from '../helpers/server';

vi.setConfig({ testTimeout: 60_000 });

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

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

/** `purser` on PATH, as after `npm link` (scripts do not see the README's alias). */
const bin = join(scratch, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'purser'), `#!/bin/sh\nexec "${process.execPath}" "${PURSER_BIN}" "$@"\n`);
chmodSync(join(bin, 'purser'), 0o755);
const withPurser = { PATH: `${bin}:${process.env.PATH ?? ''}` };

describe('README quickstarts', () => {
  const blocks = quickstarts(readme);

  it('has the quickstarts it promises', () => {
    expect([...blocks.keys()]).toEqual(
      expect.arrayContaining(['curl', 'typescript', 'shell', 'mcp']),
    );
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

  it('shell: the agent CLI spends and the script reads the outcome from the exit code', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const ran = await run('bash', ['-c', blocks.get('shell')?.code ?? 'false'], {
      ...withPurser,
      PURSER_KEY: key,
      PURSER_URL: t.url,
    });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('approved: go ahead');

    const broke = await t.newAgent({ name: 'broke', budget_cents: 100 });
    const declined = await run('bash', ['-c', blocks.get('shell')?.code ?? 'false'], {
      ...withPurser,
      PURSER_KEY: broke.key,
      PURSER_URL: t.url,
    });
    expect(declined.stdout).toContain('declined: do not buy');
  });

  it('MCP: the install commands write configs whose server an MCP client can use', async () => {
    const t = await startTestServer();
    const { agent } = await t.newAgent({ name: 'mcp-agent' });
    const home = join(scratch, 'home');
    mkdirSync(home, { recursive: true });
    const ran = await run('bash', ['-c', blocks.get('mcp')?.code ?? 'false'], {
      ...withPurser,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      PURSER_HOME: t.home,
      AGENT_ID: agent.id,
    });
    expect(ran.code, ran.stderr).toBe(0);
    const files = [
      join(home, '.claude.json'),
      join(home, '.config', 'Claude', 'claude_desktop_config.json'),
      join(home, '.cursor', 'mcp.json'),
    ];
    for (const file of files) {
      const config = JSON.parse(readFileSync(file, 'utf8')) as {
        mcpServers: { purser: { command: string; args: string[]; env: Record<string, string> } };
      };
      const entry = config.mcpServers.purser;
      const client = new Client({ name: 'readme-test', version: '1.0.0' });
      await client.connect(
        new StdioClientTransport({ command: entry.command, args: entry.args, env: entry.env }),
      );
      try {
        const tools = (await client.listTools()).tools.map((tool) => tool.name);
        expect(tools).toContain('request_spend');
        const result = (await client.callTool({
          name: 'request_spend',
          arguments: { amount_cents: 100, merchant_name: 'AWS', reason: `from ${file}` },
        })) as CallToolResult;
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        expect(result.structuredContent).toMatchObject({ status: 'approved' });
      } finally {
        await client.close();
      }
    }
  });
});
