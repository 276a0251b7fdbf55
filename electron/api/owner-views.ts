/** Domain records → the owner API's JSON (shared/schemas/owner-api.ts). */
import type {
  AgentView,
  LedgerEntryView,
  OwnerBudgetRequestView,
  OwnerSpendView,
} from '../../shared/schemas/owner-api';
import type { ApprovalImpact } from '../core/approvals/approval-service';
import type { BudgetRequestRecord } from '../core/budgets/budget-repository';
import { budgetRequestView, receiptView } from './views';
import type { ReceiptRecord } from '../core/receipts/receipt-repository';
import type { OwnerReceiptView } from '../../shared/schemas/receipts';
import { microsToCentsCeil, microsToCentsFloor } from '../../shared/money';
import { toIso } from '../core/clock';
import type { Agent } from '../core/agents/agent-repository';
import type { FundingSource } from '../core/funding/funding-repository';
import type { ApiKey } from '../core/keys/key-repository';
import type { LedgerRow } from '../core/ledger/ledger';
import { merchantKey } from '../core/policy/merchant-key';
import { policyToInput, type Policy } from '../core/policy/policy';
import type { BudgetSnapshot } from '../core/spend/limits';
import type { BudgetAlert } from '../core/budgets/budget-alerts';
import type { X402Payment } from '../core/rails/x402/x402-payment-repository';
import type { PayoutIntent } from '../core/rails/payouts/payout-repository';
import type { SpendRecord } from '../core/spend/spend-repository';
import type { Settings } from '../core/settings/settings-repository';

export function ownerBudgetView(b: BudgetSnapshot) {
  return {
    period: b.period,
    window_kind: b.windowKind,
    budget_cents: microsToCentsFloor(b.budget),
    spent_cents: microsToCentsCeil(b.spent),
    remaining_cents: microsToCentsFloor(b.remaining),
    spent_micros: b.spent.toString(),
    over_budget: b.overBudget,
    window_start: toIso(b.window.start),
    window_end: b.window.end === null ? null : toIso(b.window.end),
  };
}

export function ownerBudgetAlertView(a: BudgetAlert) {
  return {
    level_percent: a.level,
    at: toIso(a.at),
    spent_micros: a.spent.toString(),
    budget_micros: a.budget.toString(),
    window_start: toIso(a.windowStart),
    window_end: a.windowEnd === null ? null : toIso(a.windowEnd),
  };
}

export function agentView(
  agent: Agent,
  policy: Policy,
  budget: BudgetSnapshot,
  alert: BudgetAlert | null,
): AgentView {
  return {
    id: agent.id,
    name: agent.name,
    mode: agent.mode,
    status: agent.status,
    funding_source_id: agent.fundingSourceId,
    policy_version: policy.version,
    policy: policyToInput(policy),
    budget: ownerBudgetView(budget),
    budget_alert: alert === null ? null : ownerBudgetAlertView(alert),
    created_at: toIso(agent.createdAt),
    updated_at: toIso(agent.updatedAt),
  };
}

export function keyView(key: ApiKey) {
  return {
    id: key.id,
    agent_id: key.agentId,
    mode: key.mode,
    prefix: key.prefix,
    last4: key.last4,
    scopes: key.scopes,
    label: key.label,
    created_at: toIso(key.createdAt),
    expires_at: key.expiresAt === null ? null : toIso(key.expiresAt),
    revoked_at: key.revokedAt === null ? null : toIso(key.revokedAt),
  };
}

export function ownerFundingView(s: FundingSource) {
  return {
    id: s.id,
    kind: s.kind,
    mode: s.mode,
    name: s.name,
    is_default: s.isDefault,
    balance_cents: microsToCentsFloor(s.balance),
    balance_micros: s.balance.toString(),
    limit_cents: s.limit ? microsToCentsFloor(s.limit.amount) : null,
    limit_period: s.limit?.period ?? null,
    limit_window: s.limit?.window ?? null,
  };
}

export function settingsView(s: Settings) {
  return {
    time_zone: s.timeZone,
    frozen: s.frozen,
    pending_expiry_hours: s.pendingExpiryHours,
    notifications: s.notifications,
    start_at_login: s.startAtLogin,
    global_cap: s.globalCap && {
      amount_cents: microsToCentsFloor(s.globalCap.amount),
      period: s.globalCap.period,
      window: s.globalCap.window,
    },
  };
}

