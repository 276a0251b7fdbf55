/**
 * `npm run bench`: Purser against a bare node:http server, in the same run on the same
 * machine, so the figures are ratios rather than absolute numbers that depend on the box.
 *
 * 1. throughput, latency and server CPU per request of a bare server and of Fastify
 *    answering a fixed JSON body, and of `POST /v1/spend` on `purser serve` (full
 *    durability, group commit) at 1, 16 and 64 connections: without an idempotency key,
 *    with a fresh random UUID key on every spend (what clients are told to send), and
 *    with such keys where one request in ten retries a recent key (a replay). The figure
 *    that matters is the server's CPU per durable decision as a multiple of Fastify's CPU
 *    per request in the same run (`cpu ×fastify`). Beside them, with the same UUID keys,
 *    the floor reference (lean-server.mjs): the same kind of durable, idempotent,
 *    hash-chained decision with nothing of Purser around it, which shows how much of
 *    the multiple is the floor and how much is Purser;
 * 2. the same spend endpoint with one transaction per decision (group commit off), at 64;
 * 3. an idempotent-replay storm: one key, many connections, exactly one ledger entry;
 * 4. decision latency with a small ledger and with 1,000,000 entries, and the time to
 *    verify the million-entry chain.
 *
 * Environment: BENCH_SECONDS (per load run, default 10), BENCH_ROUNDS (runs averaged per
 * figure, default 2), BENCH_LEDGER (default 1000000).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyBench } from './history';
import { load, startChild, type LoadResult } from './load';
import { owner, spendTarget, startFloor, startPurser } from './purser-target';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LEDGER = Number(process.env.BENCH_LEDGER ?? 1_000_000);
const CONNECTIONS = [1, 16, 64];
const here = import.meta.dirname;
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The average of several runs of one configuration. */
function mean(results: LoadResult[]): LoadResult {
  const avg = (pick: (r: LoadResult) => number) =>
    results.reduce((s, r) => s + pick(r), 0) / results.length;
  const sum = (pick: (r: LoadResult) => number) => results.reduce((s, r) => s + pick(r), 0);
  return {
    connections: results[0]?.connections ?? 0,
    requestsPerSecond: avg((r) => r.requestsPerSecond),
    p50Ms: avg((r) => r.p50Ms),
    p99Ms: avg((r) => r.p99Ms),
    requests: sum((r) => r.requests),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    serverCpuUsPerRequest: avgOrNull(results, (r) => r.serverCpuUsPerRequest),
    serverMainThreadUsPerRequest: avgOrNull(results, (r) => r.serverMainThreadUsPerRequest),
    loadgenCpuUsPerRequest: avg((r) => r.loadgenCpuUsPerRequest),
  };
}

function avgOrNull(results: LoadResult[], pick: (r: LoadResult) => number | null): number | null {
  const values = results.map(pick);
  if (values.some((v) => v === null)) return null;
  return (values as number[]).reduce((s, v) => s + v, 0) / values.length;
}

const micros = (us: number | null) => (us === null ? '–' : us.toFixed(0));

function row(name: string, r: LoadResult, ratio?: number, cpuRatio?: number): string {
  const cells = [
    name.padEnd(26),
    String(r.connections).padStart(5),
    r.requestsPerSecond.toFixed(0).padStart(9),
    r.p50Ms.toFixed(1).padStart(7),
    r.p99Ms.toFixed(1).padStart(7),
    String(r.non2xx + r.errors + r.timeouts).padStart(7),
    micros(r.serverCpuUsPerRequest).padStart(9),
    micros(r.serverMainThreadUsPerRequest).padStart(9),
    micros(r.loadgenCpuUsPerRequest).padStart(9),
    ratio === undefined ? ''.padStart(7) : ratio.toFixed(2).padStart(7),
    cpuRatio === undefined ? '' : cpuRatio.toFixed(1).padStart(9),
  ];
  return cells.join(' ');
}

/**
 * What the 64-connection target leaves a server on this machine: the load generator runs
 * on the same cores, and an event loop is one thread. Figures are µs of CPU per request.
 */
