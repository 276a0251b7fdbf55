/**
 * Payouts (docs/payouts.md): an agent pays an address on chain from its Purser-held wallet,
 * on a real Hardhat node with the ERC-3009 test USDC. What the chain shows is what counts.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWalletClient, erc20Abi, getAddress, http, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { PassphraseSealer } from '../../electron/core/chain/sealer';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  balanceOf,
  chainWorldPerFile,
  expectOk,
  localChainBody,
  PASSPHRASE,
  sync,
  walletAgent,
  type ChainWorld,
} from './world';

const chain = chainWorldPerFile();
let w: ChainWorld;
beforeAll(() => {
  w = chain.world();
});

type Payout = {
  id: string;
  status: string;
  tx_signature: string | null;
  pending_reason: string | null;
  failure_reason: string | null;
  decision_reason: string;
  spend_request_id: string;
  address: string;
};

const freshAddress = (): Address => privateKeyToAccount(generatePrivateKey()).address;

function payout(t: TestServer, key: string, body: Record<string, unknown>, idem = randomUUID()) {
  return t.agent<Payout>(
    key,
    'POST',
    '/v1/crypto/payout-intents',
    { reason: 'pay the contractor', ...body },
    { 'idempotency-key': idem },
  );
}

/** Reads the payout until it reaches `status` (each read waits for a change). */
async function until(t: TestServer, key: string, id: string, status: string): Promise<Payout> {
  let last: Payout | undefined;
  for (let i = 0; i < 20; i += 1) {
    const r = await t.agent<Payout>(key, 'GET', `/v1/crypto/payout-intents/${id}?wait=5`);
    last = r.body;
    if (last.status === status) return last;
  }
  throw new Error(`payout ${id} stayed ${last?.status}: ${JSON.stringify(last)}`);
}

/** What the agent's budget has left, as the agent reads it. */
async function remainingCents(t: TestServer, key: string): Promise<number> {
  const r = await t.agent<{ remaining_budget_cents: number }>(key, 'GET', '/v1/policy');
  return r.body.remaining_budget_cents;
}

