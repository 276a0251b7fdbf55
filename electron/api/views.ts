/**
 * Domain records → the JSON the agent API promises (shared/schemas/agent-api.ts).
 * Cents are rounded so that nothing left is overstated and nothing spent is understated.
 */
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import type { BudgetRequestView } from '../../shared/schemas/budget-requests';
import type { ReceiptView } from '../../shared/schemas/receipts';
import type { BudgetRequestRecord } from '../core/budgets/budget-repository';
import type { ReceiptRecord } from '../core/receipts/receipt-repository';
import type { Period } from '../../shared/domain';
import { microsToCentsCeil, microsToCentsFloor } from '../../shared/money';
import { toIso } from '../core/clock';
import type { Agent } from '../core/agents/agent-repository';
import type { FundingSource } from '../core/funding/funding-repository';
import type { LimitState } from '../core/policy/decide';
import type { BudgetSnapshot } from '../core/spend/limits';
import type { SpendRecord } from '../core/spend/spend-repository';

type RemainingByPeriod = Partial<Record<`remaining_${Period}_budget_cents`, number>>;

export function remainingFields(
  budget: BudgetSnapshot,
): { remaining_budget_cents: number } & RemainingByPeriod {
  const cents = microsToCentsFloor(budget.remaining);
  return { remaining_budget_cents: cents, [`remaining_${budget.period}_budget_cents`]: cents };
}

export function spendView(
  record: SpendRecord,
  budget: BudgetSnapshot,
  approvalUrl: (id: string) => string,
): SpendRequestView {
  const pending = record.status === 'needs_approval';
  return {
    id: record.id,
    object: 'spend_request',
    status: record.status,
    decision_reason: record.decisionReason,
    decision_rule: record.decisionRule,
    amount_cents: microsToCentsCeil(record.amount),
    amount_micros: Number(record.amount),
    currency: 'usd',
    merchant_name: record.merchantName,
    reason: record.reason,
    category: record.category,
    metadata: record.metadata,
    budget_period: budget.period,
    ...remainingFields(budget),
    ...(pending ? { approval_url: approvalUrl(record.id) } : {}),
    created_at: toIso(record.createdAt),
    decided_at: record.decidedAt === null ? null : toIso(record.decidedAt),
    ...(pending && record.expiresAt !== null ? { expires_at: toIso(record.expiresAt) } : {}),
    policy_version: record.policyVersion,
    budget_request_id: record.budgetRequestId,
  };
}

export function fundingView(source: FundingSource, limit: LimitState | null) {
  const remaining = limit ? limit.amount - limit.spent : null;
  return {
    id: source.id,
    kind: source.kind,
    balance_cents: microsToCentsFloor(source.balance < 0n ? 0n : source.balance),
    limit_cents: source.limit ? microsToCentsFloor(source.limit.amount) : null,
    limit_period: source.limit?.period ?? null,
    limit_remaining_cents:
      remaining === null ? null : microsToCentsFloor(remaining < 0n ? 0n : remaining),
  };
}

export function budgetFields(budget: BudgetSnapshot) {
  return {
    budget_period: budget.period,
    window_kind: budget.windowKind,
    budget_cents: microsToCentsFloor(budget.budget),
    spent_cents: microsToCentsCeil(budget.spent),
    ...remainingFields(budget),
    over_budget: budget.overBudget,
    window_start: toIso(budget.window.start),
    window_end: budget.window.end === null ? null : toIso(budget.window.end),
  };
}

export function budgetRequestView(r: BudgetRequestRecord): BudgetRequestView {
  const remaining = r.approved === null ? null : r.approved - r.spent;
  return {
    id: r.id,
    object: 'budget_request',
    status: r.status,
    requested_amount_cents: microsToCentsCeil(r.requested),
    approved_amount_cents: r.approved === null ? null : microsToCentsFloor(r.approved),
    spent_cents: microsToCentsCeil(r.spent),
    remaining_cents:
      remaining === null ? null : microsToCentsFloor(remaining > 0n ? remaining : 0n),
    adjusted: r.approved !== null && r.approved !== r.requested,
    purpose: r.purpose,
    category: r.category,
    metadata: r.metadata,
    comment: r.ownerComment,
    created_at: toIso(r.createdAt),
    decided_at: r.decidedAt === null ? null : toIso(r.decidedAt),
    expires_at: toIso(r.expiresAt),
    ended_at: r.endedAt === null ? null : toIso(r.endedAt),
  };
}

export function receiptView(r: ReceiptRecord): ReceiptView {
  return {
    id: r.id,
    object: 'receipt',
    amount_cents: microsToCentsCeil(r.amount),
    amount_micros: Number(r.amount),
    merchant_name: r.merchant,
    host: r.host,
    rail: r.rail,
    spend_request_id: r.spendRequestId,
    settles: r.settles,
    budget_request_id: r.budgetRequestId,
    tx_hash: r.txHash,
    network: r.network,
    occurred_at: r.occurredAt === null ? null : toIso(r.occurredAt),
    created_at: toIso(r.createdAt),
    counted_micros: Number(r.counted),
    over_budget: r.overLimits.length > 0,
    over_limits: r.overLimits,
    flags: r.flags,
    review: r.review && {
      kind: r.review.kind,
      status: r.review.status,
      amount_micros: Number(r.review.micros),
      amount_cents: microsToCentsCeil(r.review.micros),
      reviewed_at: r.review.reviewedAt === null ? null : toIso(r.review.reviewedAt),
      comment: r.review.comment,
    },
  };
}

export function balanceView(
  agent: Agent,
  budget: BudgetSnapshot,
  source: FundingSource,
  limit: LimitState | null,
  frozen: boolean,
  activeBudgetRequest: BudgetRequestRecord | null,
): BalanceView {
  const funding = fundingView(source, limit);
  return {
    object: 'balance',
    agent_id: agent.id,
    mode: agent.mode,
    status: agent.status,
    ...budgetFields(budget),
    funding_balance_cents: funding.balance_cents,
    funding_source: funding,
    frozen,
    active_budget_request: activeBudgetRequest && budgetRequestView(activeBudgetRequest),
  };
}
