import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild } from './load';

/** The checkout's `purser` (another checkout's with `purserBin`, for A/B runs). */
const defaultBin = join(import.meta.dirname, '..', '..', 'electron', 'bin', 'purser.mjs');

export async function owner(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
}

/** A `purser serve` with one agent that can spend for the whole run. */
export async function startPurser(
  home: string,
  commit: 'group' | 'serial',
  purserBin = defaultBin,
) {
  const server = await startChild(
    process.execPath,
    // BENCH_NODE_ARGS: flags for the server's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
    // to profile it under load (docs/performance.md).
    [
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      purserBin,
      '--home',
      home,
      'serve',
      '--port',
      '0',
    ],
    { PURSER_COMMIT: commit },
  );
  const token = readFileSync(join(home, 'owner-token'), 'utf8').trim();
  const agent = await owner(server.url, token, 'POST', '/admin/v1/agents', {
    name: 'bench',
    mode: 'live',
    budget_cents: 100_000_000_000,
    rate_limit_per_minute: 1_000_000,
  });
  for (let i = 0; i < 5; i += 1)
    await owner(server.url, token, 'POST', '/admin/v1/funding/deposit', {
      amount_cents: 100_000_000_000,
      mode: 'live',
    });
  const key = (
    await owner(server.url, token, 'POST', `/admin/v1/agents/${String(agent.id)}/keys`, {})
  ).key as string;
  return { server, token, key };
}

export const spendTarget = (
  url: string,
  key: string,
  extraHeaders: Record<string, string> = {},
  idempotency?: 'uuid' | 'uuid+replays',
) => ({
  url: `${url}/v1/spend`,
  method: 'POST' as const,
  idempotency,
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extraHeaders },
  body: JSON.stringify({
    amount_cents: 1,
    currency: 'usd',
    merchant_name: 'AWS',
    reason: 'benchmark',
  }),
});

/**
 * The floor reference (lean-server.mjs): a durable, idempotent, hash-chained decision with
 * nothing of Purser around it, driven with the same spends and keys as `purser serve`.
 */
export async function startFloor(home: string) {
  mkdirSync(home, { recursive: true });
  const key = 'psk_floor_reference';
  const server = await startChild(process.execPath, [
    join(import.meta.dirname, 'lean-server.mjs'),
    home,
    key,
  ]);
  return { server, key };
}
