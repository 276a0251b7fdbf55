/**
 * `purser mcp install` as real processes against `purser serve`, on temporary
 * configuration files (`--config`) shaped like each client's: the merge keeps what is
 * there, the old file is backed up, a second run changes nothing and issues no key,
 * `--print` writes nothing, a broken file is refused untouched, the file is 0600. The entry
 * is stable: no port of a `--port 0` server, no Node path of one version.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { OwnerAnswer } from '../../shared/contract/owner';
import { homeToWrite, nodeCommand, pinnedUrl } from '../../electron/mcp/install-place';
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
  env: { PURSER_KEY: string; PURSER_HOME?: string; PURSER_URL?: string };
}

/**
 * A folder holding `node` (a link to the Node running the tests), put first on PATH, as
 * /opt/homebrew/bin or /usr/local/bin is: where the owner's shell finds Node.
 */
function nodeFolder(parent: string, name = 'bin'): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  symlinkSync(process.execPath, join(dir, 'node'));
  return dir;
}
const onPath = (dir: string) => ({ PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` });
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
  // The owner's shell: Node in a stable folder first on PATH.
  const bin = nodeFolder(dirname(home));
  const node = join(bin, 'node');
  const install = (args: string[], env: Record<string, string> = {}) =>
    runCli(['--home', home, 'mcp', 'install', ...args], { ...onPath(bin), ...env });
  // A folder of its own per test, so the backups are easy to count.
  const dir = join(dirname(home), 'client');
  mkdirSync(dir);
  return { home, s, owner, create, agent, keys, install, dir, node };
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
      const { home, s, agent, keys, install, dir, node } = await setup();
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
      // Node as the shell's PATH names it; the data folder, not the port of this `--port 0`
      // server: `purser mcp` finds the server through its server.json.
      expect(entry).toEqual({
        command: node,
        args: [PURSER_BIN, 'mcp'],
        env: { PURSER_KEY: expect.stringMatching(/^psk_test_/), PURSER_HOME: home },
      });
      expect(report).toMatchObject({ command: node, pinned_url: null });
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
    expect(entry.env.PURSER_URL).toBeUndefined();
    const client = new Client({ name: 'install-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ ...entry, stderr: 'ignore' }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('get_balance');
      // It reaches the server on its port of the day, found through the data folder.
      const balance = await client.callTool({ name: 'get_balance', arguments: {} });
      expect(balance.isError).toBeFalsy();
      expect(balance.structuredContent).toMatchObject({ object: 'balance' });
    } finally {
      await client.close();
    }
  });

  it('pins PURSER_URL only for a fixed port of the owner’s own (PURSER_PORT), and unpins it after', async () => {
    const { s, agent, install, dir } = await setup();
    const file = join(dir, 'mcp.json');
    const args = ['--client', 'cursor', '--agent', agent, '--config', file, '--json'];
    const port = new URL(s.url).port;
    const entry = () =>
      json<{ mcpServers: { purser: Entry } }>(readFileSync(file, 'utf8')).mcpServers.purser;

    // The owner runs Purser with PURSER_PORT set, and so the server listens there: pinned.
    const pinned = await install(args, { PURSER_PORT: port });
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(json<{ pinned_url: string }>(pinned.stdout).pinned_url).toBe(s.url);
    expect(entry().env.PURSER_URL).toBe(s.url);
    const key = entry().env.PURSER_KEY;

    // Without it (a port picked at start, or the default), the pin goes; the key stays.
    const unpinned = await install(args);
    expect(json<{ status: string }>(unpinned.stdout).status).toBe('updated');
    expect(entry().env).toEqual({ PURSER_KEY: key, PURSER_HOME: expect.any(String) });

    // PURSER_PORT naming a port the server is not on (or the default, or 0) pins nothing.
    for (const other of ['1', '8402', '0']) {
      const again = await install(args, { PURSER_PORT: other });
      expect(json<{ status: string }>(again.stdout).status).toBe('unchanged');
      expect(entry().env.PURSER_URL).toBeUndefined();
    }
  });

  it('a Node upgrade: the entry names Node by a path that survives it, and a rerun only moves the command', async () => {
    const { agent, install, dir, home } = await setup();
    const file = join(dir, 'claude_desktop_config.json');
    const args = ['--client', 'claude-desktop', '--agent', agent, '--config', file, '--json'];
    const entry = () =>
      json<{ mcpServers: { purser: Entry } }>(readFileSync(file, 'utf8')).mcpServers.purser;

    // Node of one version first on PATH (nvm's layout): a GUI client cannot use the shell's
    // PATH, so that path is written, and the owner is told to run install again after.
    const nvm = nodeFolder(dirname(home), join('.nvm', 'versions', 'node', 'v22.1.0', 'bin'));
    const first = await install(args, onPath(nvm));
    expect(first.code, first.stderr).toBe(0);
    expect(entry().command).toBe(join(nvm, 'node'));
    expect(first.stderr).toContain('does not read your shell');
    expect(first.stderr).toContain('run this command again');
    const key = entry().env.PURSER_KEY;

    // The shell now finds a stable Node first: a rerun rewrites the command, keeps the key.
    const stable = nodeFolder(dirname(home), 'usr-local-bin');
    const rerun = await install(args, onPath(stable));
    expect(json<{ status: string }>(rerun.stdout).status).toBe('updated');
    expect(entry().command).toBe(join(stable, 'node'));
    expect(entry().env.PURSER_KEY).toBe(key);
    expect(rerun.stderr).not.toContain('run this command again');
  });

  it('chooses Node, the URL and the data folder for the entry by the rules above', () => {
    const root = tmpHome('purser-node');
    const executable = (dir: string) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'node'), '');
      chmodSync(join(dir, 'node'), 0o755);
      return dir;
    };
    const homebrew = executable(join(root, 'opt', 'homebrew', 'bin'));
    const nvm = executable(join(root, '.nvm', 'versions', 'node', 'v22.1.0', 'bin'));
    const fnm = executable(join(root, 'fnm_multishells', '123_456', 'bin'));
    const notExecutable = join(root, 'plain');
    mkdirSync(notExecutable);
    writeFileSync(join(notExecutable, 'node'), '');
    const path = (...dirs: string[]) => ({ PATH: dirs.join(delimiter) });
    const run = '/somewhere/v20.19.0/bin/node';
    const choose = (client: Parameters<typeof nodeCommand>[0], env: NodeJS.ProcessEnv) =>
      nodeCommand(client, env, 'linux', run);

    // A stable folder: its path, for every client, as PATH spells it.
    for (const client of ['claude-code', 'claude-desktop', 'cursor'] as const)
      expect(choose(client, path('relative/bin', notExecutable, homebrew, nvm))).toEqual({
        command: join(homebrew, 'node'),
        versioned: false,
      });
    // One version's folder: Claude Code resolves `node` on the shell's PATH it inherits; a
    // GUI client gets the version's path, flagged.
    for (const versioned of [nvm, fnm]) {
      expect(choose('claude-code', path(versioned, homebrew))).toEqual({
        command: 'node',
        versioned: false,
      });
      expect(choose('cursor', path(versioned, homebrew))).toEqual({
        command: join(versioned, 'node'),
        versioned: true,
      });
    }
    // No node on PATH: the Node running install.
    expect(choose('claude-code', path(notExecutable))).toEqual({ command: run, versioned: true });
    expect(nodeCommand('cursor', {}, 'linux', '/usr/bin/node')).toEqual({
      command: '/usr/bin/node',
      versioned: false,
    });

    expect(pinnedUrl({ PURSER_PORT: '9000' })).toBe('http://127.0.0.1:9000');
    expect(pinnedUrl({ PURSER_PORT: '9000' }, 'http://127.0.0.1:9000')).toBe(
      'http://127.0.0.1:9000',
    );
    expect(pinnedUrl({ PURSER_PORT: '9000' }, 'http://127.0.0.1:43117')).toBeUndefined();
    for (const value of [undefined, '', '0', '8402', '70000', 'abc', '-1'])
      expect(pinnedUrl({ PURSER_PORT: value }), String(value)).toBeUndefined();

    expect(homeToWrite('/data/purser', {})).toBe('/data/purser');
    expect(homeToWrite(undefined, { PURSER_HOME: '/data/purser' })).toBe('/data/purser');
    // XDG_CONFIG_HOME from a shell profile is not seen by a GUI client: written out.
    expect(homeToWrite(undefined, { XDG_CONFIG_HOME: '/xdg' })).toBe(
      process.platform === 'linux' ? '/xdg/Purser' : undefined,
    );
    expect(homeToWrite(undefined, {})).toBeUndefined();
  });

  it('--print shows the entry with a placeholder key, writes nothing and issues no key', async () => {
    const { home, agent, keys, install, dir, node } = await setup();
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
      command: node,
      args: [PURSER_BIN, 'mcp'],
      env: { PURSER_KEY: 'psk_…', PURSER_HOME: home },
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

    // An entry of an earlier install, with the port of a server long gone pinned and Node
    // by a path that no longer exists: the same key, rewritten without them.
    const config = json<{ mcpServers: { purser: Entry } }>(readFileSync(file, 'utf8'));
    const key = config.mcpServers.purser.env.PURSER_KEY;
    config.mcpServers.purser.env.PURSER_URL = 'http://127.0.0.1:1';
    config.mcpServers.purser.command = '/gone/.nvm/versions/node/v20.19.0/bin/node';
    writeFileSync(file, JSON.stringify(config));
    const moved = await install([...args, '--agent', agent, '--json']);
    expect(json<{ status: string }>(moved.stdout).status).toBe('updated');
    const rewritten = json<{ mcpServers: { purser: Entry } }>(readFileSync(file, 'utf8')).mcpServers
      .purser;
    expect(rewritten.env.PURSER_KEY).toBe(key);
    expect(rewritten.env.PURSER_URL).toBeUndefined();
    expect(rewritten.command).not.toContain('/gone/');
    expect(await keys()).toHaveLength(2);

    const other = await create('cursor-bot');
    const switched = await install([...args, '--agent', other]);
    expect(switched.code, switched.stderr).toBe(0);
    expect(switched.stderr).toContain(`held a working key of ${agent}`);
    expect(await keys(other)).toHaveLength(1);
  });
});
