/**
 * The money model on the local chain (docs/money-integrity.md, "How it is proven"; docs/
 * chain.md): the workload of test/integration/money-model.test.ts, plus two agents with
 * Purser-held wallets that pay a real x402 paywall through wallet.chain.x402.pay. Some
 * signatures settle on chain through the paywall's facilitator, some lapse as the chain's
 * clock passes their validBefore, some wait for the owner and some are never fetched; the
 * model predicts every answer and the auditor checks the rules after every step, and a
 * release may only come from a sync (the chain's word), never from anything an agent says
 * or from Purser's clock. Receipts naming an x402 request are 409s.
 *
 * PURSER_MODEL_CHAIN_SEEDS (default 3) seeds of PURSER_MODEL_CHAIN_STEPS (default 300)
 * steps; PURSER_MODEL_SEED=<seed> replays one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedsFromEnv } from '../model/prng';
import { merged, runSeed, summary, type SeedStats } from '../model/runner';
import { setUpWorld } from '../model/setup';
import { addPayers, chainPart, type ChainSite } from '../model/chain-part';
import { restoreDateNow } from '../model/chain-time';
import { chainWorldPerFile, paymentRequiredOf, PRICE, type ChainWorld } from './world';

const STEPS = Number(process.env.PURSER_MODEL_CHAIN_STEPS ?? 300);
const SEEDS = seedsFromEnv(3, 20_260_401, 'PURSER_MODEL_CHAIN_SEEDS');

const chain = chainWorldPerFile();
let w: ChainWorld;
let site: ChainSite;
const all: SeedStats[] = [];
let payers: number[] = [];

beforeAll(async () => {
  w = chain.world();
  site = {
    rpcUrl: w.node.rpcUrl,
    paywallUrl: w.paywall.url,
    paymentRequired: await paymentRequiredOf(w.paywall.url),
    price: PRICE,
  };
});

afterAll(() => {
  restoreDateNow();
  if (all.length > 0) console.log(summary(all));
});

/** What a full run must have reached on chain. */
const MUST_HAPPEN = [
  'x402:pay_signed',
  'x402:pay_awaiting_approval',
  'x402:retry_signed',
  'x402:used_on_chain',
  'x402:refused_lapsed',
  'chain:lapse',
  'chain:settled',
  'chain:released_lapsed',
  'chain:released_unsigned',
  'chain:closed_unapproved',
  'chain:funded',
  'receipt:409_x402',
  'settle:409_x402',
];

for (const seed of SEEDS) {
  it(`seed ${seed}: ${STEPS} steps with x402 on the local chain, as predicted and audited`, async () => {
    const stats = await runSeed({
      seed,
      steps: STEPS,
      replay: (step) =>
        `PURSER_MODEL_SEED=${seed} PURSER_MODEL_CHAIN_STEPS=${step} npx vitest run --config test/chain/vitest.config.ts test/chain/money-model.test.ts`,
      async open(prng) {
        const t = await chain.purser();
        // Sweeps come from the workload's clock moves only: the server's own sweeper, on a
        // real-time timer, would forget idempotency keys at moments no seed could replay.
        t.server.wallet.stopSweeper();
        const { world, model } = await setUpWorld(t.server.wallet, t.clock, prng, {
          startAt: false,
        });
        payers = await addPayers(world, model);
        // The server closes itself after the test (test/helpers/server.ts).
        return { world, model, close: async () => undefined };
      },
      chain: (world, model, prng) => chainPart(world, model, prng, site, payers),
    });
    all.push(stats);
    if (all.length === SEEDS.length && SEEDS.length * STEPS >= 300) {
      const { tags } = merged(all);
      expect(
        MUST_HAPPEN.filter((t) => !tags.has(t)),
        'paths never reached on chain',
      ).toEqual([]);
    }
  }, 180_000);
}
