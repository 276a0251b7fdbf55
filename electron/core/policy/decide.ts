/**
 * Steps 5–15 of docs/decision-order.md as a pure function: everything it needs is in its
 * input (the request, the policy, what has been spent, the clock's windows), so it can be
 * tested exhaustively and run inside the write transaction without touching anything.
 * Steps 1–4 (key, body, idempotency, rate limit) happen before it, in the API and the
 * spend service.
 */
import type { AgentStatus, Period } from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';
import {
  formatUsd,
  microsToCentsCeil,
  microsToCentsFloor,
  type Micros,
} from '../../../shared/money';
import { toIso } from '../clock';
import { MerchantName, normalizeText } from './merchant-key';
import { lookalikeIn, matchIn } from './merchants';
import type { Policy } from './policy';
import type { TimeWindow } from './windows';
import { checkRecipient, type Payee } from './recipient-rule';

export type { Payee } from './recipient-rule';

export interface LimitState {
  amount: Micros;
  period: Period;
  spent: Micros;
  window: TimeWindow;
}

export interface DecisionInput {
  amount: Micros;
  merchant: string;
  category: string | null;
  agentStatus: AgentStatus;
  frozen: boolean;
  policy: Policy;
  /** Spent in the current window of the agent's own budget. */
  budgetSpent: Micros;
  /** Approved spends of this agent in the last hour. */
  velocityCount: number;
  fundingBalance: Micros;
  fundingLimit: LimitState | null;
  globalCap: LimitState | null;
  /** An approved, unexpired budget request of this agent, with what is left of it. */
  budgetRequest: { id: string; remaining: Micros } | null;
  merchantIsNew: boolean;
  /**
   * How many of this agent's requests wait for the owner now. Asked only when the answer
   * would be needs_approval, so the count costs nothing on the common path.
   */
  pendingCount: () => number;
  /** For a payout (docs/payouts.md): step 6 judges its recipient instead of a merchant. */
  payee?: Payee;
}

export type Rule =
  | 'agent_paused'
  | 'agent_revoked'
  | 'wallet_frozen'
  | 'merchant_denied'
  | 'merchant_lookalike_denied'
  | 'merchant_not_allowed'
  | 'merchant_lookalike'
  | 'category_not_allowed'
  | 'max_transaction'
  | 'velocity'
  | 'funding_limit'
  | 'global_cap'
  | 'insufficient_balance'
  | 'budget_request_exhausted'
  | 'budget_request'
  | 'over_budget'
  | 'approval_threshold'
  | 'new_merchant'
  | 'recipient_denied'
  | 'recipient_not_allowed'
  | 'recipient_lookalike'
  | 'new_recipient'
  | 'too_many_pending'
  | 'within_policy';

export type HardLimitRule = 'funding_limit' | 'global_cap' | 'insufficient_balance';

export interface Verdict {
  outcome: 'approved' | 'declined' | 'needs_approval';
  rule: Rule;
  reason: string;
  budgetRequestId?: string;
}

/** Steps 9–11: not a decision but an HTTP error; the attempt is still ledgered. */
export interface Refusal {
  outcome: 'refused';
  rule: HardLimitRule;
  code: ErrorCode;
  reason: string;
  details: Record<string, unknown>;
}

export type Decision = Verdict | Refusal;

const declined = (rule: Rule, reason: string): Verdict => ({ outcome: 'declined', rule, reason });

export function decide(input: DecisionInput): Decision {
  const standing = checkStanding(input);
  if (standing) return standing;
  const merchant = input.payee ? checkRecipient(input.payee, input.policy) : checkMerchant(input);
  if (merchant?.outcome === 'declined') return merchant;
  const rest = decideRest(input);
  const decision = merchant === null ? rest : askInstead(merchant, rest);
  return decision.outcome === 'needs_approval' ? capPending(input, decision) : decision;
}

/**
 * The owner must always be able to see and act on what waits for them (docs/money-integrity.md,
 * rule 5): an agent may keep at most `maxPending` requests waiting at once. Past it, what
 * would have asked is declined, so a flood of requests cannot bury the others.
 */
function capPending(input: DecisionInput, ask: Verdict): Verdict {
  const waiting = input.pendingCount();
  const most = input.policy.maxPending;
  if (waiting < most) return ask;
  return declined(
    'too_many_pending',
    `${waiting} requests of this agent already wait for the owner, the most its policy allows (${most}); this one would have needed approval (${ask.reason})`,
  );
}

