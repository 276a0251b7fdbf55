/**
 * `GET /admin/v1/overview`: the window's first page in one answer (docs/overview.md). Every
 * figure comes from a meter, an index or the ledger's newest entries by key, so its cost
 * does not grow with the ledger. Money is exact: integer micro-dollars as decimal strings.
 */
import { z } from 'zod';
import { AGENT_STATUSES, MODES, PERIODS, WINDOW_KINDS } from '../domain';
import { budgetAlertView, budgetView } from './owner-api';

/** A whole number from 1 to `max`, as a query string carries it. */
const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, { error: `must be a whole number from 1 to ${max}` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, { error: `must be from 1 to ${max}` });

export const overviewQuery = z.strictObject({
  /** How many of the newest ledger entries "latest activity" shows (default 10). */
  activity: count(50).optional(),
  /** How many agents "nearest their limits" shows (default 5). */
  nearest: count(20).optional(),
});

const windowFields = {
  window_start: z.string(),
  /** Null for a `total` window, which never ends. */
  window_end: z.string().nullable(),
};

/**
 * What every agent of one mode spent together: today (the owner's calendar day), and this
 * period — the global cap's period and window when a cap is set, else this calendar month.
 * Counted as the global cap counts it (docs/money-integrity.md: the shared part).
 */
export const overviewSpendView = z.object({
  mode: z.enum(MODES),
  today: z.object({ spent_micros: z.string(), ...windowFields }),
  period: z.object({
    period: z.enum(PERIODS),
    window_kind: z.enum(WINDOW_KINDS),
    spent_micros: z.string(),
    /** The global cap, or null when none is set. */
    cap_micros: z.string().nullable(),
    /** What the cap leaves (never negative), or null when no cap is set. */
    left_micros: z.string().nullable(),
    over_cap: z.boolean(),
    ...windowFields,
  }),
});

const pendingCount = z.object({
  count: z.int(),
  /** When the oldest one was made; null when none waits. */
  oldest_at: z.string().nullable(),
});

export const overviewAgentRef = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.enum(MODES),
});

/** What waits for the owner, each kind a count to act on in the window. */
export const overviewWaitingView = z.object({
  spend_requests: pendingCount,
  budget_requests: pendingCount,
  receipt_reviews: z.object({ count: z.int() }),
  /**
   * On-chain transfers that matched no approved request and still wait: their agent is
   * still paused for them, or no agent accounts for them (docs/chain.md).
   */
  unmatched_transfers: z.object({ count: z.int() }),
  paused_agents: z.object({ count: z.int(), agents: z.array(overviewAgentRef) }),
});

/** One agent and its budget as it stands: the meters the owner should look at first. */
export const overviewLimitView = z.object({
  agent_id: z.string(),
  agent_name: z.string(),
  mode: z.enum(MODES),
  status: z.enum(AGENT_STATUSES),
  /** Spent of budget in basis points (10,000 = all of it; more when over). */
  used_bp: z.int(),
  budget: budgetView,
});

/**
 * An agent whose budget reached a warning level in its current window: the newest level
 * reached (docs/alerts.md). One per agent not revoked.
 */
export const overviewAlertView = z.object({
  agent_id: z.string(),
  agent_name: z.string(),
  mode: z.enum(MODES),
  status: z.enum(AGENT_STATUSES),
  period: z.enum(PERIODS),
  window_kind: z.enum(WINDOW_KINDS),
  alert: budgetAlertView,
});

/** One ledger entry as the activity list says it (the Ledger page has the rest). */
export const overviewActivityView = z.object({
  seq: z.int(),
  ts: z.string(),
  type: z.string(),
  actor: z.string(),
  agent_id: z.string().nullable(),
  /** Null for an entry of no agent (the freeze, settings, the owner's own transfers). */
  agent_name: z.string().nullable(),
  object_id: z.string().nullable(),
  amount_micros: z.string().nullable(),
  status: z.string().nullable(),
  merchant: z.string().nullable(),
  rail: z.string().nullable(),
});

export const overviewView = z.object({
  /** The owner's time zone, in which "today" is counted. */
  time_zone: z.string(),
  frozen: z.boolean(),
  /** Live first, then test. */
  spend: z.array(overviewSpendView),
  waiting: overviewWaitingView,
  nearest_limits: z.array(overviewLimitView),
  /** Budget warning levels reached this window, newest first (docs/alerts.md). */
  alerts: z.array(overviewAlertView),
  activity: z.array(overviewActivityView),
  /** When the figures were read (the server's clock). */
  as_of: z.string(),
});
export type OverviewView = z.infer<typeof overviewView>;
