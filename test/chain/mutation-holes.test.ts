/**
 * Behaviours of the chain code that no other chain test pinned down (a mutation check
 * found single-line changes to each that every test let through; test/mutation/):
 *
 * - the reconciler matches a transfer to an x402 payment by nonce *and amount*, so two
 *   authorizations to one payee settled in one transaction settle each its own payment;
 * - a transfer out of a Purser-held wallet that Purser did not sign is counted against
 *   the agent, flagged and pauses it;
 * - a retry of an x402 payment whose pending request expired or was withdrawn is
 *   declined, never reserved and signed;
 * - changing an allowance (up or down) goes through zero on chain, and a transferFrom
 *   that raced the change is in the ledger before the new amount is granted.
 *
 * Real Hardhat node, one per file (chainWorldPerFile).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  parseAbi,
  parseSignature,
  type Address,
  type Hex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { decodePaymentSignatureHeader, encodePaymentRequiredHeader } from '@x402/core/http';
import { PassphraseSealer } from '../../electron/core/chain/sealer';
import type { TestServer } from '../helpers/server';
import { spendBody } from '../helpers/server';
import { MULTICALL3_ADDRESS } from './canonical-contracts';
import { localTransport } from './transport';
import {
  balanceOf,
  callToken,
  chainWorldPerFile,
  decoded,
  expectOk,
  pay,
  paymentRequiredOf,
  PASSPHRASE,
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
const purser = () => chain.purser();

const publicClient = () => createPublicClient({ transport: localTransport(w.node.rpcUrl) });

interface Entry {
  seq: number;
  type: string;
  status: string | null;
  object_id: string | null;
  counted_micros: string;
  data: Record<string, unknown> | string;
}

async function ledgerOf(t: TestServer, agentId?: string): Promise<Entry[]> {
  const q = agentId === undefined ? '' : `?agent_id=${agentId}&limit=1000`;
  return expectOk(await t.owner<{ entries: Entry[] }>('GET', `/admin/v1/ledger${q}`)).body.entries;
}

const x402Abi = parseAbi([
  'function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)',
]);
const multicallAbi = parseAbi([
  'struct Call { address target; bytes callData; }',
  'struct Result { bool success; bytes returnData; }',
  'function tryAggregate(bool requireSuccess, Call[] calls) payable returns (Result[] returnData)',
]);

/** The calldata that uses a signed x402 authorization, as a facilitator would. */
function useAuthorization(header: string): Hex {
  const payload = decodePaymentSignatureHeader(header).payload as {
    signature: Hex;
    authorization: Record<string, string>;
  };
  const a = payload.authorization;
  const sig = parseSignature(payload.signature);
  const v = sig.v !== undefined ? Number(sig.v) : (sig.yParity ?? 0) + 27;
  return encodeFunctionData({
    abi: x402Abi,
    functionName: 'transferWithAuthorization',
    args: [
      getAddress(a.from as Address),
      getAddress(a.to as Address),
      BigInt(a.value as string),
      BigInt(a.validAfter as string),
      BigInt(a.validBefore as string),
      a.nonce as Hex,
      v,
      sig.r,
      sig.s,
    ],
  });
}

/** Sends several calls to the token in one transaction, through Multicall3, from `from`. */
async function inOneTransaction(fromKey: Hex, calls: Hex[]): Promise<Hex> {
  const account = privateKeyToAccount(fromKey);
  const wallet = createWalletClient({ account, transport: localTransport(w.node.rpcUrl) });
  const hash = await wallet.writeContract({
    address: MULTICALL3_ADDRESS,
    abi: multicallAbi,
    functionName: 'tryAggregate',
    args: [true, calls.map((callData) => ({ target: w.usdc.address, callData }))],
    chain: null,
    gas: 1_000_000n,
  });
  const receipt = await publicClient().waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`multicall reverted: ${hash}`);
  return hash;
}

