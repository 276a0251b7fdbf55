/**
 * Upkeep at the start of each write transaction records at most EXPIRY_BATCH expiries,
 * so a large backlog is worked off across transactions and never blocks one batch for
 * long, while the sweeper's cheap "anything due?" check still sees what is left.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS, ManualClock } from '../../../electron/core/clock';
import { EXPIRY_BATCH, runUpkeep } from '../../../electron/core/db/committer';
import { Wallet } from '../../../electron/core/wallet';
import { centsToMicros } from '../../../shared/money';
import { cleanupTmpDirs, tmpHome } from '../../helpers/tmp';
import { walletInternals } from '../../../electron/core/wallet-internals';
import { agentCommand, spendCommand } from '../../helpers/commands';

const wallets: Wallet[] = [];
afterEach(async () => {
  for (const w of wallets.splice(0)) await w.close();
  cleanupTmpDirs();
});

describe('expiry backlog', () => {
  it('expires a backlog larger than one batch across transactions, each expiry ledgered once', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 9));
    const wallet = Wallet.open({ home: tmpHome('expiry'), clock });
    wallets.push(wallet);
    await wallet.funding.deposit({ mode: 'live' }, centsToMicros(10_000_000));
    const { agent } = await wallet.agents.create(
      agentCommand({
        name: 'a',
        mode: 'live',
        budget_cents: 10_000_000,
        approval_threshold_cents: 1,
        rate_limit_per_minute: 100_000,
        // A backlog this large needs the cap on waiting requests raised (docs/money-integrity.md).
        max_pending: 1_000,
      }),
    );
    const { plaintext } = await wallet.keys.issue(agent.id, {});
    const auth = walletInternals(wallet).keys.authenticate(plaintext, clock.now());
    const total = EXPIRY_BATCH + 37;
    const created = await Promise.all(
      Array.from({ length: total }, () =>
        wallet.spend.create(
          auth,
          spendCommand({ amount_cents: 500, currency: 'usd', merchant_name: 'AWS', reason: 'x' }),
          undefined,
        ),
      ),
    );
    expect(created.every((r) => r.kind === 'created' && r.record.status === 'needs_approval')).toBe(
      true,
    );
    const { spends } = walletInternals(wallet);
    expect(spends.anyDue(clock.now())).toBe(false);

    clock.advance(24 * HOUR_MS);
    expect(spends.anyDue(clock.now())).toBe(true);
    expect(spends.due(clock.now())).toHaveLength(EXPIRY_BATCH);

    await runUpkeep(walletInternals(wallet).committer);
    expect(spends.countPending()).toBe(37);
    expect(spends.anyDue(clock.now())).toBe(true);

    await wallet.sweep();
    expect(spends.countPending()).toBe(0);
    expect(spends.anyDue(clock.now())).toBe(false);
    const expired = walletInternals(wallet)
      .db.prepare(
        "SELECT count(*) AS n, count(DISTINCT object_id) AS ids FROM ledger WHERE type = 'spend.expired'",
      )
      .get() as { n: bigint; ids: bigint };
    expect(expired).toEqual({ n: BigInt(total), ids: BigInt(total) });
    expect(walletInternals(wallet).ledger.verify().ok).toBe(true);
  });
});
