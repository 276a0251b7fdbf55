/**
 * The README's agent quickstarts, run exactly as written: each fenced block that follows a
 * `<!-- quickstart:NAME -->` marker is taken from README.md and run against a real Purser,
 * with only PURSER_KEY and PURSER_URL set, as the README says.
 */
import { execFile, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
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
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { quickstarts } from '../helpers/readme';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startTestServer } from '../helpers/server';

vi.setConfig({ testTimeout: 60_000 });

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd = scratch,
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

// Outside the checkout, as an agent's folder would be. (The TypeScript quickstart is run
// from a packed install by client-package.test.ts.)
const scratch = mkdtempSync(join(tmpdir(), 'purser-quickstart-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * `purser` on PATH the way the README puts it there: `npm link` in the checkout, here into
 * a global prefix of the test's own so the machine's is left alone.
 */
const prefix = join(scratch, 'npm-global');
const linked = spawnSync('npm', ['link', '--no-audit', '--no-fund'], {
  cwd: root,
  env: { ...process.env, npm_config_prefix: prefix },
  encoding: 'utf8',
});
const withPurser = { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` };

describe('README quickstarts', () => {
  const blocks = quickstarts(readme);

  it('has the quickstarts it promises, and `npm link` put purser on PATH', () => {
    expect(linked.status, linked.stderr).toBe(0);
    expect(existsSync(join(prefix, 'bin', 'purser'))).toBe(true);
    expect([...blocks.keys()]).toEqual(
      expect.arrayContaining(['curl', 'typescript', 'shell', 'mcp', 'mcp-http', 'container']),
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

  it('shell: the agent CLI spends and the script reads the outcome from the exit code', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    // A script file, not an interactive shell: no alias reaches it, only PATH.
    const script = join(scratch, 'agent.sh');
    writeFileSync(script, `#!/bin/sh\n${blocks.get('shell')?.code ?? 'false'}`);
    chmodSync(script, 0o755);
    const ran = await run(script, [], {
      ...withPurser,
      PURSER_KEY: key,
      PURSER_URL: t.url,
    });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('approved: go ahead');

    const broke = await t.newAgent({ name: 'broke', budget_cents: 100 });
    const declined = await run(script, [], {
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

  it('MCP over HTTP: the configuration shown connects an MCP client to /mcp', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ name: 'mcp-http-agent' });
    const config = JSON.parse(blocks.get('mcp-http')?.code ?? '{}') as {
      mcpServers: { purser: { type: string; url: string; headers: Record<string, string> } };
    };
    const entry = config.mcpServers.purser;
    expect(entry.type).toBe('http');
    // The README's default address and placeholder key, made this test server's.
    const url = new URL(entry.url.replace('http://127.0.0.1:8402', t.url));
    const headers = Object.fromEntries(
      Object.entries(entry.headers).map(([name, value]) => [
        name,
        value.replace('psk_live_…', key),
      ]),
    );
    const client = new Client({ name: 'readme-http', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
    try {
      const result = (await client.callTool({
        name: 'request_spend',
        arguments: { amount_cents: 100, merchant_name: 'AWS', reason: 'from the README config' },
      })) as CallToolResult;
      expect(result.structuredContent).toMatchObject({ status: 'approved' });
    } finally {
      await client.close();
    }
  });
});
