/**
 * What the auditor reads of the real state before and after each step, through the
 * wallet's repositories (walletInternals) and nothing of the model: each agent's standing
 * and remaining budget, its grant, its headroom (computed here, not by
 * electron/core/receipts/headroom.ts), and every shared limit with the part of it the
 * owner accepted from held receipts (the only money allowed past it).
 */
import type { TimeWindow } from '../../electron/core/policy/windows';
import type { WalletDeps } from '../../electron/core/wallet-deps';
import { walletInternals } from '../../electron/core/wallet-internals';
import type { World } from './setup';

const pos = (a: bigint) => (a > 0n ? a : 0n);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

export interface LimitView {
  amount: bigint;
  spent: bigint;
  window: TimeWindow;
  /** Spent, less what the owner accepted of held receipts counted in this window. */
  unexcused: bigint;
}

export interface SourceView {
  id: string;
  balance: bigint;
  limit: LimitView | null;
  /** All held parts the owner ever accepted against this source (they may take it below 0). */
  accepted: bigint;
}

export interface AgentView {
  id: string;
  status: string;
  sourceId: string;
  budget: bigint;
  spent: bigint;
  remaining: bigint;
  window: TimeWindow;
  grant: { id: string; approved: bigint; spent: bigint; left: bigint } | null;
  sharedRoom: bigint;
  headroom: bigint;
}

export interface Snapshot {
  now: number;
  frozen: boolean;
  agents: Map<string, AgentView>;
  sources: Map<string, SourceView>;
  cap: LimitView | null;
}

export function inWindow(w: TimeWindow, ts: number, now: number): boolean {
  if (w.width !== null) return ts > now - w.width;
  return ts >= w.start && (w.end === null || ts < w.end);
}

interface Accepted {
  micros: bigint;
  ts: bigint;
  source: string;
}

function acceptedHeld(deps: WalletDeps): Accepted[] {
  return deps.db
    .prepare<[], Accepted>(
      `SELECT r.review_micros AS micros, u.ts AS ts, u.funding_source_id AS source
       FROM receipts r JOIN usage u ON u.id = r.usage_id
       WHERE r.review_kind = 'shared_excess' AND r.review = 'accepted'`,
    )
    .safeIntegers(true)
    .all();
}

export function snapshot(w: World, agentIds: string[]): Snapshot {
  const deps = walletInternals(w.wallet);
  const now = w.clock.now();
  const frozen = deps.settings.get().frozen;
  const accepted = acceptedHeld(deps);
  const limitView = (
    l: { amount: bigint; spent: bigint; window: TimeWindow } | null,
    source?: string,
  ): LimitView | null => {
    if (!l) return null;
    const excused = accepted
      .filter(
        (x) =>
          (source === undefined || x.source === source) && inWindow(l.window, Number(x.ts), now),
      )
      .reduce((s, x) => s + x.micros, 0n);
    return { amount: l.amount, spent: l.spent, window: l.window, unexcused: l.spent - excused };
  };
  const sources = new Map<string, SourceView>();
  for (const s of deps.funding.list()) {
    const source = deps.funding.get(s.id) ?? s;
    sources.set(s.id, {
      id: s.id,
      balance: source.balance,
      limit: limitView(deps.limits.fundingLimit(source, now, false), s.id),
      accepted: accepted.filter((x) => x.source === s.id).reduce((t, x) => t + x.micros, 0n),
    });
  }
  const cap = limitView(deps.limits.globalCap('live', now, false));
  const agents = new Map<string, AgentView>();
  for (const id of agentIds) {
    const agent = deps.agents.get(id);
    if (!agent) throw new Error(`no agent ${id}`);
    const budget = deps.limits.budget(agent, deps.policies.current(agent), now, false);
    const g = deps.budgets.active(id);
    const grant =
      g && g.status === 'approved' && g.approved !== null && g.expiresAt > now
        ? { id: g.id, approved: g.approved, spent: g.spent, left: pos(g.approved - g.spent) }
        : null;
    const source = sources.get(agent.fundingSourceId) as SourceView;
    let sharedRoom = pos(source.balance);
    if (source.limit) sharedRoom = min(sharedRoom, pos(source.limit.amount - source.limit.spent));
    if (cap) sharedRoom = min(sharedRoom, pos(cap.amount - cap.spent));
    const own = grant ? grant.left : budget.remaining;
    agents.set(id, {
      id,
      status: agent.status,
      sourceId: agent.fundingSourceId,
      budget: budget.budget,
      spent: budget.spent,
      remaining: budget.remaining,
      window: budget.window,
      grant,
      sharedRoom,
      headroom: agent.status !== 'active' || frozen ? 0n : min(own, sharedRoom),
    });
  }
  return { now, frozen, agents, sources, cap };
}
