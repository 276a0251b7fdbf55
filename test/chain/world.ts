/**
 * A Purser server on the chain world (test/chain/chain-world.ts): its keys sealed by a
 * passphrase, its local chain configured and the owner's account imported; and the
 * agent's side of x402 against it.
 */
import type { Address } from 'viem';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { PassphraseSealer } from '../../electron/core/chain/sealer';
import type { PolicyInput } from '../../shared/schemas/policy';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  findLeakedKeys,
  localChainBody,
  PASSPHRASE,
  startChainWorld,
  type ChainWorld,
} from './chain-world';

export * from './chain-world';

/** A Purser server on this chain: local chain configured, the owner's account imported. */
export async function purserOn(w: ChainWorld, home?: string): Promise<TestServer> {
  const t = await startTestServer({
    now: Date.now(),
    ...(home === undefined ? {} : { home }),
    sealer: new PassphraseSealer(PASSPHRASE),
    // The tests drive reconciliation through POST /admin/v1/chain/sync.
    chainPollMs: 3_600_000,
  });
  expectOk(await t.owner('PUT', '/admin/v1/chain/chains/local', localChainBody(w)));
  expectOk(
    await t.owner('PUT', '/admin/v1/chain/owner-account', { private_key: w.owner.privateKey }),
  );
  return t;
}

export function expectOk<T extends { status: number; body: unknown }>(r: T): T {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r;
}

/** An agent with a Purser-held wallet, funded on chain by the owner. */
export async function walletAgent(
  t: TestServer,
  policy: Partial<PolicyInput> = {},
  fundCents = 1_000,
) {
  const made = await t.newAgent({ budget_cents: 100, ...policy });
  const wallet = expectOk(
    await t.owner<{ address: Address }>('POST', `/admin/v1/agents/${made.agent.id}/wallet`),
  );
  if (fundCents > 0)
    expectOk(
      await t.owner('POST', `/admin/v1/agents/${made.agent.id}/wallet/fund`, {
        amount_cents: fundCents,
      }),
    );
  return { ...made, address: wallet.body.address };
}

/** Asks Purser to pay: the agent's side of the 402 → pay → retry dance. */
export function pay(
  t: TestServer,
  key: string,
  url: string,
  paymentRequired: string | Record<string, unknown>,
  idempotencyKey: string,
  extra: Record<string, unknown> = {},
) {
  return t.agent<Record<string, unknown>>(
    key,
    'POST',
    '/v1/x402/pay',
    { resource_url: url, payment_required: paymentRequired, ...extra },
    { 'idempotency-key': idempotencyKey },
  );
}

export async function sync(t: TestServer) {
  return expectOk(
    await t.owner<{ reports: Record<string, number>[] }>('POST', '/admin/v1/chain/sync'),
  ).body.reports;
}

/**
 * One chain world per test file, and a Purser on it per test (`purser()`); after every
 * test, no private key in any file of those Purser data folders, in any encoding.
 */
export function chainWorldPerFile(): { world(): ChainWorld; purser(): Promise<TestServer> } {
  let world: ChainWorld | undefined;
  const servers: TestServer[] = [];
  const started = () => {
    if (!world) throw new Error('the chain world is not started (use it inside a test)');
    return world;
  };
  beforeAll(async () => {
    world = await startChainWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });
  afterEach(async () => {
    for (const t of servers.splice(0)) {
      const { leaks, keysChecked } = await findLeakedKeys(t.home, [], [started().owner.privateKey]);
      expect(keysChecked).toBeGreaterThan(0);
      expect(leaks).toEqual([]);
    }
  });
  return {
    world: started,
    async purser() {
      const t = await purserOn(started());
      servers.push(t);
      return t;
    },
  };
}
