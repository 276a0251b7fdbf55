/**
 * The money-integrity attacks that need a chain (docs/money-integrity.md), on a real local
 * node: an x402 payment "settled" by the agent's own 1-micro receipt, and the funding a
 * Purser-held wallet gives its agent. Before the rules, four 25¢ payments took $1.00 from
 * the wallet while the agent's spend showed 1 micro-dollar.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import {
  balanceOf,
  chainWorldPerFile,
  expectOk,
  fetchPaid,
  pay,
  paymentRequiredOf,
  PRICE,
  sync,
  walletAgent,
  type ChainWorld,
} from './world';

const chain = chainWorldPerFile();
let w: ChainWorld;
beforeAll(() => {
  w = chain.world();
});

it('x402 for free: a receipt cannot settle a payment Purser signed; the chain settles it, in full', async () => {
  const t = await chain.purser();
  const { key, address } = await walletAgent(t, { budget_cents: 1_000 }, 1_000);
  const walletBefore = await balanceOf(w, address);
  for (let i = 0; i < 4; i += 1) {
    const required = await paymentRequiredOf(w.paywall.url);
    const paid = expectOk(await pay(t, key, w.paywall.url, required, randomUUID()));
    const claim = await t.agent<{ error: { code: string; details: { reason: string } } }>(
      key,
      'POST',
      '/v1/receipts',
      {
        amount_micros: 1,
        rail: 'x402',
        host: '127.0.0.1',
        spend_request_id: paid.body.spend_request_id,
      },
    );
    expect(claim.status).toBe(409);
    expect(claim.body.error.details.reason).toBe('paid_through_purser');
    // Nor can the owner settle it for less by hand: the chain says what it cost (the
    // model-based test found a later release then took back more than was counted).
    const settle = await t.owner<{ error: { details: { reason: string } } }>(
      'POST',
      `/admin/v1/spend-requests/${String(paid.body.spend_request_id)}/settle`,
      { amount_cents: 10 },
    );
    expect(settle.status).toBe(409);
    expect(settle.body.error.details.reason).toBe('paid_through_purser');
    const resource = await fetchPaid(
      w.paywall.url,
      paid.body.payment_header_name as string,
      paid.body.payment_signature as string,
    );
    expect(resource.status).toBe(200);
  }
  const [report] = await sync(t);
  expect(report).toMatchObject({ settled: 4, released: 0, unmatched: 0 });
  // What left the wallet is what counts: 4 × 25¢, to the micro-dollar.
  expect(walletBefore - (await balanceOf(w, address))).toBe(4n * PRICE);
  const balance = expectOk(
    await t.agent<{ spent_cents: number; funding_balance_cents: number }>(
      key,
      'GET',
      '/v1/balance',
    ),
  );
  expect(balance.body).toMatchObject({ spent_cents: 100, funding_balance_cents: 900 });
});

it('a Purser-held wallet funds its agent: what arrived on chain, less what it spent', async () => {
  const t = await chain.purser();
  const { key } = await walletAgent(t, { budget_cents: 1_000 }, 30);
  const funded = expectOk(
    await t.agent<{ funding_balance_cents: number; funding_source: { id: string; kind: string } }>(
      key,
      'GET',
      '/v1/balance',
    ),
  );
  expect(funded.body).toMatchObject({
    funding_balance_cents: 30,
    funding_source: { kind: 'onchain' },
  });
  // One 25¢ payment fits what the wallet holds; the second would not, and is refused
  // before anything is signed, whatever the budget says.
  const first = expectOk(
    await pay(t, key, w.paywall.url, await paymentRequiredOf(w.paywall.url), randomUUID()),
  );
  expect(first.body.status).toBe('signed');
  const second = await pay(
    t,
    key,
    w.paywall.url,
    await paymentRequiredOf(w.paywall.url),
    randomUUID(),
  );
  expect(second.status).toBe(402);
  expect(second.body).toMatchObject({ error: { code: 'policy_declined' } });
  // The owner's deposit into a cash source cannot fund it: it is on chain.
  const deposit = await t.owner('POST', '/admin/v1/funding/deposit', {
    amount_cents: 100,
    funding_source_id: funded.body.funding_source.id,
  });
  expect(deposit.status).toBe(400);
});

it('a payment the policy declines says the policy declined it', async () => {
  const t = await chain.purser();
  const { key } = await walletAgent(t, { budget_cents: 10 }, 100);
  const refused = await pay(
    t,
    key,
    w.paywall.url,
    await paymentRequiredOf(w.paywall.url),
    randomUUID(),
  );
  expect(refused.status).toBe(402);
  expect(refused.body).toMatchObject({
    error: {
      code: 'policy_declined',
      message: expect.stringMatching(/^The policy declined this payment: /),
      details: { decision_rule: 'over_budget' },
    },
  });
});
