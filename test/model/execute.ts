/**
 * Runs one Action against the real core (the wallet's services, as the API calls them)
 * and reduces what came back to an Outcome the model can be compared with. A PurserError
 * is an answer (its code and HTTP status); anything else thrown is a bug and fails the run.
 */
import { httpStatusOf } from '../../electron/api/errors';
import { PurserError } from '../../electron/core/errors';
import type { SpendRecord } from '../../electron/core/spend/spend-repository';
import { walletInternals } from '../../electron/core/wallet-internals';
import type { Action, Minted, Outcome } from './actions';
import type { World } from './setup';
import {
  budgetRequestCommand,
  grantCommand,
  policyChange,
  receiptCommand,
  spendCommand,
} from '../helpers/commands';

export interface Executed {
  outcome: Outcome;
  minted: Minted;
}

export function asAnswer(error: unknown): Outcome {
  if (!(error instanceof PurserError)) throw error;
  const e = error;
  const reason = (e.details as { reason?: unknown } | undefined)?.reason;
  return {
    kind: 'error',
    code: e.code,
    status: httpStatusOf(e),
    ...(typeof reason === 'string' ? { reason } : {}),
  };
}

const spendOutcome = (record: SpendRecord, remaining: bigint): Outcome => ({
  kind: 'spend',
  status: record.status,
  rule: record.decisionRule,
  grant: record.budgetRequestId,
  remaining: remaining.toString(),
});

/** Runs `action`; the chain test passes its own runner for the chain actions. */
export async function execute(
  w: World,
  action: Action,
  chain?: (action: Action) => Promise<Executed | undefined>,
): Promise<Executed> {
  try {
    return (await chain?.(action)) ?? (await core(w, action));
  } catch (error) {
    return { outcome: asAnswer(error), minted: {} };
  }
}

async function core(w: World, a: Action): Promise<Executed> {
  const { wallet } = w;
  const ok: Executed = { outcome: { kind: 'ok' }, minted: {} };
  const id = (index: number) => (w.agents[index] as { id: string }).id;
  switch (a.t) {
    case 'spend': {
      const r = await wallet.spend.create(
        w.auth(a.agent),
        spendCommand({
          amount_cents: a.cents,
          currency: 'usd',
          merchant_name: a.merchant,
          reason: 'model',
        }),
        undefined,
      );
      if (r.kind === 'refused')
        return { outcome: { kind: 'refused', code: r.refusal.code }, minted: {} };
      return {
        outcome: spendOutcome(r.record, r.budget.remaining),
        minted: { spendId: r.record.id },
      };
    }
    case 'cancel': {
      const r = await wallet.spend.cancel(w.auth(a.agent), a.spendId);
      return { outcome: { kind: 'closed', status: r.status }, minted: {} };
    }
    case 'receipt': {
      const where = a.merchant.includes('.') ? { host: a.merchant } : { merchant_name: a.merchant };
      const amount =
        'cents' in a.amount ? { amount_cents: a.amount.cents } : { amount_micros: a.amount.micros };
      const { result } = await wallet.receipts.record(
        w.auth(a.agent),
        receiptCommand({ ...amount, ...where, rail: 'card', spend_request_id: a.spendId }),
        undefined,
      );
      const r = result.receipt;
      const outcome: Outcome = {
        kind: 'receipt',
        counted: r.counted.toString(),
        settles: r.settles,
        flags: [...r.flags].sort(),
        review: r.review && { kind: r.review.kind, micros: r.review.micros.toString() },
        overLimits: [...r.overLimits].sort(),
        grant: r.budgetRequestId,
      };
      return { outcome, minted: { receiptId: r.id } };
    }
    case 'budgetRequest': {
      const { result: r } = await wallet.budgets.create(
        w.auth(a.agent),
        budgetRequestCommand({ amount_cents: a.cents, purpose: 'model' }),
        undefined,
      );
      const outcome: Outcome = {
        kind: 'grant',
        status: r.status,
        approved: null,
        expiresAt: r.expiresAt,
      };
      return { outcome, minted: { grantId: r.id } };
    }
    case 'approve': {
      const r = await wallet.approvals.approve(a.spendId, { overrideBudget: a.override });
      const outcome: Outcome =
        r.kind === 'refused'
          ? { kind: 'refused', code: r.refusal.code }
          : { kind: 'approved', rule: r.record.decisionRule };
      return { outcome, minted: {} };
    }
    case 'decline': {
      const r = await wallet.approvals.decline(a.spendId, 'no');
      return { outcome: { kind: 'closed', status: r.status }, minted: {} };
    }
    case 'declineAll': {
      const r = await wallet.approvals.declineAll(id(a.agent), 'a flood');
      return {
        outcome: {
          kind: 'declinedAll',
          declined: r.declined.length,
          rejected: r.rejected !== null,
        },
        minted: {},
      };
    }
    case 'accept':
    case 'dispute': {
      const r = await wallet.receiptReviews[a.t](a.receiptId, null);
      return { outcome: { kind: 'reviewed', status: r.review?.status ?? 'none' }, minted: {} };
    }
    case 'settle': {
      const r = await wallet.approvals.settle(a.spendId, BigInt(a.to), null);
      return { outcome: { kind: 'settled', released: r.released.toString() }, minted: {} };
    }
    case 'grantApprove':
    case 'grantReject': {
      const r =
        a.t === 'grantApprove'
          ? await wallet.budgets.approve(
              a.grantId,
              grantCommand({ amountCents: a.cents, hours: a.hours }),
            )
          : await wallet.budgets.reject(a.grantId, 'no');
      const outcome: Outcome = {
        kind: 'grant',
        status: r.status,
        approved: r.approved === null ? null : r.approved.toString(),
        expiresAt: r.expiresAt,
      };
      return { outcome, minted: {} };
    }
    case 'status':
      await wallet.agents.setStatus(id(a.agent), a.to);
      return ok;
    case 'freeze':
      await wallet.settings.setFrozen(a.frozen);
      return ok;
    case 'policy':
      await wallet.agents.updatePolicy(id(a.agent), policyChange(a.patch));
      return ok;
    case 'deposit':
      await wallet.funding.deposit({ fundingSourceId: w.sourceId }, BigInt(a.micros));
      return ok;
    case 'limits': {
      const deps = walletInternals(wallet);
      const limit = deps.funding.get(w.sourceId)?.limit;
      const cap = deps.settings.get().globalCap;
      if (a.fundingLimitCents !== undefined && limit)
        await wallet.funding.setLimit(w.sourceId, {
          ...limit,
          amount: BigInt(a.fundingLimitCents) * 10_000n,
        });
      if (a.capCents !== undefined && cap)
        await wallet.settings.update({
          globalCap: { ...cap, amount: BigInt(a.capCents) * 10_000n },
        });
      return ok;
    }
    case 'advance':
      w.clock.advance(a.ms);
      await wallet.sweep();
      return ok;
    default:
      throw new Error(`no core runner for ${a.t}`);
  }
}
