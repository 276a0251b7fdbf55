import { defaultHome } from '../core/paths';
import { readOwnerToken, readServerInfo } from '../api/server';
import type { ErrorEnvelope } from '../../shared/errors';
import {
  ownerRequest,
  type OwnerAnswer,
  type OwnerCallArgs,
  type OwnerCallName,
} from '../../shared/contract/owner';

/** A failure the CLI reports in one line and a non-zero exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly envelope?: ErrorEnvelope,
  ) {
    super(message);
  }
}

export interface OwnerClient {
  url: string;
  /** A route of the owner API, typed by its contract (shared/contract/owner.ts). */
  call<N extends OwnerCallName>(name: N, ...input: OwnerCallArgs<N>): Promise<OwnerAnswer<N>>;
  /** The response itself, for what is not one JSON answer (the ledger export). */
  raw(method: string, path: string): Promise<Response>;
}

/**
 * Finds the running server through the data folder (server.json and the owner token) and
 * talks to its owner API. Only headless mode (`purser serve`) keeps an owner token there;
 * the desktop app keeps its secret in memory, so the CLI's owner commands do not open it
 * (docs/trust-model.md).
 */
export function ownerClient(home: string | undefined): OwnerClient {
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
  const raw = async (method: string, path: string, body?: unknown) => {
    try {
      return await fetch(`${info.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new CliError(
        `Cannot reach Purser at ${info.url} (from ${dir}/server.json). Is \`purser serve\` still running?`,
      );
    }
  };
  return {
    url: info.url,
    raw: (method, path) => raw(method, path),
    async call(name, ...input) {
      const { method, path, body } = ownerRequest(name, ...input);
      const response = await raw(method, path, body);
      const payload = (await response.json().catch(() => undefined)) as unknown;
      if (!response.ok) {
        const envelope = payload as ErrorEnvelope | undefined;
        throw new CliError(
          envelope?.error
            ? `${envelope.error.code}: ${envelope.error.message}`
            : `HTTP ${response.status}`,
          1,
          envelope,
        );
      }
      return payload as OwnerAnswer<typeof name>;
    },
  };
}
