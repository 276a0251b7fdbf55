/**
 * The money model (docs/money-integrity.md, "How it is proven"): a seeded workload drives
 * the real core — a Wallet on a real SQLite file in a temp folder, a ManualClock — through
 * random interleavings of spends, approvals, declines, cancellations, expiries, receipts of
 * every kind, reviews, settlements, grants, window rollovers across DST changes, pauses,
 * freezes, policy edits, deposits, the cap on waiting requests and revocation, across four
 * agents that share one funding source under a global cap. An independent model
 * (test/model/model*.ts) predicts every answer and the state after it; an auditor
 * (test/model/auditor.ts) checks the rules after every step.
 *
 * PURSER_MODEL_SEEDS (default 5) seeds of PURSER_MODEL_STEPS (default 800) steps each;
 * PURSER_MODEL_SEED=<seed> replays one seed exactly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/clock';
import { Wallet } from '../../electron/core/wallet';
import { seedsFromEnv } from '../model/prng';
import { merged, runSeed, summary, type SeedStats } from '../model/runner';
import { setUpWorld } from '../model/setup';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

const STEPS = Number(process.env.PURSER_MODEL_STEPS ?? 800);
const SEEDS = seedsFromEnv(5, 20_260_301);

afterAll(() => cleanupTmpDirs());

/** What the workload must have reached in a full run: every kind of step, every path. */
const MUST_HAPPEN = [
  'spend:approved:within_policy',
  'spend:approved:budget_request',
  'spend:needs_approval:over_budget',
  'spend:needs_approval:approval_threshold',
  'spend:needs_approval:new_merchant',
  'spend:declined:over_budget',
  'spend:declined:too_many_pending',
  'spend:declined:budget_request_exhausted',
  'spend:declined:agent_paused',
  'spend:declined:wallet_frozen',
  'spend:declined:merchant_denied',
  'spend:declined:max_transaction',
  'spend:declined:velocity',
  'spend:refused:funding_source_budget_exceeded',
  'approve:owner_approved',
  'approve:owner_override',
  'approve:409_override_required',
  'approve:409_not_pending',
  'decline:ok',
  'cancel:ok',
  'cancel:404',
  'cancel:409',
  'expiry:spend',
  'expiry:grant_pending',
  'expiry:grant_approved',
  'receipt:plain',
  'receipt:settle_same',
  'receipt:settle_less',
  'receipt:settle_more',
  'receipt:names_needs_approval',
  'receipt:names_declined',
  'receipt:names_expired',
  'receipt:names_cancelled',
  'receipt:404_unknown',
  'receipt:404_other_agent',
  'receipt:huge',
  'receipt:409_settled',
  'receipt:held_for_review',
  'receipt:paused_for_review',
  'accept:shared_excess',
  'accept:settled_for_less',
  'dispute:shared_excess',
  'dispute:settled_for_less',
  'settle:released',
  'grant:requested',
  'grant:approved',
  'grant:approved_adjusted',
  'grant:rejected',
  'grant:exhausted',
  'grant:409_exists',
  'declineAll:some',
  'status:paused',
  'status:active',
  'status:revoked',
  'revoke:cancelled_pending',
  'freeze:on',
  'freeze:off',
  'deposit:ok',
  'limits:edit',
  'rollover:daily',
  'rollover:weekly',
  'rollover:monthly',
  'rollover:dst_change',
];

/** Every kind of action the workload has. */
const MUST_RUN = [
  'spend',
  'cancel',
  'receipt',
  'budgetRequest',
  'approve',
  'decline',
  'declineAll',
  'accept',
  'dispute',
  'settle',
  'grantApprove',
  'grantReject',
  'status',
  'freeze',
  'policy',
  'deposit',
  'limits',
  'advance',
];

describe('the money model', () => {
  it(`${SEEDS.length} seeds × ${STEPS} steps: every answer as predicted, every rule audited`, async () => {
    const all: SeedStats[] = [];
    for (const seed of SEEDS) {
      all.push(
        await runSeed({
          seed,
          steps: STEPS,
          replay: (step) =>
            `PURSER_MODEL_SEED=${seed} PURSER_MODEL_STEPS=${step} npx vitest run --config test/vitest.config.ts test/integration/money-model.test.ts`,
          async open(prng) {
            const clock = new ManualClock(0);
            const wallet = Wallet.open({ home: tmpHome('money-model'), clock });
            const { world, model } = await setUpWorld(wallet, clock, prng, { startAt: true });
            return { world, model, close: () => wallet.close() };
          },
        }),
      );
    }
    console.log(summary(all));
    // A short run (a replay, a smaller PURSER_MODEL_STEPS) proves what it reached; a full
    // one must have reached everything.
    if (SEEDS.length * STEPS >= 2_000) {
      const { kinds, tags } = merged(all);
      expect(
        MUST_RUN.filter((k) => !kinds.has(k)),
        'kinds of step never run',
      ).toEqual([]);
      expect(
        MUST_HAPPEN.filter((t) => !tags.has(t)),
        'paths the workload never reached',
      ).toEqual([]);
    }
  }, 600_000);
});