describe('payouts', () => {
  it('an approved payout completes with its tx_signature; the recipient gets exactly the amount, once', async () => {
    const t = await chain.purser();
    const { key, address: wallet } = await walletAgent(t, {
      budget_cents: 1_000,
      ask_on_new_recipient: false,
    });
    const to = freshAddress();
    const idem = randomUUID();
    const created = await payout(t, key, { recipient: to, amount_cents: 123 }, idem);
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('approved');

    const done = await until(t, key, created.body.id, 'completed');
    expect(done.tx_signature).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await balanceOf(w, to)).toBe(1_230_000n);
    expect(await balanceOf(w, wallet)).toBe(10_000_000n - 1_230_000n);
    expect(await remainingCents(t, key)).toBe(1_000 - 123);

    // The same key again: the same payout, nothing sent twice.
    const again = await payout(t, key, { recipient: to, amount_cents: 123 }, idem);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(created.body.id);
    await sync(t);
    expect(await balanceOf(w, to)).toBe(1_230_000n);

    // Every step is in the ledger, and the ledger verifies.
    const ledger = expectOk(
      await t.owner<{ entries: { type: string; object_id: string | null }[] }>(
        'GET',
        '/admin/v1/ledger?limit=100',
      ),
    ).body.entries.filter((e) => e.object_id === created.body.id);
    expect(ledger.map((e) => e.type).sort()).toEqual([
      'payout.authorized',
      'payout.completed',
      'payout.submitted',
    ]);
    expect(
      expectOk(await t.owner<{ ok: boolean }>('POST', '/admin/v1/ledger/verify')).body.ok,
    ).toBe(true);

    // Its request is paid through Purser: no receipt can settle it for less.
    const receipt = await t.agent<{ error: { code: string; details: Record<string, unknown> } }>(
      key,
      'POST',
      '/v1/receipts',
      {
        spend_request_id: done.spend_request_id,
        amount_cents: 1,
        merchant_name: to,
        rail: 'onchain',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(receipt.status).toBe(409);
    expect(receipt.body.error.details.reason).toBe('paid_through_purser');
  });

  it('a payout over budget is declined, and nothing is signed', async () => {
    const t = await chain.purser();
    const { key, address: wallet } = await walletAgent(t, {
      budget_cents: 100,
      ask_on_new_recipient: false,
    });
    const to = freshAddress();
    const r = await payout(t, key, { recipient: to, amount_cents: 500 });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('declined');
    expect(r.body.decision_reason).toMatch(/budget/);
    await sync(t);
    const read = await t.agent<Payout & { nonce?: string }>(
      key,
      'GET',
      `/v1/crypto/payout-intents/${r.body.id}`,
    );
    expect(read.body.status).toBe('declined');
    expect(read.body.tx_signature).toBeNull();
    expect(await balanceOf(w, to)).toBe(0n);
    expect(await balanceOf(w, wallet)).toBe(10_000_000n);
  });

  it('a first payout to an address asks; the owner’s approval sends it; the next one does not ask', async () => {
    const t = await chain.purser();
    const { key } = await walletAgent(t, { budget_cents: 1_000 });
    const to = freshAddress();
    const asked = await payout(t, key, { recipient: to, amount_cents: 50 });
    expect(asked.status).toBe(202);
    expect(asked.body.status).toBe('needs_approval');
    expect(asked.body.pending_reason).toMatch(/First payout/);
    expect(await balanceOf(w, to)).toBe(0n);

    expectOk(
      await t.owner('POST', `/admin/v1/spend-requests/${asked.body.spend_request_id}/approve`, {}),
    );
    const done = await until(t, key, asked.body.id, 'completed');
    expect(done.tx_signature).toMatch(/^0x/);
    expect(await balanceOf(w, to)).toBe(500_000n);

    const next = await payout(t, key, { recipient: to, amount_cents: 25 });
    expect(next.body.status).toBe('approved');
    await until(t, key, next.body.id, 'completed');
    expect(await balanceOf(w, to)).toBe(750_000n);
  });

  it('an address that imitates a saved recipient asks, a denied one is declined, an unknown rcp_ is not found', async () => {
    const t = await chain.purser();
    const saved = freshAddress();
    const alice = expectOk(
      await t.owner<{ id: string }>('POST', '/admin/v1/recipients', {
        name: 'Alice',
        address: saved,
      }),
    ).body;
    // Same first four and last four hex digits, another middle: address poisoning.
    const hex = saved.slice(2).toLowerCase();
    const middle = hex.slice(4, -4).replace(/./g, (c) => (c === '0' ? '1' : '0'));
    const imitation = getAddress(`0x${hex.slice(0, 4)}${middle}${hex.slice(-4)}`);
    const denied = freshAddress();
    const { key } = await walletAgent(t, {
      budget_cents: 1_000,
      ask_on_new_recipient: false,
      deny_recipients: [denied],
    });

    const lookalike = await payout(t, key, { recipient: imitation, amount_cents: 10 });
    expect(lookalike.status).toBe(202);
    expect(lookalike.body.pending_reason).toMatch(/looks like saved recipient "Alice"/);

    const deny = await payout(t, key, { recipient: denied, amount_cents: 10 });
    expect(deny.body.status).toBe('declined');
    expect(deny.body.decision_reason).toMatch(/deny-list/);

    const byName = await payout(t, key, { recipient: alice.id, amount_cents: 10 });
    expect(byName.body).toMatchObject({ status: 'approved', address: saved });
    await until(t, key, byName.body.id, 'completed');

    const unknown = await payout(t, key, { recipient: 'rcp_nope', amount_cents: 10 });
    expect(unknown.status).toBe(404);
    const bad = await payout(t, key, { recipient: '0x1234', amount_cents: 10 });
    expect(bad.status).toBe(400);
    const noKey = await t.agent(key, 'POST', '/v1/crypto/payout-intents', {
      recipient: saved,
      amount_cents: 10,
      reason: 'x',
    });
    expect(noKey.status).toBe(400);
  });

  it('a reverted transaction ends failed with its reason and gives the money back', async () => {
    const t = await chain.purser();
    const { key, address: wallet } = await walletAgent(t, {
      budget_cents: 1_000,
      ask_on_new_recipient: false,
    });
    const to = freshAddress();
    const rpc = (method: string, params: unknown[] = []) =>
      fetch(w.node.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      }).then((r) => r.json() as Promise<{ result?: unknown; error?: unknown }>);

    // Blocks wait: the payout's transaction is simulated (it would succeed) and sent, and
    // then the wallet is emptied ahead of it in the same block.
    let id = '';
    await rpc('evm_setAutomine', [false]);
    try {
      const created = await payout(t, key, { recipient: to, amount_cents: 300 });
      expect(created.body.status).toBe('approved');
      id = created.body.id;
      await until(t, key, id, 'submitted');
      await rpc('hardhat_impersonateAccount', [wallet]);
      await rpc('hardhat_setBalance', [wallet, '0x56bc75e2d63100000']);
      const drain = createWalletClient({ account: wallet, transport: http(w.node.rpcUrl) });
      await drain.writeContract({
        chain: null,
        address: w.usdc.address,
        abi: erc20Abi,
        functionName: 'transfer',
        args: [w.merchant.address, 10_000_000n],
        maxPriorityFeePerGas: 50_000_000_000n,
        maxFeePerGas: 100_000_000_000n,
      });
      await rpc('evm_mine');
    } finally {
      await rpc('evm_setAutomine', [true]);
    }
    const failed = await until(t, key, id, 'failed');
    expect(failed.failure_reason).toMatch(/reverted/);
    expect(failed.failure_reason).toMatch(/cancelled on chain/);
    expect(await balanceOf(w, to)).toBe(0n);
    // The reservation is back: nothing counts against the budget.
    expect(await remainingCents(t, key)).toBe(1_000);
  });

  it('waits for a key to send with, and a panic pressed meanwhile stops it: nothing sent, the money back', async () => {
    // No owner account yet: an approved payout has no one to send it, so it waits.
    const t = await startTestServer({
      now: Date.now(),
      sealer: new PassphraseSealer(PASSPHRASE),
      chainPollMs: 3_600_000,
    });
    expectOk(await t.owner('PUT', '/admin/v1/chain/chains/local', localChainBody(w)));
    const made = await t.newAgent({ budget_cents: 1_000, ask_on_new_recipient: false }, 0);
    const wallet = expectOk(
      await t.owner<{ address: Address }>('POST', `/admin/v1/agents/${made.agent.id}/wallet`),
    ).body.address;
    await w.usdc.mint(wallet, 5_000_000n); // $5 arrives from elsewhere
    await sync(t);
    const to = freshAddress();
    const created = await payout(t, made.key, { recipient: to, amount_cents: 200 });
    expect(created.body.status).toBe('approved');
    const waiting = await until(t, made.key, created.body.id, 'awaiting_signature');
    expect(waiting.pending_reason).toMatch(/owner’s account/);
    expect(await remainingCents(t, made.key)).toBe(800);

    expectOk(await t.owner('POST', '/admin/v1/freeze'));
    expectOk(
      await t.owner('PUT', '/admin/v1/chain/owner-account', { private_key: w.owner.privateKey }),
    );
    await sync(t);
    const failed = await until(t, made.key, created.body.id, 'failed');
    expect(failed.failure_reason).toMatch(/froze all spending before it was sent/);
    expect(failed.tx_signature).toBeNull();
    expect(await balanceOf(w, to)).toBe(0n);
    expect(await remainingCents(t, made.key)).toBe(1_000);
  });
});