describe('the reconciler matches by nonce and amount', () => {
  it('two authorizations to one payee, settled in one transaction, settle each its own payment', async () => {
    const t = await purser();
    const { key, agent, address } = await walletAgent(t, { budget_cents: 100 });
    // Two payments to the same merchant: the paywall's $0.25 and the same 402 asking $0.10.
    const header = await paymentRequiredOf(w.paywall.url);
    const pr = decoded(header);
    const cheaper = encodePaymentRequiredHeader({
      ...pr,
      accepts: pr.accepts.map((a) => ({ ...a, amount: '100000' })),
    });
    const big = expectOk(await pay(t, key, w.paywall.url, header, randomUUID()));
    const small = expectOk(await pay(t, key, w.paywall.url, cheaper, randomUUID()));
    expect(big.body).toMatchObject({ status: 'signed', amount_units: PRICE.toString() });
    expect(small.body).toMatchObject({ status: 'signed', amount_units: '100000' });
    expect(big.body.pay_to).toBe(small.body.pay_to);

    // Someone (any relayer) uses both in one transaction: one tx, two AuthorizationUsed
    // logs and two Transfers from the same wallet to the same payee.
    const merchantBefore = await balanceOf(w, w.merchant.address);
    const txHash = await inOneTransaction(w.spares[1].privateKey, [
      useAuthorization(big.body.payment_signature as string),
      useAuthorization(small.body.payment_signature as string),
    ]);
    expect(await balanceOf(w, w.merchant.address)).toBe(merchantBefore + PRICE + 100_000n);

    const [report] = await sync(t);
    expect(report).toMatchObject({ transfers: 2, settled: 2, unmatched: 0 });
    for (const p of [big, small]) {
      const read = expectOk(await t.agent(key, 'GET', `/v1/x402/payments/${p.body.id as string}`));
      expect(read.body, `payment ${p.body.amount_units as string}`).toMatchObject({
        status: 'settled',
        tx_hash: txHash,
      });
    }
    // One settlement entry per payment, each naming its own payment.
    const settled = (await ledgerOf(t, agent.id)).filter((e) => e.type === 'x402.settled');
    expect(settled.map((e) => e.object_id).sort()).toEqual(
      [big.body.id as string, small.body.id as string].sort(),
    );
    // Counted once each, when reserved: 25 + 10 cents.
    expect(expectOk(await t.agent(key, 'GET', '/v1/balance')).body.spent_cents).toBe(35);
    expect(await balanceOf(w, address)).toBe(10_000_000n - PRICE - 100_000n);
    expect(expectOk(await t.owner('POST', '/admin/v1/ledger/verify')).body.ok).toBe(true);
  });
});

describe('a transfer out of a Purser-held wallet that Purser did not sign', () => {
  it('is counted against the agent, ledgered as chain.transfer_unmatched, and pauses the agent', async () => {
    const t = await purser();
    const { key, agent, address } = await walletAgent(t, { budget_cents: 1_000 });
    // Stand in for whoever got hold of the wallet's key: open it with the passphrase, as
    // findLeakedKeys does, give the wallet gas, and send a plain ERC-20 transfer.
    const db = new Database(join(t.home, 'purser.db'), { readonly: true, fileMustExist: true });
    const row = db
      .prepare('SELECT sealed_key FROM chain_accounts WHERE agent_id = ?')
      .get(agent.id) as { sealed_key: Buffer };
    db.close();
    const secret = await new PassphraseSealer(PASSPHRASE).unseal(row.sealed_key);
    const privateKey = `0x${secret.toString('hex')}` as Hex;
    expect(privateKeyToAccount(privateKey).address).toBe(getAddress(address));
    await createTestClient({
      mode: 'hardhat',
      transport: localTransport(w.node.rpcUrl),
    }).setBalance({ address, value: 10n ** 18n });
    const txHash = await callToken(w, { address, privateKey }, 'transfer', [
      w.merchant.address,
      1_500_000n,
    ]);

    expect(expectOk(await t.agent(key, 'GET', '/v1/balance')).body.spent_cents).toBe(0);
    const [report] = await sync(t);
    expect(report).toMatchObject({ transfers: 1, unmatched: 1, settled: 0 });

    // Counted: the money is gone, whoever moved it.
    expect(expectOk(await t.agent(key, 'GET', '/v1/balance')).body.spent_cents).toBe(150);
    const entries = await ledgerOf(t, agent.id);
    const flagged = entries.find((e) => e.type === 'chain.transfer_unmatched');
    expect(flagged).toMatchObject({ status: 'flagged', counted_micros: '1500000' });
    expect(JSON.stringify(flagged?.data)).toContain(txHash);
    expect(
      entries.some(
        (e) => e.type === 'agent.status_changed' && JSON.stringify(e.data).includes('unmatched'),
      ),
    ).toBe(true);
    // Paused: its next spend is declined.
    const read = expectOk(await t.owner<{ status: string }>('GET', `/admin/v1/agents/${agent.id}`));
    expect(read.body.status).toBe('paused');
    const next = expectOk(await t.agent(key, 'POST', '/v1/spend', spendBody(1, 'GPU Cloud')));
    expect(next.body.status).toBe('declined');
    // Reconciled once.
    expect((await sync(t))[0]).toMatchObject({ transfers: 0 });
  });
});

