/**
 * `purser mcp install` as real processes against `purser serve`, on temporary
 * configuration files (`--config`) shaped like each client's: the merge keeps what is
 * there, the old file is backed up, a second run changes nothing and issues no key,
 * `--print` writes nothing, a broken file is refused untouched, the file is 0600.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { OwnerAnswer } from '../../shared/contract/owner';
import { PURSER_BIN, runCli, startServe, type ServeProcess } from '../helpers/cli';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

const serving: ServeProcess[] = [];
afterEach(async () => {
  for (const s of serving.splice(0)) await s.stop('SIGKILL');
  cleanupTmpDirs();
});

vi.setConfig({ testTimeout: 120_000 });

const json = <T>(text: string) => JSON.parse(text) as T;

interface Entry {
  command: string;
  args: string[];
  env: { PURSER_KEY: string; PURSER_URL: string };
}
/** What `keys list --json` prints: the owner API's list of an agent's keys. */
type Key = OwnerAnswer<'listKeys'>['keys'][number];

async function setup() {
  const home = tmpHome();
  const s = await startServe(home);
  serving.push(s);
  const owner = (args: string[]) => runCli(['--home', home, ...args]);
  const create = async (name: string) =>
    json<OwnerAnswer<'createAgent'>>(
      (await owner(['agents', 'create', '--name', name, '--mode', 'test', '--json'])).stdout,
    ).id;
  const agent = await create('claude');
  const keys = async (id = agent) =>
    json<Key[]>((await owner(['keys', 'list', id, '--json'])).stdout);
  const install = (args: string[]) => owner(['mcp', 'install', ...args]);
  // A folder of its own per test, so the backups are easy to count.
  const dir = join(dirname(home), 'client');
  mkdirSync(dir);
  return { home, s, owner, create, agent, keys, install, dir };
}

const backups = (file: string) =>
  readdirSync(dirname(file)).filter((name) => name.startsWith(`${basename(file)}.purser-backup-`));
const mode = (file: string) => statSync(file).mode & 0o777;

/** What each client's file holds besides our entry: other servers and unrelated keys. */
const EXISTING = {
  'claude-code': {
    numStartups: 12,
    projects: { '/work/app': { mcpServers: { local: { command: 'x' } } } },
    mcpServers: { github: { type: 'stdio', command: 'npx', args: ['gh-mcp'], env: {} } },
  },
  'claude-desktop': {
    mcpServers: { files: { command: 'npx', args: ['-y', 'fs-mcp', '/tmp'] } },
    globalShortcut: 'Alt+Space',
  },
  cursor: { mcpServers: { remote: { url: 'https://example.com/mcp' } } },
} as const;

