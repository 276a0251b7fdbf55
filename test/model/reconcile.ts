/**
 * After every step, the model's state against the real one: every usage row (its agent
 * part, its shared part and the time it was first counted), every request's status and
 * rule, every grant, every review, each agent's status and the remaining budget it sees,
 * each balance, and the sums of the funding limit and the global cap. These are the
 * model's predictions about the state; the answers were compared by the runner.
 */
import { walletInternals } from '../../electron/core/wallet-internals';
import { show } from './actions';
import type { ModelState } from './model-state';
import type { World } from './setup';

interface UsageRow {
  origin_id: string;
  ts: bigint;
  agent_id: string;
  funding_source_id: string;
  micros: bigint;
  shared_micros: bigint;
}

const key = (v: unknown): string => (Array.isArray(v) ? v.map(String).join('|') : String(v));

function same(what: string, real: unknown, model: unknown): void {
  // Most comparisons are of a few scalars: compare those cheaply, and describe on a miss.
  if ((Array.isArray(real) || typeof real !== 'object') && key(real) === key(model)) return;
  if (show(real) !== show(model))
    throw new Error(`${what}: the core has ${show(real)}, the model predicted ${show(model)}`);
}

export function reconcile(w: World, m: ModelState): void {
  const deps = walletInternals(w.wallet);
  const now = w.clock.now();
  same('clock', now, m.now);
  same('frozen', deps.settings.get().frozen, m.frozen);

  const usage = deps.db
    .prepare<[], UsageRow>(
      'SELECT origin_id, ts, agent_id, funding_source_id, micros, shared_micros FROM usage',
    )
    .safeIntegers(true)
    .all();
  same('usage rows', usage.length, m.usages.length);
  const byOrigin = new Map(usage.map((u) => [u.origin_id, u]));
  for (const u of m.usages) {
    const r = byOrigin.get(u.origin);
    same(
      `usage of ${u.origin} (time, agent, source, micros, shared)`,
      r && [Number(r.ts), r.agent_id, r.funding_source_id, r.micros, r.shared_micros],
      [u.ts, u.agentId, u.source, u.micros, u.shared],
    );
  }

  const spends = deps.db
    .prepare<[], { id: string; status: string; decision_rule: string }>(
      'SELECT id, status, decision_rule FROM spend_requests',
    )
    .all();
  same('spend requests', spends.length, m.spends.size);
  for (const r of spends) {
    const s = m.spends.get(r.id);
    same(`request ${r.id}`, [r.status, r.decision_rule], s && [s.status, s.rule]);
  }

  const grants = deps.budgets.list(undefined, 100_000);
  same('budget requests', grants.length, m.grants.size);
  for (const g of grants) {
    const mg = m.grants.get(g.id);
    same(
      `grant ${g.id}`,
      [g.status, g.approved, g.spent, g.expiresAt],
      mg && [mg.status, mg.approved, mg.spent, mg.expiresAt],
    );
  }

  const reviews = deps.db
    .prepare<
      [],
      { id: string; review: string | null; review_kind: string | null; review_micros: bigint }
    >('SELECT id, review, review_kind, review_micros FROM receipts')
    .safeIntegers(true)
    .all();
  same('receipts', reviews.length, m.receipts.size);
  for (const r of reviews) {
    const mr = m.receipts.get(r.id);
    const real = r.review === null ? null : [r.review_kind, r.review, r.review_micros];
    same(
      `review of ${r.id}`,
      real,
      mr && (mr.review ? [mr.review.kind, mr.review.status, mr.review.micros] : null),
    );
  }

  for (const a of m.agents) {
    const agent = deps.agents.get(a.id);
    if (!agent) throw new Error(`agent ${a.id} is gone`);
    same(`status of ${a.id}`, agent.status, a.status);
    const budget = deps.limits.budget(agent, deps.policies.current(agent), now, false);
    same(`spent by ${a.id}`, budget.spent, m.spent(a));
    same(`remaining budget of ${a.id}`, budget.remaining, m.remaining(a));
    same(`velocity of ${a.id}`, deps.limits.velocity(agent, now, false), m.velocity(a));
  }

  for (const s of m.sources.values()) {
    const source = deps.funding.get(s.id);
    if (!source) throw new Error(`source ${s.id} is gone`);
    same(`balance of ${s.id}`, source.balance, s.balance);
    const limit = deps.limits.fundingLimit(source, now, false);
    same(
      `funding limit of ${s.id}`,
      limit && [limit.amount, limit.spent],
      s.limit && [s.limit.amount, m.sourceSpent(s)],
    );
  }
  const cap = deps.limits.globalCap('live', now, false);
  same('global cap', cap && [cap.amount, cap.spent], m.cap && [m.cap.amount, m.capSpent()]);
}
