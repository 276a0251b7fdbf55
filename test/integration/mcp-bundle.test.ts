/**
 * `purser mcp install --client claude-desktop --mcpb FILE` (electron/mcp/bundle.ts): the
 * bundle passes the mcpb tool's own checks (`@anthropic-ai/mcpb`: info, unpack, validate),
 * and its server, started the way Claude Desktop starts it (the manifest's command, args and
 * env with `${__dirname}` and `${user_config.…}` filled in), spends through a real Purser.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { startTestServer } from '../helpers/server';

const scratch = mkdtempSync(join(tmpdir(), 'purser-mcpb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const mcpb = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '@anthropic-ai',
  'mcpb',
  'dist',
  'cli',
  'cli.js',
);

function tool(args: string[]) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, [mcpb, ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

interface Manifest {
  server: { mcp_config: { command: string; args: string[]; env: Record<string, string> } };
  user_config: Record<string, { default?: string; sensitive?: boolean }>;
}

describe('the MCP Bundle for Claude Desktop', () => {
  it('is a valid .mcpb whose server spends as the agent, and holds a new key (0600)', async () => {
    const t = await startTestServer();
    const { agent } = await t.newAgent({ name: 'desktop-agent' });
    const file = join(scratch, 'purser.mcpb');
    const made = await runCli([
      '--home',
      t.home,
      '--json',
      'mcp',
      'install',
      '--client',
      'claude-desktop',
      '--agent',
      agent.id,
      '--mcpb',
      file,
    ]);
    expect(made.code, made.stderr).toBe(0);
    const report = JSON.parse(made.stdout) as { status: string; key_id: string };
    expect(report.status).toBe('bundled');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    expect((await tool(['info', file])).code).toBe(0);
    const unpacked = join(scratch, 'unpacked');
    const unpack = await tool(['unpack', file, unpacked]);
    expect(unpack.code, unpack.out).toBe(0);
    const validate = await tool(['validate', join(unpacked, 'manifest.json')]);
    expect(validate.code, validate.out).toBe(0);

    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.user_config.purser_key?.sensitive).toBe(true);
    const fill = (text: string) =>
      text
        .replaceAll('${__dirname}', unpacked)
        .replace(
          /\$\{user_config\.(\w+)\}/g,
          (_, name: string) => manifest.user_config[name]?.default ?? '',
        );
    const config = manifest.server.mcp_config;
    expect(config.command).toBe('node');
    const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: config.args.map(fill),
        // Claude Desktop's environment, not this shell's: only PATH and what the manifest sets.
        env: {
          PATH: process.env.PATH ?? '',
          ...Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, fill(v)])),
        },
      }),
    );
    try {
      const result = (await client.callTool({
        name: 'request_spend',
        arguments: { amount_cents: 300, merchant_name: 'AWS', reason: 'from the bundle' },
      })) as CallToolResult;
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ status: 'approved', amount_cents: 300 });
    } finally {
      await client.close();
    }
    const keys = await t.call('listKeys', { params: { id: agent.id } });
    expect(keys.body.keys.find((k) => k.id === report.key_id)?.label).toBe(
      'mcp:claude-desktop-bundle',
    );
  });

  it('is for Claude Desktop only', async () => {
    const t = await startTestServer();
    const { agent } = await t.newAgent();
    const wrong = await runCli([
      '--home',
      t.home,
      'mcp',
      'install',
      '--client',
      'cursor',
      '--agent',
      agent.id,
      '--mcpb',
      join(scratch, 'x.mcpb'),
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--client claude-desktop');
  });
});
