import { Command, Option } from 'commander';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_URL, PurserApiError, PurserClient } from '../../shared/client';
import { readServerInfo } from '../core/server-info';
import { defaultHome } from '../core/paths';
import { globals } from '../cli/globals';
import { CliError, ownerClient } from '../cli/owner-client';
import { emit, visible } from '../cli/output';

export const MCP_CLIENTS = ['claude-code', 'claude-desktop', 'cursor'] as const;
export type McpClient = (typeof MCP_CLIENTS)[number];

const CLIENT_NAMES: Record<McpClient, string> = {
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
};

/** `electron/bin/purser.mjs`, absolute: the client starts it with no working directory. */
export const PURSER_BIN = fileURLToPath(new URL('../bin/purser.mjs', import.meta.url));

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
 * The entry that starts `purser mcp` with the agent's key. Fields a user added to an entry
 * of the same name (Cursor's `disabled`, more env) are kept; ours are set.
 */
function serverEntry(key: string, url: string, current: unknown): Json {
  const base = isObject(current) ? current : {};
  const env = isObject(base.env) ? base.env : {};
  return {
    ...base,
    command: process.execPath,
    args: [PURSER_BIN, 'mcp'],
    env: { ...env, PURSER_KEY: key, PURSER_URL: url },
  };
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
}

/**
 * `purser mcp install`: issues the agent a spending key (labelled `mcp:<client>`) through
 * the owner API and adds `purser mcp` to the client's `mcpServers`, keeping everything else
 * in the file. Run again, it changes nothing while the entry's key still works for that
 * agent (no second key); if only the command or URL moved, it rewrites the entry with the
 * same key. `--print` shows the entry with a placeholder key and issues none, so printing
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
    .addHelpText(
      'after',
      '\nThe previous file is kept as FILE.purser-backup-<time>. The new one is written 0600.',
    )
    .action(async (o: InstallOptions, cmd: Command) => {
      const g = globals(cmd);
      const client = CLIENT_NAMES[o.client];
      const path = resolve(o.config ?? configPath(o.client));
      if (o.print) {
        const url = readServerInfo(g.home ?? defaultHome())?.url ?? DEFAULT_URL;
        const entry = serverEntry(KEY_PLACEHOLDER, url, undefined);
        emit(true, { mcpServers: { [o.name]: entry } }, () => '');
        process.stderr.write(
          `Add this to ${visible(path)}, with a key from: purser keys issue ${visible(o.agent)} --label mcp:${o.client}\n`,
        );
        return;
      }
      const config = readConfig(path);
      const owner = ownerClient(g.home);
      const current = config.servers[o.name];
      const found = await keyInEntry(current, owner.url);
      const report = { client: o.client, config: path, name: o.name, agent_id: o.agent };
      const where = `${client}'s MCP configuration (${visible(path)}, entry ${JSON.stringify(visible(o.name))})`;

      let credential: { key: string; keyId: string };
      let issued = false;
      if (found?.agentId === o.agent) {
        const wanted = serverEntry(found.key, owner.url, current);
        if (JSON.stringify(wanted) === JSON.stringify(current)) {
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
      const servers = { ...config.servers, [o.name]: serverEntry(key, owner.url, current) };
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
            `  agent ${visible(o.agent)}, key ${keyId}${issued ? ` (new, label mcp:${o.client})` : ' (kept)'}, server ${owner.url}`,
            ...(backup ? [`  previous file kept as ${visible(backup)}`] : []),
            `Restart ${client} to load it.`,
          ].join('\n'),
      );
      if (replaced)
        process.stderr.write(
          `The entry held a working key of ${visible(replaced.agentId)} (${replaced.keyId}); it still works. Revoke it with \`purser keys revoke ${replaced.keyId}\` if nothing else uses it.\n`,
        );
    });
}