function cpuBudget(
  bare: LoadResult | undefined,
  fastify: LoadResult | undefined,
  purser: LoadResult | undefined,
) {
  if (!bare || !purser) return undefined;
  const targetRequestsPerSecond = bare.requestsPerSecond / 2;
  const cores = cpus().length;
  return {
    cores,
    targetRequestsPerSecond,
    loadgenUs: purser.loadgenCpuUsPerRequest,
    mainThreadBudgetUs: 1e6 / targetRequestsPerSecond,
    totalBudgetUs: (cores * 1e6) / targetRequestsPerSecond - purser.loadgenCpuUsPerRequest,
    purserMainThreadUs: purser.serverMainThreadUsPerRequest,
    purserTotalUs: purser.serverCpuUsPerRequest,
    fastifyUs: fastify?.serverCpuUsPerRequest ?? null,
  };
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'purser-bench-'));
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    secondsPerRun: SECONDS,
    roundsAveraged: ROUNDS,
  };
  try {
    log(
      `Purser benchmark: ${SECONDS} s per run, ${ROUNDS} rounds averaged, ${cpus().length} cores, node ${process.version}\n`,
    );

    // All three servers run at once (an idle one costs nothing) and are measured in turn,
    // ROUNDS times, so that drift in a shared machine's speed hits them alike.
    const spendBody = JSON.stringify({
      amount_cents: 1,
      currency: 'usd',
      merchant_name: 'AWS',
      reason: 'benchmark',
    });
    const plain = (url: string) => ({
      url: `${url}/`,
      method: 'POST' as const,
      body: spendBody,
      headers: { 'content-type': 'application/json' },
    });
    const bare = await startChild(process.execPath, [join(here, 'bare-server.mjs')]);
    const fastify = await startChild(process.execPath, [join(here, 'fastify-server.mjs')]);
    const group = await startPurser(join(scratch, 'group'), 'group');
    const pid = group.server.child.pid;
    const floor = await startFloor(join(scratch, 'floor'));
    const configs = {
      bare: (c: number) => load(plain(bare.url), c, SECONDS, bare.child.pid),
      fastify: (c: number) => load(plain(fastify.url), c, SECONDS, fastify.child.pid),
      purser: (c: number) => load(spendTarget(group.server.url, group.key), c, SECONDS, pid),
      purserUuid: (c: number) =>
        load(spendTarget(group.server.url, group.key, {}, 'uuid'), c, SECONDS, pid),
      purserReplays: (c: number) =>
        load(spendTarget(group.server.url, group.key, {}, 'uuid+replays'), c, SECONDS, pid),
      floor: (c: number) =>
        load(
          spendTarget(floor.server.url, floor.key, {}, 'uuid'),
          c,
          SECONDS,
          floor.server.child.pid,
        ),
    };
    type Config = keyof typeof configs;
    const names = Object.keys(configs) as Config[];
    const runs = Object.fromEntries(names.map((n) => [n, [] as LoadResult[]])) as Record<
      Config,
      LoadResult[]
    >;
    for (const c of CONNECTIONS) {
      const round = Object.fromEntries(names.map((n) => [n, [] as LoadResult[]])) as Record<
        Config,
        LoadResult[]
      >;
      for (let r = 0; r < ROUNDS; r += 1)
        for (const name of names) round[name].push(await configs[name](c));
      for (const name of names) runs[name].push(mean(round[name]));
    }
    await bare.stop();
    await fastify.stop();
    await floor.server.stop();
    const bareRuns = runs.bare;
    const fastifyRuns = runs.fastify;
    const purserRuns = runs.purser;
    /** Server CPU per request as a multiple of Fastify's, at the same connection count. */
    const cpuRatio = (r: LoadResult, i: number) => {
      const f = fastifyRuns[i]?.serverCpuUsPerRequest;
      return r.serverCpuUsPerRequest === null || !f ? undefined : r.serverCpuUsPerRequest / f;
    };

    // One key, many connections, the same body: exactly one request may come of it.
    const storm = await load(
      spendTarget(group.server.url, group.key, { 'idempotency-key': 'storm-1' }),
      64,
      Math.max(3, Math.round(SECONDS / 2)),
    );
    const ledger = (
      await owner(
        group.server.url,
        group.token,
        'GET',
        '/admin/v1/ledger?type=spend.approved&limit=1000',
      )
    ).entries as Array<{ data: { reason?: string }; object_id: string }>;
    const stormIds = await fetch(`${group.server.url}/v1/spend`, {
      ...spendTarget(group.server.url, group.key, { 'idempotency-key': 'storm-1' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    const stormEntries = ledger.filter((e) => e.object_id === stormIds.id).length;
    await group.server.stop();

    const serial = await startPurser(join(scratch, 'serial'), 'serial');
    const serialRun = await load(
      spendTarget(serial.server.url, serial.key),
      64,
      SECONDS,
      serial.server.child.pid,
    );
    await serial.server.stop();

    log('\nthroughput (POST; Purser: POST /v1/spend, durable)');
    log(
      `${'server'.padEnd(26)} ${'conns'.padStart(5)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'bad'.padStart(7)} ${'cpu µs/req'.padStart(9)} ${'main µs'.padStart(9)} ${'load µs'.padStart(9)} ${'ratio'.padStart(7)} ${'cpu ×fast'.padStart(9)}`,
    );
    bareRuns.forEach((r) => log(row('bare node:http', r)));
    fastifyRuns.forEach((r, i) =>
      log(
        row('fastify, fixed JSON', r, r.requestsPerSecond / (bareRuns[i]?.requestsPerSecond ?? 1)),
      ),
    );
    const purserRow = (label: string, list: LoadResult[]) =>
      list.forEach((r, i) =>
        log(
          row(
            label,
            r,
            r.requestsPerSecond / (bareRuns[i]?.requestsPerSecond ?? 1),
            cpuRatio(r, i),
          ),
        ),
      );
    purserRow('purser, no key', purserRuns);
    purserRow('purser, UUID keys', runs.purserUuid);
    purserRow('purser, UUID + 10% replays', runs.purserReplays);
    purserRow('floor reference, UUID keys', runs.floor);
    log(
      row(
        'purser (commit per request)',
        serialRun,
        serialRun.requestsPerSecond / (bareRuns[2]?.requestsPerSecond ?? 1),
      ),
    );
    log(
      `\nidempotent-replay storm: ${storm.requests} requests on 64 connections with one key → ${stormEntries} ledger entr${stormEntries === 1 ? 'y' : 'ies'}`,
    );

    log(`\ndecisions against history (in-process, fsync on every commit):`);
    const history = await historyBench(join(scratch, 'history'), LEDGER, log);

    Object.assign(results, {
      bare: bareRuns,
      fastify: fastifyRuns.map((r, i) => ({
        ...r,
        ratioToBare: r.requestsPerSecond / (bareRuns[i]?.requestsPerSecond ?? 1),
      })),
      purser: purserRuns.map((r, i) => ({
        ...r,
        ratioToBare: r.requestsPerSecond / (bareRuns[i]?.requestsPerSecond ?? 1),
        cpuToFastify: cpuRatio(r, i) ?? null,
      })),
      purserUuidKeys: runs.purserUuid.map((r, i) => ({
        ...r,
        cpuToFastify: cpuRatio(r, i) ?? null,
      })),
      purserUuidKeysWithReplays: runs.purserReplays.map((r, i) => ({
        ...r,
        cpuToFastify: cpuRatio(r, i) ?? null,
      })),
      floorReferenceUuidKeys: runs.floor.map((r, i) => ({
        ...r,
        cpuToFastify: cpuRatio(r, i) ?? null,
      })),
      purserCommitPerRequest: {
        ...serialRun,
        ratioToBare: serialRun.requestsPerSecond / (bareRuns[2]?.requestsPerSecond ?? 1),
      },
      replayStorm: {
        requests: storm.requests,
        connections: 64,
        ledgerEntries: stormEntries,
        non2xx: storm.non2xx,
      },
      history,
    });
    const target64 = purserRuns[2];
    const ratio64 = target64
      ? target64.requestsPerSecond / (bareRuns[2]?.requestsPerSecond ?? 1)
      : 0;
    log(
      `\ntarget at 64 connections: ratio ≥ 0.5 (${ratio64.toFixed(2)}), p99 ≤ 10 ms (${target64?.p99Ms.toFixed(1)} ms)`,
    );
    // The target of a durable decision's cost: with UUID keys at 16 connections, CPU per
    // decision ≤ 3.0× Fastify's per request, p99 ≤ 10 ms, nothing but 2xx; at 1 connection
    // p50 ≤ 1 ms.
    const uuid16 = runs.purserUuid[1];
    const uuid1 = runs.purserUuid[0];
    const floor16 = runs.floor[1];
    if (uuid16 && uuid1) {
      const r16 = cpuRatio(uuid16, 1);
      const floorR16 = floor16 ? cpuRatio(floor16, 1) : undefined;
      results.decisionCostTarget = {
        cpuToFastifyAt16: r16 ?? null,
        floorCpuToFastifyAt16: floorR16 ?? null,
        p99MsAt16: uuid16.p99Ms,
        badAt16: uuid16.non2xx + uuid16.errors + uuid16.timeouts,
        p50MsAt1: uuid1.p50Ms,
      };
      log(
        `target with UUID keys: at 16 connections CPU ≤ 3.0× Fastify (${r16?.toFixed(1) ?? '–'}×), p99 ≤ 10 ms (${uuid16.p99Ms.toFixed(1)} ms), ` +
          `no non-2xx (${uuid16.non2xx + uuid16.errors + uuid16.timeouts}); at 1 connection p50 ≤ 1 ms (${uuid1.p50Ms.toFixed(1)} ms)`,
      );
      if (floor16?.serverCpuUsPerRequest && uuid16.serverCpuUsPerRequest)
        log(
          `the floor reference at 16 connections: ${micros(floor16.serverCpuUsPerRequest)} µs (${floorR16?.toFixed(1) ?? '–'}× Fastify); ` +
            `Purser costs ${(uuid16.serverCpuUsPerRequest / floor16.serverCpuUsPerRequest).toFixed(2)}× the floor`,
        );
    }
    const budget = cpuBudget(bareRuns[2], fastifyRuns[2], target64);
    if (budget) {
      results.cpuBudget = budget;
      log(
        `CPU budget for that target here (${budget.cores} cores): 0.5× bare is ${budget.targetRequestsPerSecond.toFixed(0)} req/s, which allows ` +
          `${budget.mainThreadBudgetUs.toFixed(0)} µs per request on one event loop and ${budget.totalBudgetUs.toFixed(0)} µs in all threads ` +
          `(the cores less the load generator's ${budget.loadgenUs.toFixed(0)} µs). Purser used ${micros(budget.purserMainThreadUs)} µs on its ` +
          `event loop and ${micros(budget.purserTotalUs)} µs in all; Fastify answering a fixed body used ${micros(budget.fastifyUs)} µs.`,
      );
    }

    const out = join(here, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    log(`\nwritten to test/bench/results/latest.json`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
