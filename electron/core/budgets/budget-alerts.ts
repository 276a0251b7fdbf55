/**
 * Budget alerts (docs/alerts.md): an agent's counted spend reaching one of its policy's
 * warning levels (80 % and 100 % of the budget by default) raises one alert per level per
 * budget window: a row in `budget_alerts`, a `budget.alert` ledger entry, and an `alert`
 * event after the commit (the owner's stream, the desktop notification).
 *
 * The check runs where money is counted, inside the write job that counts it, after the
 * entry that counted it: a comparison of the spend before and after against the policy's
 * thresholds (computed once per policy version, `Policy.alertThresholds`). Only a crossing
 * touches the database.
 */
import type { Statement } from 'better-sqlite3';
import type { Period, WindowKind } from '../../../shared/domain';
import { formatUsd, type Micros } from '../../../shared/money';
import type { Agent } from '../agents/agent-repository';
import { toIso } from '../clock';
import type { TxContext } from '../db/committer';
import type { Db } from '../db/types';
import type { Policy } from '../policy/policy';
import type { TimeWindow } from '../policy/windows';
import type { BudgetSnapshot } from '../spend/limits';
import type { WalletDeps } from '../wallet-deps';

/** One warning level reached in one budget window. */
export interface BudgetAlert {
  agentId: string;
  level: number;
  period: Period;
  windowKind: WindowKind;
  /** The window the alert stands for (see `coveredWindow`). */
  windowStart: number;
  windowEnd: number | null;
  at: number;
  budget: Micros;
  /** What the agent had spent in the window once the level was reached. */
  spent: Micros;
  policyVersion: number;
  /** The spend request, receipt or on-chain transfer whose money reached the level. */
  originId: string | null;
  ledgerSeq: number;
}

interface AlertRow {
  agent_id: string;
  level: bigint;
  period: Period;
  window_kind: WindowKind;
  window_start: bigint;
  window_end: bigint | null;
  at: bigint;
  budget_micros: bigint;
  spent_micros: bigint;
  policy_version: bigint;
  origin_id: string | null;
  ledger_seq: bigint;
}

const COLUMNS = `agent_id, level, period, window_kind, window_start, window_end, at,
  budget_micros, spent_micros, policy_version, origin_id, ledger_seq`;

function alertOf(r: AlertRow): BudgetAlert {
  return {
    agentId: r.agent_id,
    level: Number(r.level),
    period: r.period,
    windowKind: r.window_kind,
    windowStart: Number(r.window_start),
    windowEnd: r.window_end === null ? null : Number(r.window_end),
    at: Number(r.at),
    budget: r.budget_micros,
    spent: r.spent_micros,
    policyVersion: Number(r.policy_version),
    originId: r.origin_id,
    ledgerSeq: Number(r.ledger_seq),
  };
}

/**
 * The window an alert raised at `now` stands for: the budget's own window when it has fixed
 * bounds (a calendar day, week or month; `total`, which never ends), and for a rolling
 * budget, whose window moves with every moment, the window's length from the alert on.
 */
export function coveredWindow(
  window: TimeWindow,
  now: number,
): { start: number; end: number | null } {
  if (window.width === null) return { start: window.start, end: window.end };
  return { start: now, end: now + window.width };
}

/** The `budget_alerts` table (migration 0011). */
export class BudgetAlertRepository {
  private readonly covering: Statement<[string, number, string, string, number, number], AlertRow>;
  private readonly insert: Statement;
  private readonly latest: Statement<[string, string, string, number, number], AlertRow>;
  private readonly open: Statement<[number], AlertRow>;

  constructor(db: Db) {
    const inForce = 'window_start <= ? AND (window_end IS NULL OR window_end > ?)';
    this.covering = db.prepare(
      `SELECT ${COLUMNS} FROM budget_alerts
       WHERE agent_id = ? AND level = ? AND period = ? AND window_kind = ? AND ${inForce}
       LIMIT 1`,
    );
    this.insert = db.prepare(
      `INSERT INTO budget_alerts (${COLUMNS})
       VALUES (@agentId, @level, @period, @windowKind, @windowStart, @windowEnd, @at,
         @budget, @spent, @policyVersion, @originId, @ledgerSeq)`,
    );
    this.latest = db.prepare(
      `SELECT ${COLUMNS} FROM budget_alerts
       WHERE agent_id = ? AND period = ? AND window_kind = ? AND ${inForce}
       ORDER BY at DESC, level DESC LIMIT 1`,
    );
    this.open = db.prepare(
      `SELECT ${COLUMNS} FROM budget_alerts WHERE window_end IS NULL OR window_end > ?
       ORDER BY at DESC, level DESC`,
    );
  }