/** Steps 7–15, once the agent's standing and the merchant have passed. */
function decideRest(input: DecisionInput): Decision {
  return (
    checkSize(input) ??
    checkVelocity(input) ??
    checkHardLimits(input) ??
    checkBudgetRequest(input) ??
    checkBudget(input) ??
    checkApproval(input) ?? {
      outcome: 'approved',
      rule: 'within_policy',
      reason: 'Spend request approved',
    }
  );
}

/** Step 5. */
function checkStanding({ agentStatus, frozen }: DecisionInput): Verdict | null {
  if (agentStatus === 'revoked') return declined('agent_revoked', 'This agent has been revoked');
  if (agentStatus === 'paused')
    return declined('agent_paused', 'This agent is paused by its owner');
  if (frozen) return declined('wallet_frozen', 'All spending is frozen by the owner');
  return null;
}

/**
 * Step 6, on the merchant's normalised key (docs/merchant-identity.md). A look-alike of a
 * denied name is declined; a look-alike of an allowed name is not declined here but
 * returned as a `needs_approval` verdict that `askInstead` applies after steps 7–15, so
 * it still loses to every decline and hard limit like any other request that asks.
 */
function checkMerchant({ merchant, category, policy }: DecisionInput): Verdict | null {
  const name = new MerchantName(merchant);
  const denied = matchIn(policy.denyList, name);
  if (denied !== undefined) {
    return declined(
      'merchant_denied',
      `Merchant "${merchant}" is on this agent's deny-list (${denied.listed})`,
    );
  }
  const deniedLookalike = lookalikeIn(policy.denyList, name);
  if (deniedLookalike !== undefined) {
    return declined(
      'merchant_lookalike_denied',
      `Merchant "${merchant}" looks like "${deniedLookalike.listed}" on the deny-list but is not the same name`,
    );
  }
  let ask: Verdict | null = null;
  if (policy.allowList.entries.length > 0 && matchIn(policy.allowList, name) === undefined) {
    const allowedLookalike = lookalikeIn(policy.allowList, name);
    if (allowedLookalike === undefined) {
      return declined(
        'merchant_not_allowed',
        `Merchant "${merchant}" is not on this agent's allow-list`,
      );
    }
    ask = {
      outcome: 'needs_approval',
      rule: 'merchant_lookalike',
      reason: `Merchant "${merchant}" looks like "${allowedLookalike.listed}" on the allow-list but is not the same name`,
    };
  }
  return checkCategory(category, policy) ?? ask;
}

/** Step 6, categories: compared on their normalised text (docs/merchant-identity.md). */
function checkCategory(category: string | null, policy: Policy): Verdict | null {
  if (policy.allowedCategories.length > 0) {
    if (category === null) {
      return declined(
        'category_not_allowed',
        'This agent may only spend in listed categories; the request names none',
      );
    }
    if (!policy.categoryKeys.has(normalizeText(category))) {
      return declined(
        'category_not_allowed',
        `Category "${category}" is not allowed for this agent`,
      );
    }
  }
  return null;
}

/**
 * A look-alike of an allowed merchant asks the owner, whatever steps 7–15 say, unless they
 * decline or refuse: it is never approved silently, not even against a budget request
 * (an owner's approval then counts like any other, without drawing on it). Another reason
 * to ask is kept in the message, so the owner sees both.
 */
function askInstead(ask: Verdict, rest: Decision): Decision {
  if (rest.outcome === 'declined' || rest.outcome === 'refused') return rest;
  if (rest.outcome === 'needs_approval') return { ...ask, reason: `${ask.reason}; ${rest.reason}` };
  return ask;
}

/** Step 7. */
function checkSize({ amount, policy }: DecisionInput): Verdict | null {
  if (policy.maxTransaction !== null && amount > policy.maxTransaction) {
    return declined(
      'max_transaction',
      `Amount ${formatUsd(amount)} is above the max transaction size of ${formatUsd(policy.maxTransaction)}`,
    );
  }
  return null;
}

/** Step 8. */
function checkVelocity({ velocityCount, policy }: DecisionInput): Verdict | null {
  if (policy.velocityPerHour !== null && velocityCount + 1 > policy.velocityPerHour) {
    return declined(
      'velocity',
      `This agent already made ${velocityCount} approved spends in the last hour (limit ${policy.velocityPerHour})`,
    );
  }
  return null;
}

