/**
 * Reservations are released once they can no longer be paid (docs/chain.md): a signed
 * authorization whose validBefore has passed on chain unused, and an approved payment
 * whose agent never came back for the signature. Released money is no longer counted.
 * (Its own file: it moves the chain's clock, which would expire other tests' payments.)
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { createTestClient } from 'viem';
import { localTransport } from './transport';
import {
  expectOk,
  fetchPaid,
  pay,
  paymentRequiredOf,
  chainWorldPerFile,
  sync,
  walletAgent,
  type ChainWorld,
} from './world';

const chain = chainWorldPerFile();
let w: ChainWorld;
beforeAll(() => {
  w = chain.world();
});

it('an approved payment never fetched is released after 15 minutes', async () => {
  const t = await chain.purser();
  // Funded on chain: a Purser-held wallet is its agent's funding (docs/money-integrity.md).
  const { key } = await walletAgent(t, { budget_cents: 100, approval_threshold_cents: 10 }, 100);
  const required = await paymentRequiredOf(w.paywall.url);
  const idem = randomUUID();
  const pending = await pay(t, key, w.paywall.url, required, idem);
  expect(pending.status).toBe(202);
  expectOk(
    await t.owner(
      'POST',
      `/admin/v1/spend-requests/${pending.body.spend_request_id as string}/approve`,
      {},
    ),
  );
  expect(expectOk(await t.agent(key, 'GET', '/v1/balance')).body.spent_cents).toBe(25);
  t.clock.advance(14 * 60_000);
  expect((await sync(t))[0]?.released).toBe(0);
  t.clock.advance(2 * 60_000);
  expect((await sync(t))[0]?.released).toBe(1);
  expect(expectOk(await t.agent(key, 'GET', '/v1/balance')).body.spent_cents).toBe(0);
  // The retry learns it lapsed; nothing is signed for it any more.
  const late = expectOk(await pay(t, key, w.paywall.url, required, idem));
  expect(late.body).toMatchObject({ status: 'released', payment_signature: null });
  expect(expectOk(await t.owner('POST', '/admin/v1/ledger/verify')).body.ok).toBe(true);
});

it('a signed authorization unused past its validBefore is released, and then cannot settle', async () => {
  const t = await chain.purser();
  const { key, address } = await walletAgent(t, { budget_cents: 100 }, 100);
  const required = await paymentRequiredOf(w.paywall.url);
  const signed = expectOk(await pay(t, key, w.paywall.url, required, randomUUID()));
  expect(signed.body.status).toBe('signed');
  expect((await sync(t))[0]?.released).toBe(0);

  // Move the chain past validBefore (300 s), as if the agent had sat on the signature.
  const test = createTestClient({ mode: 'hardhat', transport: localTransport(w.node.rpcUrl) });
  await test.increaseTime({ seconds: 400 });
  await test.mine({ blocks: 1 });
  expect((await sync(t))[0]?.released).toBe(1);
  expect(expectOk(await t.agent(key, 'GET', '/v1/balance')).body.spent_cents).toBe(0);
  // Too late: the chain refuses the expired authorization, and the wallet keeps its money.
  const used = await fetchPaid(
    w.paywall.url,
    'PAYMENT-SIGNATURE',
    signed.body.payment_signature as string,
  );
  expect(used.status).toBe(402);
  const balance = expectOk(await t.agent(key, 'GET', '/v1/balance'));
  expect(balance.body.onchain_wallet).toMatchObject({ address, balances: [{ usdc_cents: 100 }] });
});
