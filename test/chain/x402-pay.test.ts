/**
 * Purser pays x402 paywalls from agents' Purser-held wallets: a real Hardhat node, the
 * USDC look-alike, an @x402/express paywall with its facilitator, and Purser's /v1/x402/pay.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePaymentRequiredHeader } from '@x402/core/http';
import {
  balanceOf,
  decoded,
  expectOk,
  fetchPaid,
  pay,
  paymentRequiredOf,
  PRICE,
  sync,
  walletAgent,
  chainWorldPerFile,
  type ChainWorld,
} from './world';
import { deployTestToken, USDC } from './usdc';

const chain = chainWorldPerFile();
let w: ChainWorld;
beforeAll(() => {
  w = chain.world();
});
const purser = () => chain.purser();

describe('x402 through Purser', () => {
  it('pays a paywalled URL within budget, and the payment settles on chain once', async () => {
    const t = await purser();
    const { key, address, agent } = await walletAgent(t, { budget_cents: 100 });
    expect(await balanceOf(w, address)).toBe(10_000_000n); // $10 funded

    const required = await paymentRequiredOf(w.paywall.url);
    const idem = randomUUID();
    const paid = expectOk(await pay(t, key, w.paywall.url, required, idem));
    expect(paid.body).toMatchObject({
      status: 'signed',
      decision: 'approved',
      host: '127.0.0.1',
      pay_to: w.merchant.address,
      amount_units: PRICE.toString(),
      amount_micros: Number(PRICE),
      payment_header_name: 'PAYMENT-SIGNATURE',
    });
    const before = await balanceOf(w, w.merchant.address);
    const resource = await fetchPaid(
      w.paywall.url,
      paid.body.payment_header_name as string,
      paid.body.payment_signature as string,
    );
    expect(resource.status).toBe(200);
    expect(await balanceOf(w, w.merchant.address)).toBe(before + PRICE);

    const [report] = await sync(t);
    expect(report).toMatchObject({ settled: 1, unmatched: 0 });
    const read = expectOk(await t.agent(key, 'GET', `/v1/x402/payments/${paid.body.id as string}`));
    expect(read.body.status).toBe('settled');
    expect(read.body.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);

    // Counted once: 25 cents of the dollar budget.
    const balance = expectOk(await t.agent(key, 'GET', '/v1/balance'));
    expect(balance.body.spent_cents).toBe(25);
    expect(balance.body.onchain_wallet).toMatchObject({
      address,
      balances: [{ chain: 'local', usdc_units: (10_000_000n - PRICE).toString(), usdc_cents: 975 }],
    });
    const ledger = expectOk(
      await t.owner<{ entries: { type: string }[] }>(
        'GET',
        `/admin/v1/ledger?agent_id=${agent.id}`,
      ),
    );
    const types = ledger.body.entries.map((e) => e.type);
    expect(types, JSON.stringify(ledger.body.entries)).toEqual(
      expect.arrayContaining(['spend.approved', 'x402.signed', 'x402.settled', 'chain.funded']),
    );
    expect(expectOk(await t.owner('POST', '/admin/v1/ledger/verify')).body.ok).toBe(true);
  });

  it('refuses the payment that would go over budget before anything is signed', async () => {
    const t = await purser();
    const { key, address } = await walletAgent(t, { budget_cents: 40, over_budget: 'decline' });
    const required = await paymentRequiredOf(w.paywall.url);
    const first = expectOk(await pay(t, key, w.paywall.url, required, randomUUID()));
    expect(first.body.status).toBe('signed');
    const walletBefore = await balanceOf(w, address);

    const second = await pay(t, key, w.paywall.url, required, randomUUID());
    expect(second.status, JSON.stringify(second.body)).toBe(402);
    expect(second.body).toMatchObject({ error: { code: 'policy_declined' } });
    expect(JSON.stringify(second.body)).not.toContain('payment_signature');
    // Nothing signed: one signature in the ledger, the wallet untouched.
    const ledger = expectOk(
      await t.owner<{ entries: { type: string; status: string }[] }>('GET', '/admin/v1/ledger'),
    );
    expect(ledger.body.entries.filter((e) => e.type === 'x402.signed')).toHaveLength(1);
    expect(ledger.body.entries.some((e) => e.type === 'spend.declined')).toBe(true);
    expect(await balanceOf(w, address)).toBe(walletBefore);
  });

  it('returns the same signature to a retry with the same key, and it settles once', async () => {
    const t = await purser();
    const { key, address } = await walletAgent(t, { budget_cents: 100 });
    const required = await paymentRequiredOf(w.paywall.url);
    const idem = randomUUID();
    const [a, b] = await Promise.all([
      pay(t, key, w.paywall.url, required, idem),
      pay(t, key, w.paywall.url, required, idem),
    ]);
    expectOk(a);
    expectOk(b);
    expect(b.body.payment_signature).toBe(a.body.payment_signature);
    expect(b.body.id).toBe(a.body.id);

    const sig = a.body.payment_signature as string;
    expect((await fetchPaid(w.paywall.url, 'PAYMENT-SIGNATURE', sig)).status).toBe(200);
    // The same authorization again: the chain has used its nonce.
    expect((await fetchPaid(w.paywall.url, 'PAYMENT-SIGNATURE', sig)).status).toBe(402);
    const c = expectOk(await pay(t, key, w.paywall.url, required, idem));
    expect(c.body.payment_signature).toBe(sig);
    expect(c.headers.get('idempotent-replayed')).toBe('true');

    await sync(t);
    expect(await balanceOf(w, address)).toBe(10_000_000n - PRICE);
    const balance = expectOk(await t.agent(key, 'GET', '/v1/balance'));
    expect(balance.body.spent_cents).toBe(25);
  });

  it('needs the owner’s approval above the threshold; once approved, the retry pays', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100, approval_threshold_cents: 10 });
    const required = await paymentRequiredOf(w.paywall.url);
    const idem = randomUUID();
    const pending = await pay(t, key, w.paywall.url, required, idem);
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: 'awaiting_approval', payment_signature: null });

    // The owner sees what the payment is before approving it.
    const approvals = expectOk(
      await t.owner<{ spend_requests: { id: string; x402: Record<string, unknown> | null }[] }>(
        'GET',
        '/admin/v1/approvals',
      ),
    );
    const prompt = approvals.body.spend_requests.find(
      (r) => r.id === pending.body.spend_request_id,
    );
    expect(prompt?.x402).toMatchObject({
      host: '127.0.0.1',
      pay_to: w.merchant.address,
      paid_before: false,
      network: 'eip155:31337',
      asset: w.usdc.address,
      amount_cents: 25,
    });
    expectOk(
      await t.owner(
        'POST',
        `/admin/v1/spend-requests/${pending.body.spend_request_id as string}/approve`,
        {},
      ),
    );
    const paid = expectOk(await pay(t, key, w.paywall.url, required, idem));
    expect(paid.body.status).toBe('signed');
    const resource = await fetchPaid(
      w.paywall.url,
      'PAYMENT-SIGNATURE',
      paid.body.payment_signature as string,
    );
    expect(resource.status).toBe(200);
  });

  it('an owner’s decline answers the retry with policy_declined, never a signature', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100, approval_threshold_cents: 10 });
    const required = await paymentRequiredOf(w.paywall.url);
    const idem = randomUUID();
    const pending = await pay(t, key, w.paywall.url, required, idem);
    expectOk(
      await t.owner(
        'POST',
        `/admin/v1/spend-requests/${pending.body.spend_request_id as string}/decline`,
        {},
      ),
    );
    const retry = await pay(t, key, w.paywall.url, required, idem);
    expect(retry.status).toBe(402);
    expect(retry.body).toMatchObject({ error: { code: 'policy_declined' } });
  });

  describe('declines what must not be signed', () => {
    it.each([
      [
        'an unknown network',
        (r: Record<string, unknown>) => ({ ...r, network: 'eip155:8453' }),
        /not configured/,
      ],
      [
        'an asset that is not the configured USDC',
        (r: Record<string, unknown>) => ({
          ...r,
          asset: '0x0000000000000000000000000000000000000001',
        }),
        /not the USDC configured/,
      ],
      [
        'maxTimeoutSeconds over 300',
        (r: Record<string, unknown>) => ({ ...r, maxTimeoutSeconds: 301 }),
        /over the 300 s/,
      ],
      [
        'another EIP-712 domain',
        (r: Record<string, unknown>) => ({ ...r, extra: { name: 'USD Coin', version: '2' } }),
        /EIP-712 domain/,
      ],
      [
        'a permit2 transfer',
        (r: Record<string, unknown>) => ({
          ...r,
          extra: { ...(r.extra as object), assetTransferMethod: 'permit2' },
        }),
        /permit2/,
      ],
    ])('%s', async (_name, mutate, reason) => {
      const t = await purser();
      const { key } = await walletAgent(t, { budget_cents: 100 }, 0);
      const pr = decoded(await paymentRequiredOf(w.paywall.url));
      const header = encodePaymentRequiredHeader({
        ...pr,
        accepts: pr.accepts.map(
          (a) => mutate(a as unknown as Record<string, unknown>) as unknown as typeof a,
        ),
      });
      const r = await pay(t, key, w.paywall.url, header, randomUUID());
      expect(r.status).toBe(402);
      expect(r.body).toMatchObject({ error: { code: 'policy_declined' } });
      expect((r.body as { error: { message: string } }).error.message).toMatch(reason);
    });

    it('a deny-listed payTo', async () => {
      const t = await purser();
      const { key } = await walletAgent(
        t,
        { budget_cents: 100, deny_merchants: [w.merchant.address.toLowerCase()] },
        0,
      );
      const r = await pay(
        t,
        key,
        w.paywall.url,
        await paymentRequiredOf(w.paywall.url),
        randomUUID(),
      );
      expect(r.status).toBe(402);
      expect((r.body as { error: { message: string } }).error.message).toMatch(/deny list/);
    });

    it('a token with 18 decimals cannot pass as cheaper: it is not the configured asset', async () => {
      const t = await purser();
      const { key } = await walletAgent(t, { budget_cents: 100 }, 0);
      const dai = await deployTestToken(w.node.rpcUrl, w.deployer.privateKey, {
        ...USDC,
        decimals: 18,
      });
      const pr = decoded(await paymentRequiredOf(w.paywall.url));
      // 1e18 units of an 18-decimal token is a dollar, not a trillion dollars or a micro-cent.
      const header = encodePaymentRequiredHeader({
        ...pr,
        accepts: pr.accepts.map((a) => ({
          ...a,
          asset: dai.address,
          amount: '1000000000000000000',
        })),
      });
      const r = await pay(t, key, w.paywall.url, header, randomUUID());
      expect(r.status).toBe(402);
      expect((r.body as { error: { message: string } }).error.message).toMatch(
        /not the USDC configured/,
      );
    });

    it('a 402 for another host than the resource URL', async () => {
      const t = await purser();
      const { key } = await walletAgent(t, { budget_cents: 100 }, 0);
      const required = await paymentRequiredOf(w.paywall.url);
      const r = await pay(t, key, 'https://allowed.example/paid', required, randomUUID());
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: { code: 'invalid_request' } });
    });

    it('garbage instead of a 402 answer', async () => {
      const t = await purser();
      const { key } = await walletAgent(t, { budget_cents: 100 }, 0);
      for (const junk of ['not base64 at all', 'eyJ4NDAyVmVyc2lvbiI6Mn0=', { x402Version: 7 }]) {
        const r = await pay(t, key, w.paywall.url, junk, randomUUID());
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ error: { code: 'invalid_request' } });
      }
    });
  });

  it('money sent to an agent wallet from anywhere shows in its balance and the ledger', async () => {
    const t = await purser();
    const { key, address, agent } = await walletAgent(t, { budget_cents: 100 }, 0);
    await w.usdc.mint(address, 1_500_000n); // from the zero address: not the owner
    const [report] = await sync(t);
    expect(report?.transfers).toBe(1);
    const ledger = expectOk(
      await t.owner<{ entries: { type: string; actor: string; amount_micros: string }[] }>(
        'GET',
        `/admin/v1/ledger?agent_id=${agent.id}`,
      ),
    );
    expect(ledger.body.entries.find((e) => e.type === 'chain.funded')).toMatchObject({
      actor: 'system',
      amount_micros: '1500000',
    });
    const balance = expectOk(await t.agent(key, 'GET', '/v1/balance'));
    expect(balance.body.onchain_wallet).toMatchObject({ balances: [{ usdc_cents: 150 }] });
    // A deposit is not spend.
    expect(balance.body.spent_cents).toBe(0);
  });

  it('an agent without a Purser-held wallet is told so', async () => {
    const t = await purser();
    const { key } = await t.newAgent({ budget_cents: 100 });
    const r = await pay(
      t,
      key,
      w.paywall.url,
      await paymentRequiredOf(w.paywall.url),
      randomUUID(),
    );
    expect(r.status).toBe(409);
    expect(JSON.stringify(r.body)).toMatch(/no Purser-held wallet/);
  });
});