export function ledgerEntryView(row: LedgerRow): LedgerEntryView {
  return {
    seq: row.seq,
    ts: toIso(row.ts),
    type: row.type,
    actor: row.actor,
    mode: row.mode,
    agent_id: row.agentId,
    object_id: row.objectId,
    amount_micros: row.amount === null ? null : row.amount.toString(),
    counted_micros: row.counted.toString(),
    status: row.status,
    merchant: row.merchant,
    rail: row.rail,
    data: JSON.parse(row.data) as Record<string, unknown>,
    prev_hash: row.prevHash.toString('hex'),
    hash: row.hash.toString('hex'),
  };
}

export function impactView(i: ApprovalImpact) {
  return {
    period: i.budget.period,
    budget_cents: microsToCentsFloor(i.budget.budget),
    spent_cents: microsToCentsCeil(i.budget.spent),
    spent_after_cents: microsToCentsCeil(i.spentAfter),
    exceeds_budget: i.exceedsBudget,
    over_by_cents: microsToCentsCeil(i.overBy),
    hard_limit: i.refusal && { code: i.refusal.code, reason: i.refusal.reason },
  };
}

/** An x402 or MPP payment as the owner's prompt shows it: host, payee, network, asset, dollars. */
export function ownerX402View(
  p: X402Payment,
  paidBefore: boolean,
): NonNullable<OwnerSpendView['x402']> {
  return {
    protocol: p.protocol,
    scheme: p.requirement.scheme === 'upto' ? 'upto' : 'exact',
    payment_id: p.id,
    status: p.status,
    resource_url: p.resourceUrl,
    host: new URL(p.resourceUrl).hostname,
    pay_to: p.payTo,
    paid_before: paidBefore,
    network: p.network,
    asset: p.asset,
    amount_units: p.units.toString(),
    amount_cents: microsToCentsCeil(p.micros),
  };
}

/** A payout as the owner's prompt shows it: the recipient by name and in full, and where. */
export function ownerPayoutView(
  p: PayoutIntent,
  recipient: { name: string } | undefined,
  lookalike: { name: string; address: string } | undefined,
  paidBefore: boolean,
): NonNullable<OwnerSpendView['payout']> {
  return {
    payout_id: p.id,
    status: p.status,
    recipient_id: p.recipientId,
    recipient_name: recipient?.name ?? null,
    address: p.address,
    lookalike_of: lookalike ?? null,
    paid_before: paidBefore,
    chain: p.chain,
    network: p.network,
    asset: p.asset,
    amount_units: p.units.toString(),
    amount_cents: microsToCentsCeil(p.micros),
  };
}

export function ownerSpendView(
  r: SpendRecord,
  agentName: string,
  impact: ApprovalImpact | null = null,
  x402: OwnerSpendView['x402'] = null,
  payout: OwnerSpendView['payout'] = null,
): OwnerSpendView {
  return {
    id: r.id,
    agent_id: r.agentId,
    agent_name: agentName,
    status: r.status,
    decision_reason: r.decisionReason,
    decision_rule: r.decisionRule,
    amount_cents: microsToCentsCeil(r.amount),
    amount_micros: r.amount.toString(),
    merchant_name: r.merchantName,
    // Beside the raw name, so the owner sees what the lists matched (docs/merchant-identity.md).
    merchant_key: merchantKey(r.merchantName),
    reason: r.reason,
    category: r.category,
    created_at: toIso(r.createdAt),
    decided_at: r.decidedAt === null ? null : toIso(r.decidedAt),
    expires_at: r.expiresAt === null ? null : toIso(r.expiresAt),
    policy_version: r.policyVersion,
    owner_comment: r.ownerComment,
    budget_request_id: r.budgetRequestId,
    impact: impact && impactView(impact),
    x402,
    payout,
  };
}

export function ownerBudgetRequestView(
  r: BudgetRequestRecord,
  agentName: string,
): OwnerBudgetRequestView {
  return { ...budgetRequestView(r), agent_id: r.agentId, agent_name: agentName };
}

/** A receipt as the owner sees it: the agent's view, whose it is, its key and metadata. */
export function ownerReceiptView(r: ReceiptRecord, agentName: string): OwnerReceiptView {
  return {
    ...receiptView(r),
    agent_id: r.agentId,
    agent_name: agentName,
    key_id: r.keyId,
    metadata: r.metadata,
  };
}
