/**
 * `npm run bench:stages`: where a durable decision's time goes inside the wallet, without
 * HTTP (docs/performance.md). Spends with a fresh UUID idempotency key each are decided
 * through the real write path (group commit, fsync) in batches of BENCH_BATCH (default 5,
 * what 16 connections give), and the repositories' methods on the hot path are timed.
 * The figures are wall-clock µs per decision inside each method, averaged over
 * BENCH_DECISIONS (default 20,000) after a warm-up round; the group committer's own timers
 * give the whole job and the COMMIT.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from '../../electron/core/wallet';
import { walletInternals } from '../../electron/core/wallet-internals';
import { GroupCommitter } from '../../electron/core/db/group-committer';
import { spendClaimOf, spendCommandOf } from '../../electron/api/commands';
import { benchAgent } from './bench-agent';

const BATCH = Number(process.env.BENCH_BATCH ?? 5);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 20_000);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'purser-stages-'));
  const wallet = Wallet.open({ home });
  try {
    const d = walletInternals(wallet);
    const auth = await benchAgent(wallet, 'stages');

    const spent = new Map<string, number>();
    const time = <T extends object>(target: T, method: keyof T & string, label: string) => {
      const original = target[method] as (...args: unknown[]) => unknown;
      (target as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const started = performance.now();
        try {
          return original.apply(target, args);
        } finally {
          spent.set(label, (spent.get(label) ?? 0) + performance.now() - started);
        }
      };
    };
    time(d.idempotency, 'lookup', 'idempotency lookup (hash the body, find the key)');
    time(d.idempotency, 'remember', 'idempotency row');
    time(d.ledger, 'append', 'ledger entry (canonical form, hash, insert)');
    time(d.spends, 'insert', 'spend request row');
    time(d.meters, 'record', 'usage row and meters');
    time(d.funding, 'addToBalance', 'funding balance');
    time(d.limits, 'budget', 'budget reading (meter)');
    time(d.merchants, 'remember', 'known merchants');

    const committer = d.committer;
    if (!(committer instanceof GroupCommitter)) throw new Error('expected group commit');
    const body = { amount_cents: 1, currency: 'usd' as const, merchant_name: 'AWS', reason: 'x' };
    const command = spendCommandOf(body);
    const round = async () => {
      for (let done = 0; done < DECISIONS; done += BATCH)
        await Promise.all(
          Array.from({ length: BATCH }, () =>
            wallet.spend.create(auth, command, spendClaimOf(randomUUID(), body)),
          ),
        );
    };
    await round(); // warm-up: JIT, page cache
    spent.clear();
    const before = { ...committer.stats };
    const started = performance.now();
    await round();
    const wall = performance.now() - started;
    const per = (ms: number) => ((ms * 1000) / DECISIONS).toFixed(1).padStart(6);
    const { stats } = committer;
    log(
      `${DECISIONS} decisions in batches of ${BATCH} (${((stats.jobs - before.jobs) / (stats.batches - before.batches)).toFixed(1)} a batch), µs per decision:`,
    );
    log(`${per(stats.jobMs - before.jobMs)}  the job: BEGIN, upkeep, every statement, in JS`);
    for (const [label, ms] of [...spent].sort((a, b) => b[1] - a[1])) log(`${per(ms)}    ${label}`);
    log(`${per(stats.commitMs - before.commitMs)}  COMMIT (the batch's pages into the WAL)`);
    log(`${per(wall)}  wall clock, with the wait for each batch's fsync`);
  } finally {
    await wallet.close();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
