/**
 * kill -9 in the middle of a payout (docs/payouts.md, "Crash safety"): `purser serve` runs
 * as a child with its keys sealed by a passphrase and dies at a named step (PURSER_CRASH_AT,
 * electron/core/crash-points.ts): after the authorization is stored, after the signed
 * transaction is stored but before it is sent, and after it is sent but before its receipt
 * is read. Restarted on the same data folder, the agent retries with the same idempotency
 * key: it gets the same payout, the recipient is paid exactly once, and the ledger verifies.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from '../helpers/cli';
import { call, serveSealed } from './serve-child';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';
import { balanceOf, localChainBody, startChainWorld, type ChainWorld } from './world';

let w: ChainWorld;
beforeAll(async () => {
  w = await startChainWorld();
});
afterAll(async () => {
  await w?.stop();
  cleanupTmpDirs();
});

/** Waits until the child has exited (it killed itself at the crash point). */
async function exited(server: ServeProcess): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the server did not reach its crash point');
}

describe('payouts across kill -9', () => {
  for (const point of ['payout.authorized', 'payout.stored', 'payout.sent'] as const) {
    it(`pays exactly once when Purser dies at ${point}`, async () => {
      const home = tmpHome();
      let server = await serveSealed(home, { PURSER_CRASH_AT: point });
      const ownerToken = readFileSync(join(home, 'owner-token'), 'utf8').trim();
      const owner = (method: string, path: string, body?: unknown) =>
        call(server.url, ownerToken, method, path, body);
      expect((await owner('PUT', '/admin/v1/chain/chains/local', localChainBody(w))).status).toBe(
        200,
      );
      expect(
        (await owner('PUT', '/admin/v1/chain/owner-account', { private_key: w.owner.privateKey }))
          .status,
      ).toBe(200);
      const agent = await owner('POST', '/admin/v1/agents', {
        name: `payer-${point}`,
        mode: 'live',
        budget_cents: 10_000,
        ask_on_new_recipient: false,
      });
      const agentId = agent.body.id as string;
      const { key } = (await owner('POST', `/admin/v1/agents/${agentId}/keys`, {})).body as {
        key: string;
      };
      const wallet = (await owner('POST', `/admin/v1/agents/${agentId}/wallet`)).body as {
        address: `0x${string}`;
      };
      expect(
        (await owner('POST', `/admin/v1/agents/${agentId}/wallet/fund`, { amount_cents: 1_000 }))
          .status,
      ).toBe(200);

      const to = privateKeyToAccount(generatePrivateKey()).address;
      const idem = randomUUID();
      const body = { recipient: to, amount_cents: 250, reason: 'crash test' };
      const first = await call(server.url, key, 'POST', '/v1/crypto/payout-intents', body, {
        'idempotency-key': idem,
      }).catch(() => undefined);
      await exited(server);
      expect(await balanceOf(w, to)).toBe(point === 'payout.sent' ? 2_500_000n : 0n);

      server = await serveSealed(home);
      const retry = await call(server.url, key, 'POST', '/v1/crypto/payout-intents', body, {
        'idempotency-key': idem,
      });
      expect(retry.status).toBe(200);
      if (first) expect(retry.body.id).toBe(first.body.id);
      const id = retry.body.id as string;
      let status = retry.body.status;
      for (let i = 0; i < 20 && status !== 'completed'; i += 1) {
        status = (await call(server.url, key, 'GET', `/v1/crypto/payout-intents/${id}?wait=5`)).body
          .status;
      }
      expect(status).toBe('completed');
      expect(await balanceOf(w, to)).toBe(2_500_000n);
      expect(await balanceOf(w, wallet.address)).toBe(10_000_000n - 2_500_000n);
      const verify = await call(server.url, ownerToken, 'POST', '/admin/v1/ledger/verify');
      expect(verify.body.ok).toBe(true);
      await server.stop('SIGTERM');
    });
  }
});
