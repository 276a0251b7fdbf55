/**
 * Decision cost against history: the same decisions measured with a small ledger and
 * with a million entries spread over days, on the real write path (group commit, fsync).
 */
import { MINUTE_MS, ManualClock } from '../../electron/core/clock';
import type { KeyAuth } from '../../electron/core/keys/key-repository';
import { Wallet } from '../../electron/core/wallet';
import { centsToMicros } from '../../shared/money';
import { walletInternals } from '../../electron/core/wallet-internals';
import { spendCommandOf } from '../../electron/api/commands';
import { agentCommand } from '../helpers/commands';

export interface LatencySample {
  ledgerEntries: number;
  /** One decision at a time, each committed on its own: what a lone agent waits. */
  sequentialP50Ms: number;
  sequentialP99Ms: number;
  /** 1,000 decisions queued at once (batched): CPU cost per decision. */
  batchedPerDecisionUs: number;
}

export interface HistoryResult {
  small: LatencySample;
  large: LatencySample;
  populateSeconds: number;
  verifyMillionSeconds: number;
  verifiedEntries: number;
  verifyOk: boolean;
}

const body = spendCommandOf({
  amount_cents: 1,
  currency: 'usd',
  merchant_name: 'AWS',
  reason: 'bench',
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function sample(
  wallet: Wallet,
  auth: KeyAuth,
  n: number,
): Promise<Omit<LatencySample, 'ledgerEntries'>> {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await wallet.spend.create(auth, body, undefined);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const batchStart = performance.now();
  await Promise.all(Array.from({ length: 1000 }, () => wallet.spend.create(auth, body, undefined)));
  const batched = ((performance.now() - batchStart) * 1000) / 1000;
  return {
    sequentialP50Ms: percentile(times, 50),
    sequentialP99Ms: percentile(times, 99),
    batchedPerDecisionUs: batched,
  };
}

export async function historyBench(
  home: string,
  target: number,
  log: (line: string) => void,
): Promise<HistoryResult> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 0, 0));
  const wallet = Wallet.open({ home, clock, groupCommit: { maxBatch: 2048, maxQueue: 1 << 20 } });
  try {
    await wallet.funding.deposit({ mode: 'live' }, centsToMicros(100_000_000_000));
    // Calendar daily budget and a rolling weekly funding limit: both windows move while
    // the history grows, so rollover and eviction are in the measurement.
    const { agent } = await wallet.agents.create(
      agentCommand({
        name: 'bench',
        mode: 'live',
        budget_cents: 100_000_000_000,
        period: 'daily',
        rate_limit_per_minute: 1_000_000,
      }),
    );
    const source = walletInternals(wallet).funding.defaultForMode('live');
    if (source)
      await wallet.funding.setLimit(source.id, {
        amount: centsToMicros(100_000_000_000),
        period: 'weekly',
        window: 'rolling',
      });
    const { plaintext } = await wallet.keys.issue(agent.id, {});
    const auth = walletInternals(wallet).keys.authenticate(plaintext, clock.now());

    // Warm the JIT first, so that the small-ledger figures measure the database, not the compiler.
    for (let i = 0; i < 3; i += 1) {
      await Promise.all(
        Array.from({ length: 500 }, () => wallet.spend.create(auth, body, undefined)),
      );
    }
    const measure = async (label: string): Promise<LatencySample> => {
      const result = {
        ledgerEntries: walletInternals(wallet).ledger.count(),
        ...(await sample(wallet, auth, 500)),
      };
      log(
        `  ${label} ledger (${result.ledgerEntries} entries): p50 ${result.sequentialP50Ms.toFixed(2)} ms, p99 ${result.sequentialP99Ms.toFixed(2)} ms, batched ${result.batchedPerDecisionUs.toFixed(1)} µs/decision`,
      );
      return result;
    };
    const small = await measure('small');

    const populateStart = performance.now();
    const chunk = 4000;
    while (walletInternals(wallet).ledger.count() < target) {
      clock.advance(10 * MINUTE_MS); // a week of history for a million entries
      await Promise.all(
        Array.from({ length: chunk }, () => wallet.spend.create(auth, body, undefined)),
      );
      const count = walletInternals(wallet).ledger.count();
      if (count % 100_000 < chunk) log(`  … ${count} entries`);
    }
    const populateSeconds = (performance.now() - populateStart) / 1000;
    const large = await measure('large');

    const verifyStart = performance.now();
    const verified = walletInternals(wallet).ledger.verify();
    const verifyMillionSeconds = (performance.now() - verifyStart) / 1000;
    log(
      `  ledger verify: ${verified.entries} entries in ${verifyMillionSeconds.toFixed(1)} s (${verified.ok ? 'ok' : 'BROKEN'})`,
    );
    return {
      small,
      large,
      populateSeconds,
      verifyMillionSeconds,
      verifiedEntries: verified.entries,
      verifyOk: verified.ok,
    };
  } finally {
    await wallet.close();
  }
}
