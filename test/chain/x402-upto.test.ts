/**
 * x402 `upto` through Purser (docs/chain.md, "x402 upto"): the policy judges the maximum and
 * the reservation holds it; the merchant settles what was used through Permit2 and x402's
 * upto proxy; what the chain shows moving is what counts, and the difference goes back to
 * the budget by that fact alone. A real Hardhat node, the test USDC, the x402 packages' own
 * upto server, client and facilitator, and Permit2 and the proxy at their canonical
 * addresses (test/chain/canonical-contracts.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient } from 'viem';
import { hardhat } from 'viem/chains';
import { HARDHAT_NETWORK, startPaywall, type Paywall } from './paywall';
import { PERMIT2_ADDRESS } from './canonical-contracts';
import { localTransport } from './transport';
import {
  allowanceOf,
  balanceOf,
  chainWorldPerFile,
  decoded,
  expectOk,
  fetchPaid,
  pay,
  paymentRequiredOf,
  sync,
  walletAgent,
  type ChainWorld,
} from './world';

const MAX = 500_000n; // $0.50 signed for
const CHARGE = 120_000n; // $0.12 used

const chain = chainWorldPerFile();
let w: ChainWorld;
let upto: Paywall;
beforeAll(async () => {
  w = chain.world();
  upto = await startPaywall({
    rpcUrl: w.node.rpcUrl,
    usdcAddress: w.usdc.address,
    payTo: w.merchant.address,
    price: MAX,
    facilitatorPrivateKey: w.facilitator.privateKey,
    network: HARDHAT_NETWORK,
    path: '/metered',
    upto: { charge: CHARGE },
  });
});
afterAll(async () => {
  await upto?.stop();
});

const spentCents = async (t: Awaited<ReturnType<typeof chain.purser>>, key: string) =>
  expectOk(await t.agent(key, 'GET', '/v1/balance')).body.spent_cents as number;

describe('x402 upto through Purser', () => {
  it('a paywall that charges less than the maximum leaves the difference in the budget once the chain shows it', async () => {
    const t = await chain.purser();
    const { key, address, agent } = await walletAgent(t, { budget_cents: 100 });
    const required = await paymentRequiredOf(upto.url);
    expect(decoded(required).accepts[0]).toMatchObject({ scheme: 'upto', amount: '500000' });

    const paid = expectOk(await pay(t, key, upto.url, required, randomUUID()));
    expect(paid.body).toMatchObject({
      status: 'signed',
      decision: 'approved',
      scheme: 'upto',
      amount_units: MAX.toString(),
      settled_amount_units: null,
    });
    // The maximum is held until the chain says otherwise.
    expect(await spentCents(t, key)).toBe(50);
    // Permit2 may move exactly what the open upto payments could take, no more.
    expect(await allowanceOf(w, address, PERMIT2_ADDRESS)).toBe(MAX);

    const merchantBefore = await balanceOf(w, w.merchant.address);
    const resource = await fetchPaid(
      upto.url,
      paid.body.payment_header_name as string,
      paid.body.payment_signature as string,
    );
    expect(resource.status, resource.body).toBe(200);
    expect(await balanceOf(w, w.merchant.address)).toBe(merchantBefore + CHARGE);
    expect(await balanceOf(w, address)).toBe(10_000_000n - CHARGE);
    // Still held: only the chain's word, read by the reconciler, gives anything back.
    expect(await spentCents(t, key)).toBe(50);

    const reports = await sync(t);
    expect(reports[0], JSON.stringify(reports)).toMatchObject({ settled: 1, unmatched: 0 });
    const read = expectOk(await t.agent(key, 'GET', `/v1/x402/payments/${paid.body.id as string}`));
    expect(read.body).toMatchObject({
      status: 'settled',
      settled_amount_units: CHARGE.toString(),
    });
    expect(await spentCents(t, key)).toBe(12);

    const ledger = expectOk(
      await t.owner<{
        entries: {
          type: string;
          amount_micros: number;
          counted_micros: number;
          data: Record<string, unknown>;
        }[];
      }>('GET', `/admin/v1/ledger?agent_id=${agent.id}`),
    );
    const entry = (type: string) => ledger.body.entries.find((e) => e.type === type);
    expect(entry('x402.settled'), JSON.stringify(ledger.body.entries)).toMatchObject({
      amount_micros: CHARGE.toString(),
      counted_micros: '0',
      data: { scheme: 'upto', max_units: '500000', settled_units: '120000' },
    });
    // The unused part of the maximum comes back in an entry of its own.
    expect(entry('x402.released')).toMatchObject({
      amount_micros: (MAX - CHARGE).toString(),
      counted_micros: (CHARGE - MAX).toString(),
      data: { why: 'settled_for_less' },
    });
    expect(expectOk(await t.owner('POST', '/admin/v1/ledger/verify')).body.ok).toBe(true);

    // Settled once: a second sync changes nothing.
    const [again] = await sync(t);
    expect(again).toMatchObject({ settled: 0, unmatched: 0 });
    expect(await spentCents(t, key)).toBe(12);
  });

  it('judges the maximum: over budget it is declined and nothing is signed or approved on chain', async () => {
    const t = await chain.purser();
    const { key, address } = await walletAgent(t, { budget_cents: 30 });
    const required = await paymentRequiredOf(upto.url);
    const r = await pay(t, key, upto.url, required, randomUUID());
    expect(r.status, JSON.stringify(r.body)).toBe(402);
    expect(JSON.stringify(r.body)).not.toContain('payment_signature":"');
    expect(await allowanceOf(w, address, PERMIT2_ADDRESS)).toBe(0n);
    expect(await spentCents(t, key)).toBe(0);
  });

  it('a retry with the same key gets the same signature, and one Permit2 approval covers it', async () => {
    const t = await chain.purser();
    const { key, address } = await walletAgent(t, { budget_cents: 100 });
    const required = await paymentRequiredOf(upto.url);
    const idem = randomUUID();
    const first = expectOk(await pay(t, key, upto.url, required, idem));
    const second = expectOk(await pay(t, key, upto.url, required, idem));
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.payment_signature).toBe(first.body.payment_signature);
    expect(await allowanceOf(w, address, PERMIT2_ADDRESS)).toBe(MAX);
    expect(await spentCents(t, key)).toBe(50);
  });

  // Last: it moves the chain's clock for everything after it in this file.
  it('an upto authorization never used is released once the chain passes its deadline', async () => {
    const t = await chain.purser();
    const { key } = await walletAgent(t, { budget_cents: 100 });
    const required = await paymentRequiredOf(upto.url);
    const paid = expectOk(await pay(t, key, upto.url, required, randomUUID()));
    expect(paid.body.status).toBe('signed');
    expect(await spentCents(t, key)).toBe(50);

    // Before the deadline nothing is released: the merchant could still settle it.
    const [early] = await sync(t);
    expect(early).toMatchObject({ released: 0 });

    const test = createTestClient({
      mode: 'hardhat',
      chain: hardhat,
      transport: localTransport(w.node.rpcUrl),
    });
    await test.increaseTime({ seconds: 400 });
    await test.mine({ blocks: 1 });
    const [late] = await sync(t);
    expect(late).toMatchObject({ released: 1 });
    expect(await spentCents(t, key)).toBe(0);
    const read = expectOk(await t.agent(key, 'GET', `/v1/x402/payments/${paid.body.id as string}`));
    expect(read.body.status).toBe('released');
  });
});
