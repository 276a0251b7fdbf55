/**
 * The model of budget requests (docs/decision-order.md, "Budget requests") and of the
 * owner's other levers: pause, resume, revoke (which cancels what waits, money-integrity.md
 * rule 5), the freeze, policy edits, deposits, the funding limit, the global cap.
 */
import { DateTime } from 'luxon';
import type { Minted, Outcome, Policy } from './actions';
import { spanOf } from './windows';
import { conflict, notFound, revokedKey } from './model-spend';
import { cents, HOUR, type MAgent, type ModelState } from './model-state';

export function budgetRequest(m: ModelState, a: MAgent, amount: bigint, minted: Minted): Outcome {
  if (a.status === 'revoked') return revokedKey;
  if (m.openGrant(a)) {
    m.tag('grant:409_exists');
    return { kind: 'error', code: 'budget_request_exists', status: 409 };
  }
  if (!minted.grantId) throw new Error('model: the core made no budget request');
  const expiresAt = m.now + m.pendingExpiryHours * HOUR;
  m.grants.set(minted.grantId, {
    id: minted.grantId,
    agentId: a.id,
    status: 'pending',
    requested: amount,
    approved: null,
    spent: 0n,
    expiresAt,
  });
  m.tag('grant:requested');
  return { kind: 'grant', status: 'pending', approved: null, expiresAt };
}

export function grantApprove(m: ModelState, id: string, amountCents?: number, hours?: number) {
  const g = m.grants.get(id);
  if (!g) return notFound;
  if (g.status !== 'pending') return (m.tag('grant:409_approve'), conflict);
  g.status = 'approved';
  g.approved = amountCents === undefined ? g.requested : cents(amountCents);
  g.expiresAt = m.now + (hours ?? 24) * HOUR;
  m.tag(amountCents === undefined ? 'grant:approved' : 'grant:approved_adjusted');
  return {
    kind: 'grant',
    status: 'approved',
    approved: g.approved.toString(),
    expiresAt: g.expiresAt,
  } satisfies Outcome;
}

export function grantReject(m: ModelState, id: string): Outcome {
  const g = m.grants.get(id);
  if (!g) return notFound;
  if (g.status !== 'pending') return (m.tag('grant:409_reject'), conflict);
  g.status = 'rejected';
  m.tag('grant:rejected');
  return { kind: 'grant', status: 'rejected', approved: null, expiresAt: g.expiresAt };
}

export function setStatus(m: ModelState, a: MAgent, to: MAgent['status']): Outcome {
  if (a.status === to) return (m.tag(`status:same`), { kind: 'ok' });
  if (a.status === 'revoked') return (m.tag('status:409_revoked'), conflict);
  a.status = to;
  m.tag(`status:${to}`);
  if (to === 'revoked') {
    // In the revocation's own transaction: what waits is cancelled, a pending grant rejected.
    for (const s of m.pendingOf(a)) {
      s.status = 'cancelled';
      s.rule = 'agent_revoked';
      m.tag('revoke:cancelled_pending');
    }
    const g = m.openGrant(a);
    if (g?.status === 'pending') g.status = 'rejected';
  }
  return { kind: 'ok' };
}

export function freeze(m: ModelState, frozen: boolean): Outcome {
  m.tag(m.frozen === frozen ? 'freeze:same' : frozen ? 'freeze:on' : 'freeze:off');
  m.frozen = frozen;
  return { kind: 'ok' };
}

export function editPolicy(m: ModelState, a: MAgent, patch: Policy): Outcome {
  const p = a.policy;
  if (patch.budget_cents !== undefined) p.budget = cents(patch.budget_cents);
  if (patch.period !== undefined) p.period = patch.period;
  if (patch.window !== undefined) p.window = patch.window;
  if (patch.over_budget !== undefined) p.overBudget = patch.over_budget;
  if (patch.approval_threshold_cents !== undefined)
    p.approvalThreshold =
      patch.approval_threshold_cents === null ? null : cents(patch.approval_threshold_cents);
  if (patch.max_transaction_cents !== undefined)
    p.maxTransaction =
      patch.max_transaction_cents === null ? null : cents(patch.max_transaction_cents);
  if (patch.max_pending !== undefined) p.maxPending = patch.max_pending;
  if (patch.ask_on_new_merchant !== undefined) p.askOnNewMerchant = patch.ask_on_new_merchant;
  if (patch.pause_on_over_budget !== undefined) p.pauseOnOverBudget = patch.pause_on_over_budget;
  if (patch.velocity_per_hour !== undefined) p.velocityPerHour = patch.velocity_per_hour;
  m.tag(`policy:${Object.keys(patch).join('+')}`);
  return { kind: 'ok' };
}

export function deposit(m: ModelState, sourceId: string, micros: bigint): Outcome {
  const s = m.sources.get(sourceId);
  if (!s) throw new Error(`model: no source ${sourceId}`);
  if (s.kind !== 'cash')
    return (m.tag('deposit:400_onchain'), { kind: 'error', code: 'invalid_request', status: 400 });
  s.balance += micros;
  m.tag(s.balance - micros < 0n ? 'deposit:rescue' : 'deposit:ok');
  return { kind: 'ok' };
}

export function setLimits(
  m: ModelState,
  sourceId: string,
  fundingLimitCents?: number,
  capCents?: number,
): Outcome {
  const s = m.sources.get(sourceId);
  if (fundingLimitCents !== undefined && s?.limit) s.limit.amount = cents(fundingLimitCents);
  if (capCents !== undefined && m.cap) m.cap.amount = cents(capCents);
  m.tag('limits:edit');
  return { kind: 'ok' };
}

/** The clock moves; the sweeper's upkeep expires what is due (a window may roll over). */
export function advance(m: ModelState, ms: number): Outcome {
  const before = m.now;
  m.now += ms;
  // For the summary: which calendar windows rolled over, and whether a DST change passed.
  for (const period of ['daily', 'weekly', 'monthly'] as const) {
    const spec = { period, kind: 'calendar' as const };
    if (spanOf(spec, m.tz, before).start !== spanOf(spec, m.tz, m.now).start)
      m.tag(`rollover:${period}`);
  }
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone: m.tz }).offset;
  if (offset(before) !== offset(m.now)) m.tag('rollover:dst_change');
  m.expireDue();
  return { kind: 'ok' };
}
