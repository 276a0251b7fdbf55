/**
 * The model of a spend decision and of what happens to a request afterwards
 * (docs/decision-order.md: steps 5–15, pending requests, the approval re-checks and the
 * override, the owner's settlement for less; docs/money-integrity.md rules 1 and 5).
 * Written from the documents, not from electron/core/policy/decide.ts.
 */
import type { Minted, Outcome } from './actions';
import { cents, HOUR, min, pos, type MAgent, type MSpend, type ModelState } from './model-state';

type Verdict =
  | { outcome: 'approved' | 'declined' | 'needs_approval'; rule: string; grantId?: string }
  | { outcome: 'refused'; code: string };

export const err = (code: string, status: number): Outcome => ({ kind: 'error', code, status });
export const notFound = err('not_found', 404);
export const conflict = err('invalid_request', 409);
export const revokedKey = err('revoked_api_key', 403);

/** Steps 9–11: the limits no approval can lift, in their order. */
export function hardLimit(m: ModelState, a: MAgent, amount: bigint): string | null {
  const s = m.source(a);
  const limitSpent = m.sourceSpent(s);
  if (s.limit && limitSpent !== null && limitSpent + amount > s.limit.amount)
    return 'funding_source_budget_exceeded';
  const capSpent = m.capSpent();
  if (m.cap && capSpent !== null && capSpent + amount > m.cap.amount)
    return 'plan_spend_volume_exceeded';
  if (s.balance < amount) return 'insufficient_wallet_balance';
  return null;
}

/** Steps 5–15 for `amount` at `merchant`, over the model's sums as they stand. */
export function decide(m: ModelState, a: MAgent, amount: bigint, merchant: string): Verdict {
  const p = a.policy;
  const declined = (rule: string): Verdict => ({ outcome: 'declined', rule });
  if (a.status === 'revoked') return declined('agent_revoked');
  if (a.status === 'paused') return declined('agent_paused');
  if (m.frozen) return declined('wallet_frozen');
  if (p.deny.includes(merchant.toLowerCase())) return declined('merchant_denied');
  if (p.maxTransaction !== null && amount > p.maxTransaction) return declined('max_transaction');
  if (p.velocityPerHour !== null && m.velocity(a) + 1 > p.velocityPerHour)
    return declined('velocity');
  const refusal = hardLimit(m, a, amount);
  if (refusal) return { outcome: 'refused', code: refusal };
  let ask: string | null = null;
  const grant = m.activeGrant(a);
  if (grant) {
    if (amount > m.grantLeft(grant)) return declined('budget_request_exhausted');
    return { outcome: 'approved', rule: 'budget_request', grantId: grant.id };
  }
  if (m.spent(a) + amount > p.budget) {
    if (p.overBudget === 'decline') return declined('over_budget');
    ask = 'over_budget';
  } else if (p.approvalThreshold !== null && amount >= p.approvalThreshold) {
    ask = 'approval_threshold';
  } else if (p.askOnNewMerchant && !a.known.has(merchant.toLowerCase())) {
    ask = 'new_merchant';
  }
  if (ask === null) return { outcome: 'approved', rule: 'within_policy' };
  // Rule 5: past max_pending, what would have asked is declined.
  if (m.pendingOf(a).length >= p.maxPending) return declined('too_many_pending');
  return { outcome: 'needs_approval', rule: ask };
}

/** A spend request, as `POST /v1/spend` (or an x402 payment's decision) records it. */
export function spend(
  m: ModelState,
  a: MAgent,
  amount: bigint,
  merchant: string,
  minted: Minted,
  x402 = false,
): { outcome: Outcome; record?: MSpend } {
  if (a.status === 'revoked') return { outcome: revokedKey };
  const v = decide(m, a, amount, merchant);
  if (v.outcome === 'refused') {
    m.tag(`spend:refused:${v.code}`);
    return { outcome: { kind: 'refused', code: v.code } };
  }
  if (!minted.spendId) throw new Error('model: the core made no spend request');
  const record: MSpend = {
    id: minted.spendId,
    agentId: a.id,
    status: v.outcome,
    rule: v.rule,
    amount,
    merchant,
    usage: null,
    grantId: v.grantId ?? null,
    expiresAt: v.outcome === 'needs_approval' ? m.now + m.pendingExpiryHours * HOUR : null,
    settledBy: null,
    x402,
    decidedAt: v.outcome === 'needs_approval' ? null : m.now,
  };
  if (v.outcome === 'approved') {
    record.usage = m.count(a, record.id, amount, merchant);
    const grant = v.grantId ? m.grants.get(v.grantId) : undefined;
    if (grant) m.draw(grant, amount);
  }
  m.spends.set(record.id, record);
  m.tag(`spend:${v.outcome}:${v.rule}`);
  const outcome: Outcome = {
    kind: 'spend',
    status: v.outcome,
    rule: v.rule,
    grant: record.grantId,
    remaining: m.remaining(a).toString(),
  };
  return { outcome, record };
}

