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
import { dirname, join } from 'node:path';
import { CliError } from '../cli/cli-error';

/**
 * The MCP clients' configuration files (`purser mcp install`, install.ts): where each client
 * reads its servers, and reading and writing them without losing what else they hold.
 */
export const MCP_CLIENTS = ['claude-code', 'claude-desktop', 'cursor'] as const;
export type McpClient = (typeof MCP_CLIENTS)[number];

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

export type Json = Record<string, unknown>;

function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}`);
  }
}
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface ConfigFile {
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
export function readConfig(path: string): ConfigFile {
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

/** The same JSON, whatever the order of the keys of its objects. */
export function sameJson(a: unknown, b: unknown): boolean {
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
 * Writes the new configuration, 0600 (it holds a live key), through a temporary file and a
 * rename so that a crash leaves the old file or the new one, never half of one. A symlink
 * (a dotfiles repository) is followed, not replaced. The previous bytes are kept first as
 * `FILE.purser-backup-<UTC time>`, also 0600: they may hold other servers' secrets. Returns
 * the backup's path.
 */
export function writeConfig(config: ConfigFile, data: Json): string | undefined {
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
