import { defaultHome } from '../core/paths';
import { readOwnerToken, readServerInfo } from '../core/server-info';
import { CliError } from './cli-error';
import { nodeFetch } from './node-fetch';
import {
  createOwnerClient,
  type OwnerClient as SharedClient,
} from '../../shared/contract/owner-client';

/** The one owner client, and where the server is (agents' setup prints it). */
export type OwnerClient = SharedClient & { url: string };

/**
 * Finds the running server through the data folder (server.json and the owner token) and
 * talks to its owner API through the one owner client (shared/contract/owner-client.ts).
 * Only headless mode (`purser serve`) keeps an owner token there; the desktop app keeps its
 * secret in memory, so the CLI's owner commands do not open it (docs/trust-model.md).
 */
export function ownerClient(
  home: string | undefined,
  options: { streaming?: boolean } = {},
): OwnerClient {
  const dir = home ?? defaultHome();
  const info = readServerInfo(dir);
  const token = readOwnerToken(dir);
  if (info?.mode === 'desktop') {
    throw new CliError(
      `The Purser desktop app is running for ${dir}, and it keeps no owner token on disk, so owner commands from the CLI cannot reach it. Use the window (the tray icon opens it), or quit the app and run \`purser serve\` to govern from the terminal.`,
    );
  }
  if (!info || !token) {
    throw new CliError(
      `Purser is not running for ${dir}. Start it with \`purser serve\` (or pass --home).`,
    );
  }
  const client = createOwnerClient({
    baseUrl: info.url,
    // A streamed answer (the ledger export) needs a real Response; the rest start faster.
    ...(options.streaming ? {} : { fetch: nodeFetch() }),
    token: () => token,
    refused: (status, envelope) =>
      new CliError(
        envelope?.error ? `${envelope.error.code}: ${envelope.error.message}` : `HTTP ${status}`,
        1,
        envelope,
      ),
    unreachable: () =>
      new CliError(
        `Cannot reach Purser at ${info.url} (from ${dir}/server.json). Is \`purser serve\` still running?`,
      ),
  });
  return { ...client, url: info.url };
}