  /** Whether `level` already alerted in a window of this budget that holds `now`. */
  raised(agentId: string, level: number, period: Period, kind: WindowKind, now: number): boolean {
    return this.covering.get(agentId, level, period, kind, now, now) !== undefined;
  }

  add(alert: BudgetAlert): void {
    this.insert.run(alert);
  }

  /** The newest alert of the agent's budget (this period and window kind) in force at `now`. */
  current(agentId: string, period: Period, kind: WindowKind, now: number): BudgetAlert | undefined {
    const row = this.latest.get(agentId, period, kind, now, now);
    return row && alertOf(row);
  }

  /** Every alert whose window has not ended at `now`, newest first (few: levels × agents). */
  inForce(now: number): BudgetAlert[] {
    return this.open
      .all(now)
      .filter((r) => Number(r.window_start) <= now)
      .map(alertOf);
  }
}

/** What raising an alert writes and announces. */
export type BudgetAlertDeps = Pick<WalletDeps, 'budgetAlerts' | 'events' | 'ledger'>;

const PERIOD_WORDS: Record<Period, string> = {
  daily: 'daily',
  weekly: 'weekly',
  monthly: 'monthly',
  total: 'total',
};

/**
 * Raises the alerts of every level that counting `added` made the agent's spend reach: its
 * spend before, `after.spent - added`, was under the level's threshold and is now at or
 * above it. One alert per level so crossed, lowest first (a spend that goes from 50 % to
 * 100 % raises both), and never a second one for a level in the same window. Call it inside
 * the write job that counted the money, after the ledger entry that counted it.
 */
export function raiseBudgetAlerts(
  d: BudgetAlertDeps,
  tx: TxContext,
  agent: Agent,
  policy: Policy,
  after: Pick<BudgetSnapshot, 'spent' | 'window'>,
  added: Micros,
  originId: string | null,
  now: number,
): void {
  const thresholds = policy.alertThresholds;
  // The common case costs two comparisons: under the lowest level, or already past the top.
  const lowest = thresholds[0];
  if (added <= 0n || lowest === undefined || after.spent < lowest.micros) return;
  const before = after.spent - added;
  if (before >= (thresholds[thresholds.length - 1] as (typeof thresholds)[number]).micros) return;
  for (const t of thresholds) {
    if (before < t.micros && t.micros <= after.spent) {
      raise(d, tx, agent, policy, after, t.level, originId, now);
    }
  }
}

function raise(
  d: BudgetAlertDeps,
  tx: TxContext,
  agent: Agent,
  policy: Policy,
  after: Pick<BudgetSnapshot, 'spent' | 'window'>,
  level: number,
  originId: string | null,
  now: number,
): void {
  if (d.budgetAlerts.raised(agent.id, level, policy.period, policy.window, now)) return;
  const covered = coveredWindow(after.window, now);
  const message = `${agent.name} has used ${level}% of its ${PERIOD_WORDS[policy.period]} budget: ${formatUsd(after.spent)} of ${formatUsd(policy.budget)}`;
  const entry = d.ledger.append(
    {
      type: 'budget.alert',
      actor: 'system',
      mode: agent.mode,
      agentId: agent.id,
      objectId: originId,
      amount: null,
      counted: 0n,
      status: `${level}%`,
      data: {
        level_percent: level,
        budget_micros: policy.budget.toString(),
        spent_micros: after.spent.toString(),
        period: policy.period,
        window_kind: policy.window,
        window_start: toIso(covered.start),
        window_end: covered.end === null ? null : toIso(covered.end),
        policy_version: policy.version,
      },
    },
    now,
  );
  d.budgetAlerts.add({
    agentId: agent.id,
    level,
    period: policy.period,
    windowKind: policy.window,
    windowStart: covered.start,
    windowEnd: covered.end,
    at: now,
    budget: policy.budget,
    spent: after.spent,
    policyVersion: policy.version,
    originId,
    ledgerSeq: entry.seq,
  });
  tx.afterCommit(() =>
    d.events.emit('alert', {
      kind: 'budget_level',
      agentId: agent.id,
      objectId: originId ?? agent.id,
      message,
    }),
  );
}
