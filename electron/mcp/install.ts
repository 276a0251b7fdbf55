import { Command, Option } from 'commander';
import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, posix, resolve, win32 } from 'node:path';
import { DEFAULT_URL, PurserApiError, PurserClient } from '../../shared/client';
import { readServerInfo } from '../core/server-info';
import { packageRoot } from '../core/package-root';
import { defaultHome } from '../core/paths';
import { globals } from '../cli/globals';
import { CliError } from '../cli/cli-error';
import { ownerClient } from '../cli/owner-client';
import { emit, visible } from '../cli/output';
import { installBundle } from './bundle';

export const MCP_CLIENTS = ['claude-code', 'claude-desktop', 'cursor'] as const;
export type McpClient = (typeof MCP_CLIENTS)[number];

const CLIENT_NAMES: Record<McpClient, string> = {
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
};

/**
 * `electron/bin/purser.mjs`, absolute: the client starts it with no working directory.
 * Taken from the package's root, as this module also runs bundled into out/cli/.
 */
export const PURSER_BIN = join(packageRoot(), 'electron', 'bin', 'purser.mjs');

/** What --print puts where the key goes: it issues none (see mcpInstallCommand). */
export const KEY_PLACEHOLDER = 'psk_…';

/**
 * The file each client reads its MCP servers from, under the top-level `mcpServers` key.
 * What is assumed, from the clients' own documentation at the time of writing:
 * - Claude Code: `~/.claude.json`, whose top-level `mcpServers` is the user scope (what
 *   `claude mcp add --scope user` writes, for every project). Its per-project servers under
 *   `projects[path].mcpServers` and a project's `.mcp.json` are left alone.
 * - Claude Desktop: `~/Library/Application Support/Claude/claude_desktop_config.json` on
 *   macOS, `%APPDATA%\Claude\claude_desktop_config.json` on Windows. It has no official
 *   Linux build; the community builds read `$XDG_CONFIG_HOME/Claude/` (`~/.config/Claude/`),
 *   the folder convention electron/core/paths.ts follows too.
 * - Cursor: `~/.cursor/mcp.json`, its global configuration (`%USERPROFILE%` on Windows).
 * `--config FILE` overrides the guess.
 */
export function configPath(
  client: McpClient,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  switch (client) {
    case 'claude-code':
      return join(home, '.claude.json');
    case 'cursor':
      return join(home, '.cursor', 'mcp.json');
    case 'claude-desktop': {
      const file = join('Claude', 'claude_desktop_config.json');
      if (platform === 'darwin') return join(home, 'Library', 'Application Support', file);
      if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), file);
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), file);
    }
  }
}

type Json = Record<string, unknown>;

function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}`);
  }
}
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface ConfigFile {
  path: string;
  /** The bytes as they were, for the backup and to notice a concurrent write; none: new. */
  bytes?: Buffer;
  data: Json;
  servers: Json;
}

/**
 * Reads and checks the configuration. A file that is not a JSON object (comments, a
 * trailing comma, a half-written file) is refused before anything happens: rewriting it
 * from what could be parsed would lose the user's other servers. An empty file is `{}`.
 */
function readConfig(path: string): ConfigFile {
  const bytes = readBytes(path);
  if (!bytes) return { path, data: {}, servers: {} };
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let data: unknown = {};
  try {
    if (text.trim() !== '') data = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${path} is not valid JSON (${(error as Error).message}), so Purser leaves it untouched. Fix it, or add the entry that \`purser mcp install --print\` shows by hand.`,
    );
  }
  const servers = isObject(data) ? (data.mcpServers ?? {}) : undefined;
  if (!isObject(data) || !isObject(servers))
    throw new CliError(
      `${path} is not a JSON object with an "mcpServers" object, so Purser leaves it untouched.`,
    );
  return { path, bytes, data, servers };
}

