import type { z } from 'zod';
import type { overviewView } from '../../../../shared/schemas/overview';
import { toIso } from '../../../core/clock';
import type { Overview } from '../../../core/overview/overview-service';
import type { TimeWindow } from '../../../core/policy/windows';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';
import { ownerBudgetAlertView, ownerBudgetView } from '../../owner-views';

/** The Overview's defaults: enough to fill a screen, little enough to read at once. */
const DEFAULT_ACTIVITY = 10;
const DEFAULT_NEAREST = 5;

type OverviewAnswer = z.input<typeof overviewView>;

const windowOut = (w: TimeWindow) => ({
  window_start: toIso(w.start),
  window_end: w.end === null ? null : toIso(w.end),
});
const isoOrNull = (ms: number | null) => (ms === null ? null : toIso(ms));

/** The core's overview as the owner API answers it (shared/schemas/overview.ts). */
export function overviewOut(o: Overview, nameOf: (agentId: string) => string): OverviewAnswer {
  const { waiting } = o;
  return {
    time_zone: o.timeZone,
    frozen: o.frozen,
    spend: o.spend.map((s) => {
      const { cap, spent } = s.period;
      return {
        mode: s.mode,
        today: { spent_micros: s.today.spent.toString(), ...windowOut(s.today.window) },
        period: {
          period: s.period.period,
          window_kind: s.period.windowKind,
          spent_micros: spent.toString(),
          cap_micros: cap === null ? null : cap.toString(),
          left_micros: cap === null ? null : (cap > spent ? cap - spent : 0n).toString(),
          over_cap: cap !== null && spent > cap,
          ...windowOut(s.period.window),
        },
      };
    }),
    waiting: {
      spend_requests: {
        count: waiting.spendRequests.count,
        oldest_at: isoOrNull(waiting.spendRequests.oldestAt),
      },
      budget_requests: {
        count: waiting.budgetRequests.count,
        oldest_at: isoOrNull(waiting.budgetRequests.oldestAt),
      },
      receipt_reviews: { count: waiting.receiptReviews },
      unmatched_transfers: { count: waiting.unmatchedTransfers },
      paused_agents: {
        count: waiting.pausedAgents.count,
        agents: waiting.pausedAgents.listed.map((a) => ({ id: a.id, name: a.name, mode: a.mode })),
      },
    },
    nearest_limits: o.nearest.map((n) => ({
      agent_id: n.agent.id,
      agent_name: n.agent.name,
      mode: n.agent.mode,
      status: n.agent.status,
      used_bp: n.usedBp,
      budget: ownerBudgetView(n.budget),
    })),
    alerts: o.alerts.map(({ agent, alert }) => ({
      agent_id: agent.id,
      agent_name: agent.name,
      mode: agent.mode,
      status: agent.status,
      period: alert.period,
      window_kind: alert.windowKind,
      alert: ownerBudgetAlertView(alert),
    })),
    activity: o.activity.map((e) => ({
      seq: e.seq,
      ts: toIso(e.ts),
      type: e.type,
      actor: e.actor,
      agent_id: e.agentId,
      agent_name: e.agentId === null ? null : nameOf(e.agentId),
      object_id: e.objectId,
      amount_micros: e.amount === null ? null : e.amount.toString(),
      status: e.status,
      merchant: e.merchant,
      rail: e.rail,
    })),
    as_of: toIso(o.asOf),
  };
}

/** `GET /admin/v1/overview`: the window's first page (docs/overview.md). */
export function ownerOverviewHandlers({ wallet }: RouteContext): OwnerHandlerGroup<'overview'> {
  return {
    overview: ({ query, reply }) => {
      // Figures of the moment: a cached copy would show money that has moved since.
      reply.header('Cache-Control', 'no-store');
      const overview = wallet.overview.read({
        activity: query.activity ?? DEFAULT_ACTIVITY,
        nearest: query.nearest ?? DEFAULT_NEAREST,
      });
      return overviewOut(overview, (id) => wallet.agents.nameOf(id));
    },
  };
}
