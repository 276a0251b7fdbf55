/**
 * kill -9 between reservation and settlement (docs/chain.md): `purser serve` runs as a
 * child with its keys sealed by a passphrase; agents pay the paywall through it with fresh
 * idempotency keys and spend each signature they get; the server is killed with SIGKILL
 * at random moments and restarted on the same data folder. Afterwards: every key, retried,
 * gets the signature it got before (or its first one), no authorization is paid twice,
 * what the merchant received is exactly what Purser counts as settled, nothing counted is
 * lost, and the ledger verifies.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPublicClient } from 'viem';
import { localTransport } from './transport';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, serveSealed as serve } from './serve-child';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';
import {
  balanceOf,
  findLeakedKeys,
  localChainBody,
  paymentRequiredOf,
  PRICE,
  startChainWorld,
  type ChainWorld,
} from './world';

const CYCLES = Number(process.env.PURSER_CHAIN_CRASH_CYCLES ?? 4);
const CLIENTS = 4;

let w: ChainWorld;
beforeAll(async () => {
  w = await startChainWorld();
});
afterAll(async () => {
  await w?.stop();
  cleanupTmpDirs();
});

it('loses nothing and pays nothing twice across kill -9', async () => {
  const home = tmpHome();
  let server = await serve(home);
  const ownerToken = readFileSync(join(home, 'owner-token'), 'utf8').trim();
  const owner = (method: string, path: string, body?: unknown) =>
    call(server.url, ownerToken, method, path, body);
  expect((await owner('PUT', '/admin/v1/chain/chains/local', localChainBody(w))).status).toBe(200);
  expect(
    (await owner('PUT', '/admin/v1/chain/owner-account', { private_key: w.owner.privateKey }))
      .status,
  ).toBe(200);
  const agent = await owner('POST', '/admin/v1/agents', {
    name: 'crash-payer',
    mode: 'live',
    budget_cents: 100_000,
  });
  await owner('POST', '/admin/v1/funding/deposit', {
    amount_cents: 100_000,
    funding_source_id: agent.body.funding_source_id,
  });
  const agentId = agent.body.id as string;
  const { key } = (await owner('POST', `/admin/v1/agents/${agentId}/keys`, {})).body as {
    key: string;
  };
  const wallet = (await owner('POST', `/admin/v1/agents/${agentId}/wallet`)).body as {
    address: `0x${string}`;
  };
  expect(
    (await owner('POST', `/admin/v1/agents/${agentId}/wallet/fund`, { amount_cents: 5_000 }))
      .status,
  ).toBe(200);
  const walletStart = await balanceOf(w, wallet.address);
  const merchantStart = await balanceOf(w, w.merchant.address);

  const required = await paymentRequiredOf(w.paywall.url);
  const sent: string[] = []; // every idempotency key ever sent
  const signatureOf = new Map<string, string>(); // key → the signature first received

  const payLoop = async (url: string) => {
    for (;;) {
      const idem = randomUUID();
      sent.push(idem);
      try {
        const r = await call(
          url,
          key,
          'POST',
          '/v1/x402/pay',
          { resource_url: w.paywall.url, payment_required: required },
          { 'idempotency-key': idem },
        );
        if (r.status === 200 && typeof r.body.payment_signature === 'string') {
          signatureOf.set(idem, r.body.payment_signature);
          // Spend it at once, as an agent would; the paywall settles it on chain.
          await fetch(w.paywall.url, {
            headers: { 'PAYMENT-SIGNATURE': r.body.payment_signature },
          });
        }
      } catch {
        return; // the server is gone
      }
    }
  };

  for (let cycle = 0; cycle < CYCLES; cycle += 1) {
    const loops = Array.from({ length: CLIENTS }, () => payLoop(server.url));
    await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 600)));
    await server.stop('SIGKILL');
    await Promise.all(loops);
    server = await serve(home);
  }

  // Every key again: the same signature as before, or the first one ever.
  for (const idem of sent) {
    const r = await call(
      server.url,
      key,
      'POST',
      '/v1/x402/pay',
      { resource_url: w.paywall.url, payment_required: required },
      { 'idempotency-key': idem },
    );
    expect([200, 402]).toContain(r.status);
    const signature = r.body.payment_signature as string | null | undefined;
    const before = signatureOf.get(idem);
    if (before !== undefined) expect(signature).toBe(before);
    if (typeof signature === 'string') {
      signatureOf.set(idem, signature);
      // Using it again is harmless: a used nonce is refused by the chain.
      await fetch(w.paywall.url, { headers: { 'PAYMENT-SIGNATURE': signature } });
    }
  }
  // A settlement the paywall's facilitator still has in flight lands in a later block: let
  // the chain go quiet first, so one sync sees every transfer (under a loaded machine the
  // last one was once still on its way).
  const client = createPublicClient({ transport: localTransport(w.node.rpcUrl) });
  for (let last = -1n, block = await client.getBlockNumber(); block !== last;) {
    await new Promise((r) => setTimeout(r, 1_000));
    last = block;
    block = await client.getBlockNumber();
  }
  expect((await owner('POST', '/admin/v1/chain/sync')).status).toBe(200);
  await server.stop('SIGTERM');

  const db = new Database(join(home, 'purser.db'), { readonly: true });
  db.defaultSafeIntegers(true);
  const rows = db.prepare('SELECT id, status, nonce, amount_micros FROM x402_payments').all() as {
    id: string;
    status: string;
    nonce: string | null;
    amount_micros: bigint;
  }[];
  const settled = rows.filter((r) => r.status === 'settled');
  const nonces = rows.map((r) => r.nonce).filter((n) => n !== null);
  expect(new Set(nonces).size).toBe(nonces.length);
  // Each settled payment came from exactly one transfer; nothing else left the wallet.
  const transfers = db
    .prepare(
      'SELECT matched, count(*) AS n FROM chain_transfers WHERE from_address = ? GROUP BY matched',
    )
    .all(wallet.address) as { matched: string | null; n: bigint }[];
  expect(transfers.every((t) => t.matched !== null && t.n === 1n)).toBe(true);
  expect(transfers).toHaveLength(settled.length);
  const paidOut = BigInt(settled.length) * PRICE;
  expect(await balanceOf(w, w.merchant.address)).toBe(merchantStart + paidOut);
  expect(await balanceOf(w, wallet.address)).toBe(walletStart - paidOut);
  // What Purser counts is every payment not released: settled, or still payable.
  const counted = (
    db
      .prepare('SELECT coalesce(sum(counted_micros), 0) AS c FROM ledger WHERE agent_id = ?')
      .get(agentId) as { c: bigint }
  ).c;
  const live = rows.filter((r) => r.status !== 'released' && r.status !== 'declined');
  expect(counted).toBe(live.reduce((s, r) => s + r.amount_micros, 0n));
  expect(settled.length).toBeGreaterThan(0);
  db.close();

  const check = await serve(home);
  const verify = await call(check.url, ownerToken, 'POST', '/admin/v1/ledger/verify');
  expect(verify.body.ok).toBe(true);
  const { leaks } = await findLeakedKeys(
    home,
    [check.output(), server.output()],
    [w.owner.privateKey],
  );
  await check.stop('SIGTERM');
  expect(leaks).toEqual([]);
}, 180_000);
