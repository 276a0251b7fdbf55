import { join } from 'node:path';
import { packageRoot } from '../core/package-root';
import {
  isObject,
  readConfig,
  sameJson,
  writeConfig,
  type Json,
  type McpClient,
} from './install-config';
import { homeToWrite, nodeCommand, pinnedUrl } from './install-place';

/**
 * Writing Purser into an MCP client's configuration: the one piece of code behind both
 * `purser mcp install` (install.ts, which reaches the keys through the owner API) and the
 * window's Connect (`POST /admin/v1/agents/:id/connect`, electron/api/routes/owner/connect.ts,
 * which reaches them in the server's own wallet). Each caller says how keys are checked,
 * issued and revoked; what goes into the file, and when a key is issued, is decided here.
 */

export const CLIENT_NAMES: Record<McpClient, string> = {
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  cursor: 'Cursor',
};

/**
 * `electron/bin/purser.mjs`, absolute: the client starts it with no working directory.
 * Taken from the package's root, as this module also runs bundled into out/cli/.
 */
export const PURSER_BIN = join(packageRoot(), 'electron', 'bin', 'purser.mjs');

/** What --print puts where the key goes: it issues none (see install.ts). */
export const KEY_PLACEHOLDER = 'psk_…';

/** What the entry says besides the key: how to start Node, and where Purser is. */
export interface EntryPlace {
  command: string;
  url?: string;
  home?: string;
  /** The command names one Node version's path (install-place.ts, nodeCommand). */
  versioned: boolean;
}

/**
 * Where the entry for `client` is told to find Node and Purser, seen from `env` (the
 * environment of whoever writes it: the owner's shell for the CLI, `purser serve`'s for
 * the window): Node as that PATH finds it, the data folder `home` when it is not the
 * default, and a URL only for a port pinned with PURSER_PORT (install-place.ts).
 */
export function entryPlace(
  client: McpClient,
  home: string | undefined,
  runningUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): EntryPlace {
  const node = nodeCommand(client, env);
  return {
    command: node.command,
    versioned: node.versioned,
    url: pinnedUrl(env, runningUrl),
    home: homeToWrite(home, env),
  };
}

/** The variables of the entry that install sets; any other variable a user added is kept. */
const OURS = ['PURSER_KEY', 'PURSER_URL', 'PURSER_HOME'];

/**
 * The entry that starts `purser mcp` with the agent's key. Fields a user added to an entry
 * of the same name (Cursor's `disabled`, more env) are kept; ours are set, and a PURSER_URL
 * or PURSER_HOME that no longer applies (an earlier install pinned the port) is removed.
 */
export function serverEntry(key: string, place: EntryPlace, current?: unknown): Json {
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

/** The spending key an entry holds, if it looks like one. */
export function keyInEntry(entry: unknown): string | undefined {
  const key = isObject(entry) && isObject(entry.env) ? entry.env.PURSER_KEY : undefined;
  return typeof key === 'string' && /^psk_(live|test)_/.test(key) ? key : undefined;
}

/** How the caller reaches spending keys: the owner API (the CLI) or the wallet (the server). */
export interface InstallKeys {
  /**
   * The agent and key behind `key` if it still works against this Purser; undefined if it
   * is refused (unknown, revoked, expired, another data folder's).
   */
  check(key: string): Promise<{ agentId: string; keyId: string } | undefined>;
  /** A new key for the agent, labelled `mcp:<client>`. */
  issue(): Promise<{ key: string; keyId: string }>;
  revoke(keyId: string): Promise<void>;
}

export interface InstallRequest {
  client: McpClient;
  agentId: string;
  /** The configuration file (resolved by the caller: the client's own, or --config). */
  path: string;
  /** The entry's name in `mcpServers`. */
  name: string;
  place: EntryPlace;
  keys: InstallKeys;
}

export interface InstallResult {
  /** `unchanged`: the entry already held a working key of this agent and nothing moved. */
  status: 'installed' | 'updated' | 'unchanged';
  keyId: string;
  /** The key, when it was issued by this install (else the entry's own key was kept). */
  issued?: string;
  /** The previous file, kept as FILE.purser-backup-<time>. */
  backup?: string;
  /** The entry held a working key of another agent, which still works. */
  replaced?: { agentId: string; keyId: string };
}

/** The file could not be written; a key issued for it has been revoked. */
export class InstallWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: unknown,
    readonly revokedIssued: boolean,
  ) {
    super(
      `Cannot write ${path}: ${(reason as Error).message}${revokedIssued ? ' (the key issued for it was revoked)' : ''}`,
    );
  }
}

/**
 * Adds `purser mcp` to the client's `mcpServers` under `name`, keeping everything else in
 * the file. While the entry's key still works for that agent, no key is issued: the entry is
 * left as it is (`unchanged`), or rewritten with the same key when only the command or where
 * Purser is moved (`updated`). Otherwise a key is issued and written (`installed`); if the
 * file cannot be written, that key is revoked, since a key that went into no file is only a
 * liability. A file that is not a JSON object with an `mcpServers` object is refused
 * untouched (install-config.ts, readConfig).
 */
export async function installEntry(request: InstallRequest): Promise<InstallResult> {
  const { agentId, path, name, place, keys } = request;
  const config = readConfig(path);
  const current = config.servers[name];
  const held = keyInEntry(current);
  const found = held === undefined ? undefined : await keys.check(held);

  let credential: { key: string; keyId: string };
  let issued = false;
  if (found && held !== undefined && found.agentId === agentId) {
    const wanted = serverEntry(held, place, current);
    if (sameJson(wanted, current)) return { status: 'unchanged', keyId: found.keyId };
    credential = { key: held, keyId: found.keyId };
  } else {
    credential = await keys.issue();
    issued = true;
  }
  const servers = { ...config.servers, [name]: serverEntry(credential.key, place, current) };
  let backup: string | undefined;
  try {
    backup = writeConfig(config, { ...config.data, mcpServers: servers });
  } catch (error) {
    if (issued) await keys.revoke(credential.keyId).catch(() => undefined);
    throw new InstallWriteError(path, error, issued);
  }
  return {
    status: issued ? 'installed' : 'updated',
    keyId: credential.keyId,
    ...(issued ? { issued: credential.key } : {}),
    ...(backup ? { backup } : {}),
    ...(found && found.agentId !== agentId ? { replaced: found } : {}),
  };
}
