/**
 * `purser serve` as a child process for the chain's crash tests: its keys sealed by the
 * test passphrase, the chain followed every 250 ms; and calls to it with a bearer token.
 */
import { startServe, type ServeProcess } from '../helpers/cli';
import { PASSPHRASE } from './chain-world';

/** Starts the server on `home`; `env` is set for its start only (PURSER_CRASH_AT, say). */
export function serveSealed(home: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const set = { PURSER_PASSPHRASE: PASSPHRASE, ...env };
  for (const [name, value] of Object.entries(set)) process.env[name] = value;
  try {
    return startServe(home, ['--chain-poll-ms', '250']);
  } finally {
    for (const name of Object.keys(set)) Reflect.deleteProperty(process.env, name);
  }
}

/** One JSON call with a bearer token (an agent key or the owner token). */
export async function call(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
}
