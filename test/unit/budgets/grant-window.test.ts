/**
 * A budget request's window opens when the owner approves it, not when the agent asked
 * (docs/decision-order.md, step 12: "the window opens now"). An owner who answers a
 * request 20 hours late and grants the default 24 hours gives the agent 24 hours from the
 * approval: counting from the request would leave it 4.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS, ManualClock } from '../../../electron/core/clock';
import { DEFAULT_GRANT_HOURS } from '../../../electron/core/budgets/budget-service';
import type { KeyAuth } from '../../../electron/core/keys/key-repository';
import { Wallet } from '../../../electron/core/wallet';
import { walletInternals } from '../../../electron/core/wallet-internals';
import { centsToMicros } from '../../../shared/money';
import { cleanupTmpDirs, tmpHome } from '../../helpers/tmp';
import {
  agentCommand,
  budgetRequestCommand,
  grantCommand,
  spendCommand,
} from '../../helpers/commands';

const wallets: Wallet[] = [];
afterEach(async () => {
  for (const w of wallets.splice(0)) await w.close();
  cleanupTmpDirs();
});

/** A wallet with one agent whose own budget ($1 a day, declined beyond) is far below $20. */
async function world() {
  const clock = new ManualClock(Date.UTC(2026, 4, 4, 8)); // a Monday, no DST change near
  const wallet = Wallet.open({ home: tmpHome('grant-window'), clock });
  wallets.push(wallet);
  await wallet.funding.deposit({ mode: 'live' }, centsToMicros(100_000));
  const { agent } = await wallet.agents.create(
    agentCommand({
      name: 'researcher',
      mode: 'live',
      budget_cents: 100,
      period: 'daily',
      over_budget: 'decline',
      rate_limit_per_minute: 1_000,
    }),
  );
  const { plaintext } = await wallet.keys.issue(agent.id, {});
  const auth = walletInternals(wallet).keys.authenticate(plaintext, clock.now());
  return { wallet, clock, auth };
}

async function spend20(wallet: Wallet, auth: KeyAuth) {
  const r = await wallet.spend.create(
    auth,
    spendCommand({
      amount_cents: 2_000,
      currency: 'usd',
      merchant_name: 'GPU Co',
      reason: 'grant window',
    }),
    undefined,
  );
  if (r.kind !== 'created') throw new Error(`refused: ${JSON.stringify(r)}`);
  return r.record;
}

describe('a budget request approved late', () => {
  it('is usable for the whole default window counted from the approval, and expires at its end', async () => {
    const { wallet, clock, auth } = await world();
    const { result: requested } = await wallet.budgets.create(
      auth,
      budgetRequestCommand({ amount_cents: 5_000, purpose: 'a one-off evaluation run' }),
      undefined,
    );
    expect(requested.status).toBe('pending');

    // The owner answers 20 h later, within the 24 h a pending request waits.
    clock.advance(20 * HOUR_MS);
    const approvedAt = clock.now();
    const approved = await wallet.budgets.approve(requested.id, grantCommand({}));
    expect(approved.status).toBe('approved');
    expect(approved.expiresAt).toBe(approvedAt + DEFAULT_GRANT_HOURS * HOUR_MS);

    // 23 h after the approval (43 h after the request) the grant still pays: $20 is far
    // above the agent's $1 budget, so only the grant can approve it.
    clock.advance(23 * HOUR_MS);
    await wallet.sweep();
    const inside = await spend20(wallet, auth);
    expect(inside.status).toBe('approved');
    expect(inside.budgetRequestId).toBe(requested.id);
    const drawn = walletInternals(wallet).budgets.get(requested.id);
    expect(drawn).toMatchObject({ status: 'approved', spent: centsToMicros(2_000) });

    // At approval + 24 h the window has closed: the grant is expired and no longer drawn on.
    clock.advance(1 * HOUR_MS);
    await wallet.sweep();
    expect(walletInternals(wallet).budgets.get(requested.id)?.status).toBe('expired');
    const after = await spend20(wallet, auth);
    expect(after.budgetRequestId).toBeNull();
    expect(after.status).toBe('declined');
    expect(walletInternals(wallet).budgets.get(requested.id)?.spent).toBe(centsToMicros(2_000));
  });

  it('an approval with explicit hours also counts them from the approval', async () => {
    const { wallet, clock, auth } = await world();
    const { result: requested } = await wallet.budgets.create(
      auth,
      budgetRequestCommand({ amount_cents: 5_000, purpose: 'a second run' }),
      undefined,
    );
    clock.advance(10 * HOUR_MS);
    const approved = await wallet.budgets.approve(requested.id, grantCommand({ hours: 2 }));
    expect(approved.expiresAt).toBe(clock.now() + 2 * HOUR_MS);
    clock.advance(2 * HOUR_MS - 1);
    expect((await spend20(wallet, auth)).budgetRequestId).toBe(requested.id);
    // At the instant it expires, the grant no longer pays (its window is [approval, end)).
    clock.advance(1);
    const atEnd = await spend20(wallet, auth);
    expect(atEnd.budgetRequestId).toBeNull();
    expect(atEnd.status).toBe('declined');
  });
});
