/**
 * `npm run bench:decision`: the decision-cost figure alone (docs/performance.md), quick
 * enough to run before and after a change. Fastify answering a fixed body and `purser
 * serve` taking spends with a fresh random UUID idempotency key each are driven in turn,
 * interleaved, at 16 connections; the figure is the server's CPU per decision as a multiple
 * of Fastify's per request in the same round.
 *
 * With `BENCH_B=/path/to/other/checkout`, a second `purser serve` from that checkout is
 * driven in the same rounds (A, B, Fastify, B, A…), so a change is measured against the
 * code before it under the same drift of this shared machine.
 *
 * With BENCH_FLOOR=1, the floor reference (lean-server.mjs: the same durable decision with
 * nothing of Purser around it) runs in the same rounds too.
 *
 * Environment: BENCH_SECONDS (per run, default 6), BENCH_ROUNDS (default 4),
 * BENCH_CONNECTIONS (default 16), BENCH_B (optional), BENCH_FLOOR (optional).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, startChild, type Child, type LoadResult } from './load';
import { spendTarget, startFloor, startPurser } from './purser-target';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const OTHER = process.env.BENCH_B;
const log = (line: string) => process.stdout.write(`${line}\n`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'purser-decision-'));
  const body = JSON.stringify({ amount_cents: 1, merchant_name: 'AWS', reason: 'benchmark' });
  const fastify = await startChild(process.execPath, [
    join(import.meta.dirname, 'fastify-server.mjs'),
  ]);
  const servers: Record<string, { server: Child; key: string }> = {
    A: await startPurser(join(scratch, 'a'), 'group'),
  };
  if (OTHER) {
    servers.B = await startPurser(
      join(scratch, 'b'),
      'group',
      join(OTHER, 'electron', 'bin', 'purser.mjs'),
    );
  }
  if (process.env.BENCH_FLOOR) servers.floor = await startFloor(join(scratch, 'floor'));
  const runs: Record<string, LoadResult[]> = { fastify: [], A: [], B: [], floor: [] };
  const ratios: Record<string, number[]> = { A: [], B: [], floor: [] };
  try {
    log(
      `decision cost: ${ROUNDS} rounds × ${SECONDS} s at ${CONNECTIONS} connections${OTHER ? `; B = ${OTHER}` : ''}`,
    );
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate the order so neither side always runs on a warmer (or hotter) machine.
      const order = Object.keys(servers);
      if (round % 2) order.reverse();
      const fast = await load(
        {
          url: `${fastify.url}/`,
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        },
        CONNECTIONS,
        SECONDS,
        fastify.child.pid,
      );
      runs.fastify?.push(fast);
      for (const name of order) {
        const s = servers[name];
        if (!s) continue;
        const r = await load(
          spendTarget(s.server.url, s.key, {}, 'uuid'),
          CONNECTIONS,
          SECONDS,
          s.server.child.pid,
        );
        runs[name]?.push(r);
        if (r.serverCpuUsPerRequest !== null && fast.serverCpuUsPerRequest)
          ratios[name]?.push(r.serverCpuUsPerRequest / fast.serverCpuUsPerRequest);
        log(
          `round ${round + 1} ${name}: ${r.serverCpuUsPerRequest?.toFixed(0)} µs/decision (Fastify ${fast.serverCpuUsPerRequest?.toFixed(0)} µs), ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx + r.errors + r.timeouts}`,
        );
      }
    }
    log('');
    const fastUs = median(runs.fastify?.map((r) => r.serverCpuUsPerRequest ?? 0) ?? []);
    log(`Fastify, fixed JSON: median ${fastUs.toFixed(0)} µs/request`);
    for (const name of Object.keys(servers)) {
      const rs = runs[name] ?? [];
      const us = median(rs.map((r) => r.serverCpuUsPerRequest ?? 0));
      log(
        `${name}: median ${us.toFixed(0)} µs/decision, ${median(ratios[name] ?? []).toFixed(1)} × Fastify, ${median(rs.map((r) => r.requestsPerSecond)).toFixed(0)} req/s, p99 ${median(rs.map((r) => r.p99Ms)).toFixed(1)} ms, non-2xx ${rs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0)}`,
      );
    }
  } finally {
    await fastify.stop();
    for (const s of Object.values(servers)) await s.server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