/**
 * How the client starts Node, written as the entry's `command`. The entry must keep working
 * after a Node upgrade and when the client is a GUI app, two needs that pull apart:
 * - The path of the Node running this (process.execPath, what was written before) is the
 *   binary itself, symlinks resolved, so it names one version
 *   (`~/.nvm/versions/node/v22.1.0/…`, `/opt/homebrew/Cellar/node/22.1.0/…`): an upgrade
 *   that removes it breaks the entry.
 * - A bare `node`, looked up on PATH when the client starts it, follows upgrades, but a GUI
 *   app on macOS started from the Dock or Finder gets launchd's PATH
 *   (/usr/bin:/bin:/usr/sbin:/sbin), not the shell's: Claude Desktop then fails with `spawn
 *   node ENOENT` for a Node from Homebrew, nvm, fnm, Volta or asdf, and Cursor has the same
 *   reports. Linux desktops are alike for a Node set up in ~/.bashrc.
 * So: the `node` that this shell's PATH finds, as PATH names it (symlinks not resolved), is
 * written as an absolute path when it is not inside a folder of one Node version:
 * `/opt/homebrew/bin/node` (a link Homebrew moves on upgrade), `/usr/local/bin/node` (the
 * file the nodejs.org installer replaces), `/usr/bin/node` (the distribution's), the shims
 * of Volta, asdf, mise or nodenv, nvm-windows' `C:\Program Files\nodejs`. Every client
 * finds it, whatever its PATH, and an upgrade keeps it. When that `node` is a version's own
 * (nvm and fnm put one version's folder on PATH), no path survives an upgrade: Claude Code,
 * a terminal program started from the user's shell, gets a bare `node` (the shell's PATH,
 * hence the version in use); a GUI client gets that version's path, and `install` says to
 * run it again after that version is removed (running it again rewrites only the command).
 * With no `node` on PATH at all, the Node running this is written as it is.
 */
export function nodeCommand(
  client: McpClient,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  execPath: string = process.execPath,
): { command: string; versioned: boolean } {
  const found = nodeOnPath(env, platform);
  if (found && !ONE_VERSION.test(found)) return { command: found, versioned: false };
  if (found && client === 'claude-code') return { command: 'node', versioned: false };
  // A GUI client, or no `node` on PATH at all: the Node running this, as it is.
  const command = found ?? execPath;
  return { command, versioned: ONE_VERSION.test(command) };
}

/**
 * A folder of one Node version: named for its version (`v22.1.0`, `22.1.0`: nvm, n, nodenv,
 * asdf and mise installs, Homebrew's Cellar, Volta's images), or fnm's folder per shell.
 */
const ONE_VERSION = /[\\/]v?\d+\.\d+\.\d+[^\\/]*[\\/]|[\\/]fnm_multishells[\\/]/i;