describe('purser mcp install', () => {
  for (const client of ['claude-code', 'claude-desktop', 'cursor'] as const) {
    it(`${client}: merges, backs up, writes 0600, and a second run changes nothing`, async () => {
      const { s, agent, keys, install, dir } = await setup();
      const file = join(dir, `${client}.json`);
      const before = `${JSON.stringify(EXISTING[client], null, 2)}\n`;
      writeFileSync(file, before, { mode: 0o644 });
      const args = ['--client', client, '--agent', agent, '--config', file];

      const first = await install([...args, '--json']);
      expect(first.code, first.stderr).toBe(0);
      const report = json<{ status: string; key_id: string; backup: string }>(first.stdout);
      expect(report.status).toBe('installed');
      const written = json<{ mcpServers: Record<string, Entry> }>(readFileSync(file, 'utf8'));
      expect(written).toEqual({
        ...EXISTING[client],
        mcpServers: { ...EXISTING[client].mcpServers, purser: expect.any(Object) },
      });
      const entry = written.mcpServers.purser as Entry;
      expect(entry).toEqual({
        command: process.execPath,
        args: [PURSER_BIN, 'mcp'],
        env: { PURSER_KEY: expect.stringMatching(/^psk_test_/), PURSER_URL: s.url },
      });
      expect(mode(file)).toBe(0o600);
      expect(backups(file)).toEqual([basename(report.backup)]);
      expect(readFileSync(report.backup, 'utf8')).toBe(before);
      expect(mode(report.backup)).toBe(0o600);
      expect(await keys()).toMatchObject([{ id: report.key_id, label: `mcp:${client}` }]);
      const balance = await fetch(`${s.url}/v1/balance`, {
        headers: { authorization: `Bearer ${entry.env.PURSER_KEY}` },
      });
      expect(balance.status).toBe(200);

      const after = readFileSync(file);
      const second = await install(args);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain(`already in`);
      expect(second.stdout).toContain('nothing changed');
      expect(readFileSync(file).equals(after)).toBe(true);
      expect(backups(file)).toHaveLength(1);
      expect(await keys()).toHaveLength(1);
    });
  }

  it('creates a missing file (and folder), and the entry it writes starts a working MCP server', async () => {
    const { agent, install, dir } = await setup();
    const file = join(dir, 'new', 'mcp.json');
    const done = await install(['--client', 'cursor', '--agent', agent, '--config', file]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain("Purser is now in Cursor's MCP configuration");
    expect(backups(file)).toEqual([]);
    expect(mode(file)).toBe(0o600);
    const entry = json<{ mcpServers: { purser: Entry } }>(readFileSync(file, 'utf8')).mcpServers
      .purser;
    const client = new Client({ name: 'install-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ ...entry, stderr: 'ignore' }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('get_balance');
    } finally {
      await client.close();
    }
  });

  it('--print shows the entry with a placeholder key, writes nothing and issues no key', async () => {
    const { s, agent, keys, install, dir } = await setup();
    const absent = join(dir, 'absent.json');
    const printed = await install([
      '--client',
      'claude-code',
      '--agent',
      agent,
      '--config',
      absent,
      '--print',
    ]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(json<{ mcpServers: { purser: Entry } }>(printed.stdout).mcpServers.purser).toEqual({
      command: process.execPath,
      args: [PURSER_BIN, 'mcp'],
      env: { PURSER_KEY: 'psk_…', PURSER_URL: s.url },
    });
    expect(printed.stderr).toContain(`purser keys issue ${agent} --label mcp:claude-code`);
    expect(existsSync(absent)).toBe(false);
    const present = join(dir, 'present.json');
    writeFileSync(present, '{"mcpServers":{}}');
    await install(['--client', 'cursor', '--agent', agent, '--config', present, '--print']);
    expect(readFileSync(present, 'utf8')).toBe('{"mcpServers":{}}');
    expect(readdirSync(dir).sort()).toEqual(['present.json']);
    expect(await keys()).toEqual([]);
  });

  it('refuses a file that is not valid JSON, or whose mcpServers is not an object, untouched', async () => {
    const { agent, keys, install, dir } = await setup();
    for (const text of [
      '{"mcpServers": {"a": {}},}\n',
      '// mine\n{}',
      '{"mcpServers": []}',
      '[]',
    ]) {
      const file = join(dir, 'claude_desktop_config.json');
      writeFileSync(file, text, { mode: 0o644 });
      const refused = await install([
        '--client',
        'claude-desktop',
        '--agent',
        agent,
        '--config',
        file,
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/is not (valid JSON|a JSON object).*leaves it untouched/);
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(mode(file)).toBe(0o644);
      expect(readdirSync(dir)).toEqual([basename(file)]);
    }
    expect(await keys()).toEqual([]);
  });

  it('replaces a revoked key, moves to another agent with a warning, and keeps a moved entry’s key', async () => {
    const { owner, create, agent, keys, install, dir } = await setup();
    const file = join(dir, 'mcp.json');
    const args = ['--client', 'cursor', '--config', file];
    const first = json<{ key_id: string }>(
      (await install([...args, '--agent', agent, '--json'])).stdout,
    );
    await owner(['keys', 'revoke', first.key_id]);
    const again = await install([...args, '--agent', agent, '--json']);
    expect(json<{ status: string }>(again.stdout).status).toBe('installed');
    const list = await keys();
    expect(list).toHaveLength(2);
    expect(list.filter((k) => k.revoked_at === null)).toHaveLength(1);

    // Only the URL is out of date (the server moved): the same key, rewritten.
    const config = json<{ mcpServers: { purser: Entry } }>(readFileSync(file, 'utf8'));
    const key = config.mcpServers.purser.env.PURSER_KEY;
    config.mcpServers.purser.env.PURSER_URL = 'http://127.0.0.1:1';
    writeFileSync(file, JSON.stringify(config));
    const moved = await install([...args, '--agent', agent, '--json']);
    expect(json<{ status: string }>(moved.stdout).status).toBe('updated');
    expect(
      json<{ mcpServers: { purser: Entry } }>(readFileSync(file, 'utf8')).mcpServers.purser.env
        .PURSER_KEY,
    ).toBe(key);
    expect(await keys()).toHaveLength(2);

    const other = await create('cursor-bot');
    const switched = await install([...args, '--agent', other]);
    expect(switched.code, switched.stderr).toBe(0);
    expect(switched.stderr).toContain(`held a working key of ${agent}`);
    expect(await keys(other)).toHaveLength(1);
  });
});