/** The owner approves a pending request: standing, hard limits, then the budget (override). */
export function approve(m: ModelState, id: string, override: boolean): Outcome {
  const s = m.spends.get(id);
  if (!s) return notFound;
  if (s.status !== 'needs_approval') return (m.tag('approve:409_not_pending'), conflict);
  const a = m.agentById(s.agentId);
  if (m.frozen || a.status !== 'active') return (m.tag('approve:409_standing'), conflict);
  const refusal = hardLimit(m, a, s.amount);
  if (refusal) {
    m.tag(`approve:refused:${refusal}`);
    return { kind: 'refused', code: refusal };
  }
  const over = m.spent(a) + s.amount > a.policy.budget;
  if (over && !override) return (m.tag('approve:409_override_required'), conflict);
  s.status = 'approved';
  s.rule = over ? 'owner_override' : 'owner_approved';
  s.decidedAt = m.now;
  s.usage = m.count(a, s.id, s.amount, s.merchant);
  m.tag(`approve:${s.rule}`);
  return { kind: 'approved', rule: s.rule };
}

function close(m: ModelState, s: MSpend, status: 'declined' | 'cancelled', rule: string): void {
  s.status = status;
  s.rule = rule;
}

export function decline(m: ModelState, id: string): Outcome {
  const s = m.spends.get(id);
  if (!s) return notFound;
  if (s.status !== 'needs_approval') return (m.tag('decline:409'), conflict);
  close(m, s, 'declined', 'owner_declined');
  m.tag('decline:ok');
  return { kind: 'closed', status: 'declined' };
}

/** The agent withdraws its own pending request; another agent's ids are not found. */
export function cancel(m: ModelState, a: MAgent, id: string): Outcome {
  if (a.status === 'revoked') return revokedKey;
  const s = m.spends.get(id);
  if (!s || s.agentId !== a.id) return (m.tag('cancel:404'), notFound);
  if (s.status !== 'needs_approval') return (m.tag('cancel:409'), conflict);
  close(m, s, 'cancelled', 'cancelled');
  m.tag('cancel:ok');
  return { kind: 'closed', status: 'cancelled' };
}

/**
 * The owner settles an approved request for less (rule 1): the difference leaves every
 * limit it counted against, in the window it was counted in, and the grant it drew on.
 */
export function settle(m: ModelState, id: string, to: bigint): Outcome {
  const s = m.spends.get(id);
  if (!s) return notFound;
  if (s.status !== 'approved' || !s.usage) return (m.tag('settle:409_not_approved'), conflict);
  // A payment Purser signs is settled by the chain's word alone (docs/chain.md).
  if (s.x402) {
    m.tag('settle:409_x402');
    return { kind: 'error', code: 'invalid_request', status: 409, reason: 'paid_through_purser' };
  }
  if (to < 0n || to >= s.usage.micros) return (m.tag('settle:409_not_less'), conflict);
  return { kind: 'settled', released: settleUsage(m, s, to).toString() };
}

export function settleUsage(m: ModelState, s: MSpend, to: bigint): bigint {
  const u = s.usage as NonNullable<MSpend['usage']>;
  const released = u.micros - to;
  m.adjust(u, -released, min(u.shared, to) - u.shared);
  const grant = s.grantId ? m.grants.get(s.grantId) : undefined;
  if (grant) m.draw(grant, -released);
  m.tag(released > 0n ? 'settle:released' : 'settle:nothing');
  return released;
}

/** "Decline all…": every pending request of the agent, and its pending budget request. */
export function declineAll(m: ModelState, a: MAgent): Outcome {
  const pending = m.pendingOf(a);
  for (const s of pending) close(m, s, 'declined', 'owner_declined');
  const g = m.openGrant(a);
  const rejected = g?.status === 'pending';
  if (g && rejected) g.status = 'rejected';
  m.tag(pending.length > 0 ? 'declineAll:some' : 'declineAll:none');
  return { kind: 'declinedAll', declined: pending.length, rejected };
}

export { cents, pos };