/**
 * Steps 9–11, the limits no approval can lift. Also run again when the owner approves a
 * pending request.
 */
export function checkHardLimits(
  input: Pick<DecisionInput, 'amount' | 'fundingLimit' | 'globalCap' | 'fundingBalance'>,
): Refusal | null {
  const { amount, fundingLimit, globalCap, fundingBalance } = input;
  if (fundingLimit && fundingLimit.spent + amount > fundingLimit.amount) {
    return refusal(
      'funding_limit',
      'funding_source_budget_exceeded',
      "the funding source's limit",
      amount,
      fundingLimit,
    );
  }
  if (globalCap && globalCap.spent + amount > globalCap.amount) {
    return refusal(
      'global_cap',
      'plan_spend_volume_exceeded',
      'the global cap across all agents',
      amount,
      globalCap,
    );
  }
  if (fundingBalance < amount) {
    return {
      outcome: 'refused',
      rule: 'insufficient_balance',
      code: 'insufficient_wallet_balance',
      reason: `The funding source holds ${formatUsd(fundingBalance < 0n ? 0n : fundingBalance)}, less than ${formatUsd(amount)}`,
      details: {
        balance: microsToCentsFloor(fundingBalance < 0n ? 0n : fundingBalance),
        requested: microsToCentsCeil(amount),
        currency: 'usd',
        unit: 'cents',
      },
    };
  }
  return null;
}

function refusal(
  rule: HardLimitRule,
  code: ErrorCode,
  what: string,
  amount: Micros,
  limit: LimitState,
): Refusal {
  const remaining = limit.amount - limit.spent;
  return {
    outcome: 'refused',
    rule,
    code,
    reason: `Amount ${formatUsd(amount)} would exceed ${what} (${formatUsd(remaining < 0n ? 0n : remaining)} left of ${formatUsd(limit.amount)} ${limit.period})`,
    details: {
      limit: microsToCentsFloor(limit.amount),
      spent: microsToCentsCeil(limit.spent),
      remaining: microsToCentsFloor(remaining < 0n ? 0n : remaining),
      requested: microsToCentsCeil(amount),
      period: limit.period,
      windowStart: toIso(limit.window.start),
      windowEnd: limit.window.end === null ? null : toIso(limit.window.end),
      currency: 'usd',
      unit: 'cents',
    },
  };
}

/** Step 12: an approved budget request replaces the periodic budget and the threshold. */
function checkBudgetRequest({ amount, budgetRequest }: DecisionInput): Verdict | null {
  if (!budgetRequest) return null;
  if (amount > budgetRequest.remaining) {
    return declined(
      'budget_request_exhausted',
      `Amount ${formatUsd(amount)} exceeds what is left of approved budget request ${budgetRequest.id} (${formatUsd(budgetRequest.remaining)}); the budget request is exhausted for this amount`,
    );
  }
  return {
    outcome: 'approved',
    rule: 'budget_request',
    reason: `Approved against budget request ${budgetRequest.id}`,
    budgetRequestId: budgetRequest.id,
  };
}

/** Step 13. */
function checkBudget({ amount, budgetSpent, policy }: DecisionInput): Verdict | null {
  if (budgetSpent + amount <= policy.budget) return null;
  const left = policy.budget - budgetSpent;
  const reason = `Amount ${formatUsd(amount)} would exceed the ${policy.period} budget (${formatUsd(left < 0n ? 0n : left)} left of ${formatUsd(policy.budget)})`;
  return policy.overBudget === 'ask'
    ? { outcome: 'needs_approval', rule: 'over_budget', reason }
    : declined('over_budget', reason);
}

/** Step 14. */
function checkApproval({ amount, policy, merchantIsNew, merchant }: DecisionInput): Verdict | null {
  if (policy.approvalThreshold !== null && amount >= policy.approvalThreshold) {
    return {
      outcome: 'needs_approval',
      rule: 'approval_threshold',
      reason: `Amount ${formatUsd(amount)} is at or above the approval threshold of ${formatUsd(policy.approvalThreshold)}`,
    };
  }
  if (policy.askOnNewMerchant && merchantIsNew) {
    return {
      outcome: 'needs_approval',
      rule: 'new_merchant',
      reason: `First spend at merchant "${merchant}" needs approval`,
    };
  }
  return null;
}