/** The first `node` on PATH that is an executable file, as PATH spells it; undefined: none. */
function nodeOnPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const windows = platform === 'win32';
  const path = windows ? win32 : posix;
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((dir) => dir !== '');
  const names = windows
    ? (env.PATHEXT ?? '.EXE;.CMD').split(';').map((ext) => `node${ext.toLowerCase()}`)
    : ['node'];
  for (const dir of dirs) {
    // A relative PATH entry depends on the working directory, which the client does not share.
    if (!path.isAbsolute(dir)) continue;
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        if (!statSync(file).isFile()) continue;
        if (!windows) accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * PURSER_URL for the entry, only when the owner fixed Purser on a port of its own: with
 * PURSER_PORT set to it (the setting `purser serve` and the desktop app read), and the
 * running server on it. Otherwise `purser mcp` finds the server as electron/cli/agent-env.ts
 * does (PURSER_URL, else the data folder's server.json, else the default port): the URL of
 * a `--port 0` run dies with it, and a URL written for the default port adds nothing but a
 * value to go stale.
 */
export function pinnedUrl(
  env: NodeJS.ProcessEnv = process.env,
  runningUrl?: string,
): string | undefined {
  const value = env.PURSER_PORT?.trim() ?? '';
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  if (port === 0 || port > 65_535 || String(port) === new URL(DEFAULT_URL).port) return undefined;
  if (runningUrl !== undefined && new URL(runningUrl).port !== String(port)) return undefined;
  return `http://127.0.0.1:${port}`;
}

/**
 * PURSER_HOME for the entry: the data folder, when it is not the one `purser mcp` finds
 * without it. The default is taken as a GUI client sees it: without this shell's
 * PURSER_HOME or XDG_CONFIG_HOME (set in a shell profile, which such a client does not read).
 */
export function homeToWrite(
  home: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const dir = resolve(home ?? defaultHome(env));
  return dir === resolve(defaultHome({ APPDATA: env.APPDATA })) ? undefined : dir;
}

/** What the entry says besides the key: how to start Node, and where Purser is. */
interface EntryPlace {
  command: string;
  url?: string;
  home?: string;
}

/** The variables of the entry that install sets; any other variable a user added is kept. */
const OURS = ['PURSER_KEY', 'PURSER_URL', 'PURSER_HOME'];

/**
 * The entry that starts `purser mcp` with the agent's key. Fields a user added to an entry
 * of the same name (Cursor's `disabled`, more env) are kept; ours are set, and a PURSER_URL
 * or PURSER_HOME that no longer applies (an earlier install pinned the port) is removed.
 */
function serverEntry(key: string, place: EntryPlace, current: unknown): Json {
  const base = isObject(current) ? current : {};
  const env = Object.fromEntries(
    Object.entries(isObject(base.env) ? base.env : {}).filter(([name]) => !OURS.includes(name)),
  );
  return {
    ...base,
    command: place.command,
    args: [PURSER_BIN, 'mcp'],
    env: {
      ...env,
      PURSER_KEY: key,
      ...(place.home ? { PURSER_HOME: place.home } : {}),
      ...(place.url ? { PURSER_URL: place.url } : {}),
    },
  };
}

/** The same JSON, whatever the order of the keys of its objects. */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : isObject(value)
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical(value[key])]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * The agent and key behind the key already in an entry, if it still works against the
 * running server: asked through the agent API (`GET /v1/policy`), as the MCP server would.
 * A key that is refused (unknown, revoked, expired, another data folder's) is undefined.
 */
async function keyInEntry(entry: unknown, url: string) {
  const key = isObject(entry) && isObject(entry.env) ? entry.env.PURSER_KEY : undefined;
  if (typeof key !== 'string' || !/^psk_(live|test)_/.test(key)) return undefined;
  try {
    const policy = await new PurserClient({ key, url, retries: 1 }).policy();
    return { key, agentId: policy.agent_id, keyId: policy.key.id };
  } catch (error) {
    const refused = error instanceof PurserApiError && [401, 403].includes(error.status);
    if (refused) return undefined;
    throw new CliError(`Cannot check the key already there: ${(error as Error).message}`);
  }
}

/**
 * Writes the new configuration, 0600 (it holds a live key), through a temporary file and a
 * rename so that a crash leaves the old file or the new one, never half of one. A symlink
 * (a dotfiles repository) is followed, not replaced. The previous bytes are kept first as
 * `FILE.purser-backup-<UTC time>`, also 0600: they may hold other servers' secrets. Returns
 * the backup's path.
 */
function writeConfig(config: ConfigFile, data: Json): string | undefined {
  const target = config.bytes ? realpathSync(config.path) : config.path;
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  // Claude Code rewrites ~/.claude.json as it runs: a write in between must not be lost.
  const now = readBytes(target);
  if (now === undefined ? config.bytes !== undefined : !config.bytes?.equals(now))
    throw new Error('it changed while Purser was installing; run the command again');
  let backup: string | undefined;
  if (config.bytes) {
    backup = `${target}.purser-backup-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    writeFileSync(backup, config.bytes, { mode: 0o600, flag: 'wx' });
  }
  const temp = `${target}.purser-${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    if (process.platform !== 'win32') chmodSync(temp, 0o600);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return backup;
}

interface InstallOptions {
  client: McpClient;
  agent: string;
  print?: boolean;
  config?: string;
  name: string;
  mcpb?: string;
}

/**
 * `purser mcp install`: issues the agent a spending key (labelled `mcp:<client>`) through
 * the owner API and adds `purser mcp` to the client's `mcpServers`, keeping everything else
 * in the file. Run again, it changes nothing while the entry's key still works for that
 * agent (no second key); if only the command or where Purser is changed (nodeCommand,
 * pinnedUrl, homeToWrite), it rewrites the entry with the same key. `--print` shows the entry with a placeholder key and issues none, so printing
 * never leaves a live key behind that nobody stores (docs/trust-model.md: a key is the
 * agent's whole authority).
 */
export function mcpInstallCommand(): Command {
  return new Command('install')
    .description("add Purser to an MCP client's configuration, with a new key for the agent")
    .addOption(
      new Option('--client <client>', 'the MCP client').choices(MCP_CLIENTS).makeOptionMandatory(),
    )
    .requiredOption('--agent <agentId>', 'the agent the client spends as (agt_…)')
    .option('--print', `only print the entry, with ${KEY_PLACEHOLDER} for the key; issue none`)
    .option('--config <file>', "the client's configuration file (default: where it reads it)")
    .option('--name <name>', 'the server name in mcpServers', 'purser')
    .option(
      '--mcpb <file>',
      'claude-desktop only: write an MCP Bundle (.mcpb) to open with Claude Desktop, instead of editing its configuration',
    )
    .addHelpText(
      'after',
      '\nThe previous file is kept as FILE.purser-backup-<time>. The new one is written 0600.\n' +
        'The entry finds Purser through its data folder (server.json), whatever port it runs\n' +
        'on; it names a URL (PURSER_URL) only when PURSER_PORT is set to the fixed port Purser\n' +
        'runs on. Node is started by the path your PATH finds it at.',
    )
    .action(async (o: InstallOptions, cmd: Command) => {
      const g = globals(cmd);
      const client = CLIENT_NAMES[o.client];
      const path = resolve(o.config ?? configPath(o.client));
      const node = nodeCommand(o.client);
      const home = homeToWrite(g.home);
      /** Where the entry is told to find Purser, given where it runs now (if it does). */
      const place = (runningUrl: string | undefined): EntryPlace => ({
        command: node.command,
        url: pinnedUrl(process.env, runningUrl),
        home,
      });
      const versionNote = () => {
        if (node.versioned)
          process.stderr.write(
            `The entry starts Node by the path of one version (${visible(node.command)})${o.client === 'claude-code' ? '' : `, as ${client} does not read your shell's PATH`}. After you remove that version, run this command again.\n`,
          );
      };
      if (o.mcpb !== undefined) {
        if (o.client !== 'claude-desktop')
          throw new CliError(
            '--mcpb makes a bundle for Claude Desktop: use --client claude-desktop.',
            2,
          );
        return installBundle({
          agent: o.agent,
          file: o.mcpb,
          home: g.home,
          json: !!g.json,
          url: pinnedUrl(process.env, readServerInfo(g.home ?? defaultHome())?.url),
          writeHome: home,
        });
      }
      if (o.print) {
        const running = readServerInfo(g.home ?? defaultHome())?.url;
        const entry = serverEntry(KEY_PLACEHOLDER, place(running), undefined);
        emit(true, { mcpServers: { [o.name]: entry } }, () => '');
        process.stderr.write(
          `Add this to ${visible(path)}, with a key from: purser keys issue ${visible(o.agent)} --label mcp:${o.client}\n`,
        );
        versionNote();
        return;
      }
      const config = readConfig(path);
      const owner = ownerClient(g.home);
      const current = config.servers[o.name];
      const found = await keyInEntry(current, owner.url);
      const where = `${client}'s MCP configuration (${visible(path)}, entry ${JSON.stringify(visible(o.name))})`;
      const { url: pinned } = place(owner.url);
      const report = {
        client: o.client,
        config: path,
        name: o.name,
        agent_id: o.agent,
        command: node.command,
        /** PURSER_URL in the entry, or null: `purser mcp` finds the server (server.json). */
        pinned_url: pinned ?? null,
      };
      const located = pinned
        ? `server ${pinned} (pinned: PURSER_PORT=${new URL(pinned).port})`
        : `server found through ${visible(home ?? 'the default data folder')} (now ${owner.url})`;

      let credential: { key: string; keyId: string };
      let issued = false;
      if (found?.agentId === o.agent) {
        const wanted = serverEntry(found.key, place(owner.url), current);
        if (sameJson(wanted, current)) {
          emit(
            !!g.json,
            { status: 'unchanged', ...report, key_id: found.keyId, url: owner.url },
            () =>
              `Purser is already in ${where} for ${visible(o.agent)} with a working key (${found.keyId}); nothing changed.`,
          );
          return;
        }
        credential = found;
      } else {
        const key = await owner.call('issueKey', {
          params: { id: o.agent },
          body: { label: `mcp:${o.client}` },
        });
        credential = { key: key.key, keyId: key.id };
        issued = true;
      }
      const { key, keyId } = credential;
      const servers = {
        ...config.servers,
        [o.name]: serverEntry(key, place(owner.url), current),
      };
      let backup: string | undefined;
      try {
        backup = writeConfig(config, { ...config.data, mcpServers: servers });
      } catch (error) {
        // A key that went into no file is only a liability: take it back.
        if (issued) await owner.call('revokeKey', { params: { id: keyId } }).catch(() => undefined);
        throw new CliError(
          `Cannot write ${path}: ${(error as Error).message}${issued ? ' (the key issued for it was revoked)' : ''}`,
        );
      }
      const replaced = found && found.agentId !== o.agent ? found : undefined;
      const status = issued ? 'installed' : 'updated';
      emit(
        !!g.json,
        { status, ...report, key_id: keyId, url: owner.url, backup: backup ?? null },
        () =>
          [
            issued ? `Purser is now in ${where}.` : `Updated Purser's entry in ${where}.`,
            `  agent ${visible(o.agent)}, key ${keyId}${issued ? ` (new, label mcp:${o.client})` : ' (kept)'}, ${located}`,
            `  started with ${visible(node.command)}`,
            ...(backup ? [`  previous file kept as ${visible(backup)}`] : []),
            `Restart ${client} to load it.`,
          ].join('\n'),
      );
      versionNote();
      if (replaced)
        process.stderr.write(
          `The entry held a working key of ${visible(replaced.agentId)} (${replaced.keyId}); it still works. Revoke it with \`purser keys revoke ${replaced.keyId}\` if nothing else uses it.\n`,
        );
    });
}
