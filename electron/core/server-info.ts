import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_TOKEN_FILE, SERVER_FILE } from './paths';

/**
 * Where a running Purser listens, as `server.json` in the data folder says, and the headless
 * owner token beside it. Kept apart from the server itself (electron/api/server.ts, which
 * loads Fastify, the wallet and the chain code) so that the agent CLI and `purser mcp` find
 * the server by reading one small file, without loading any of that (docs/performance.md,
 * "Cold start").
 */
export const DEFAULT_PORT = 8402;

export interface ServerInfo {
  url: string;
  port: number;
  pid: number;
  /**
   * `headless` (`purser serve`: the owner token is in the data folder, 0600, for the CLI)
   * or `desktop` (no owner token on disk at all). See docs/trust-model.md.
   */
  mode?: 'headless' | 'desktop';
  /** The agent-only Unix socket, when one is open (docs/trust-model.md, "Agent listeners"). */
  agentSocket?: string;
  /** The agent TLS listener, when one is open, and its certificate's pin. */
  agentTls?: { url: string; fingerprint256: string; publicKeyPin: string };
}

export function readServerInfo(home: string): ServerInfo | undefined {
  try {
    return JSON.parse(readFileSync(join(home, SERVER_FILE), 'utf8')) as ServerInfo;
  } catch {
    return undefined;
  }
}

export function readOwnerToken(home: string): string | undefined {
  try {
    return readFileSync(join(home, OWNER_TOKEN_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}