describe('a retry of a payment whose pending request ended without approval', () => {
  async function pendingPayment(t: TestServer) {
    const { key, agent } = await walletAgent(
      t,
      { budget_cents: 100, approval_threshold_cents: 10 },
      100,
    );
    const required = await paymentRequiredOf(w.paywall.url);
    const idem = randomUUID();
    const pending = await pay(t, key, w.paywall.url, required, idem);
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: 'awaiting_approval', payment_signature: null });
    return { key, agent, required, idem, pending };
  }

  async function expectDeclinedAndNothingSigned(
    t: TestServer,
    p: Awaited<ReturnType<typeof pendingPayment>>,
  ) {
    const retry = await pay(t, p.key, w.paywall.url, p.required, p.idem);
    expect(retry.status, JSON.stringify(retry.body)).toBe(402);
    expect(retry.body).toMatchObject({ error: { code: 'policy_declined' } });
    expect(JSON.stringify(retry.body)).not.toMatch(/"payment_signature":"/);
    const read = expectOk(
      await t.agent(p.key, 'GET', `/v1/x402/payments/${p.pending.body.id as string}`),
    );
    expect(read.body).toMatchObject({ status: 'declined', payment_signature: null, nonce: null });
    const entries = await ledgerOf(t, p.agent.id);
    expect(entries.filter((e) => e.type === 'x402.signed')).toEqual([]);
    expect(expectOk(await t.agent(p.key, 'GET', '/v1/balance')).body.spent_cents).toBe(0);
    // And again: still declined, still nothing.
    expect((await pay(t, p.key, w.paywall.url, p.required, p.idem)).status).toBe(402);
    expect((await ledgerOf(t, p.agent.id)).filter((e) => e.type === 'x402.signed')).toEqual([]);
  }

  it('after it expired unanswered: declined, no signature, nothing counted', async () => {
    const t = await purser();
    const p = await pendingPayment(t);
    t.clock.advance(25 * 60 * 60_000); // past the 24 h a pending request waits
    await expectDeclinedAndNothingSigned(t, p);
    const spend = expectOk(
      await t.agent(p.key, 'GET', `/v1/spend/${p.pending.body.spend_request_id as string}`),
    );
    expect(spend.body.status).toBe('expired');
  });

  it('after the agent withdrew it: declined, no signature, nothing counted', async () => {
    const t = await purser();
    const p = await pendingPayment(t);
    expectOk(
      await t.agent(p.key, 'POST', `/v1/spend/${p.pending.body.spend_request_id as string}/cancel`),
    );
    await expectDeclinedAndNothingSigned(t, p);
  });
});

describe('changing an allowance', () => {
  it('goes through zero first, raising as well as lowering, and counts a racing transferFrom before granting more', async () => {
    const t = await purser();
    const spender = w.spares[0];
    const made = await t.newAgent({ budget_cents: 10_000 });
    const set = (cents: number) =>
      t.owner('PUT', `/admin/v1/agents/${made.agent.id}/allowance`, {
        spender: spender.address,
        amount_cents: cents,
      });
    const approvals = async () =>
      (
        await publicClient().getContractEvents({
          address: w.usdc.address,
          abi: erc20Abi,
          eventName: 'Approval',
          args: { owner: w.owner.address, spender: spender.address },
          fromBlock: 0n,
        })
      ).map((e) => e.args.value);

    expectOk(await set(300));
    const start = (await approvals()).length;
    expect((await approvals()).slice(-1)).toEqual([3_000_000n]);

    // The agent spends $1 of it, approved first; nobody syncs.
    expectOk(await t.agent(made.key, 'POST', '/v1/spend', spendBody(100, 'GPU Cloud')));
    await callToken(w, spender, 'transferFrom', [w.owner.address, w.merchant.address, 1_000_000n]);

    // Raise: 2,000,000 left on chain → 0 → 5,000,000, never straight up.
    const raised = expectOk(await set(500));
    expect(raised.body).toMatchObject({ amount_units: '5000000', left_units: '5000000' });
    expect((await approvals()).slice(start)).toEqual([0n, 5_000_000n]);
    // The racing transferFrom was reconciled before the new amount was granted.
    const entries = await ledgerOf(t, made.agent.id);
    const transfer = entries.find((e) => e.type === 'chain.transfer');
    const grants = entries.filter((e) => e.type === 'allowance.set').map((e) => e.seq);
    expect(transfer, JSON.stringify(entries.map((e) => e.type))).toMatchObject({
      status: 'matched',
    });
    expect(grants).toHaveLength(2);
    expect((transfer as Entry).seq).toBeLessThan(Math.max(...grants));

    // Lower: 5,000,000 → 0 → 2,000,000.
    expectOk(await set(200));
    expect((await approvals()).slice(start)).toEqual([0n, 5_000_000n, 0n, 2_000_000n]);

    // The same amount again: nothing sent.
    expectOk(await set(200));
    expect((await approvals()).slice(start)).toEqual([0n, 5_000_000n, 0n, 2_000_000n]);
  });
});
