import { MODES, type Mode, type Period, type WindowKind } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';
import type { Agent } from '../agents/agent-repository';
import type { AgentService } from '../agents/agent-service';
import type { LedgerRow } from '../ledger/ledger';
import type { LedgerService } from '../ledger/ledger-service';
import type { TimeWindow } from '../policy/windows';
import type { BudgetSnapshot } from '../spend/limits';
import type { BudgetAlert } from '../budgets/budget-alerts';
import type { WalletDeps } from '../wallet-deps';

/** What the Overview reads of the wallet: sums, counts and indexes only, never a scan. */
export type OverviewDeps = Pick<
  WalletDeps,
  | 'agents'
  | 'budgetAlerts'
  | 'budgets'
  | 'chainTransfers'
  | 'clock'
  | 'limits'
  | 'reads'
  | 'receipts'
  | 'settings'
  | 'spends'
>;

export interface ModeSpend {
  mode: Mode;
  today: { spent: Micros; window: TimeWindow };
  period: {
    period: Period;
    windowKind: WindowKind;
    spent: Micros;
    /** The global cap; null when none is set (the period is then this calendar month). */
    cap: Micros | null;
    window: TimeWindow;
  };
}

export interface Waiting {
  spendRequests: { count: number; oldestAt: number | null };
  budgetRequests: { count: number; oldestAt: number | null };
  receiptReviews: number;
  unmatchedTransfers: number;
  /** Every paused agent counted; the first few (by name) listed. */
  pausedAgents: { count: number; listed: Agent[] };
}

export interface NearLimit {
  agent: Agent;
  budget: BudgetSnapshot;
  /** Spent of budget in basis points, not capped at 100 %: the most over comes first. */
  usedBp: number;
}

/** The newest warning level an agent's budget reached in its current window (docs/alerts.md). */
export interface AgentAlert {
  agent: Agent;
  alert: BudgetAlert;
}

export interface Overview {
  timeZone: string;
  frozen: boolean;
  spend: ModeSpend[];
  waiting: Waiting;
  nearest: NearLimit[];
  /** One per agent not revoked whose budget reached a warning level this window, newest first. */
  alerts: AgentAlert[];
  activity: LedgerRow[];
  asOf: number;
}

/** Pending budget requests are at most one per agent; this bounds the read all the same. */
const BUDGET_REQUESTS_READ = 10_000;
/** Paused agents listed by name (the count is always whole). */
const PAUSED_LISTED = 20;
/** Spent with no budget at all ranks above any agent that has one. */
const NO_BUDGET_SPENT_BP = 99_999;

/** Spent of budget in basis points; over budget goes past 10,000. */
export function usedBasisPoints(spent: Micros, budget: Micros): number {
  if (spent <= 0n) return 0;
  if (budget <= 0n) return NO_BUDGET_SPENT_BP;
  const bp = (spent * 10_000n) / budget;
  return Number(bp > BigInt(NO_BUDGET_SPENT_BP) ? BigInt(NO_BUDGET_SPENT_BP) : bp);
}

/**
 * The window's first page (docs/overview.md), read in one snapshot. Every figure is a
 * running sum (the meters, the same the limits are checked against), a count through an
 * index, or the newest ledger entries by primary key: the answer costs the same however
 * long the ledger is. It reuses the services' own reads (an agent's budget, the pending
 * counts the approvals queue uses, the ledger's pages) rather than counting anew.
 */
export class OverviewService {
  constructor(
    private readonly d: OverviewDeps,
    private readonly agents: AgentService,
    private readonly ledger: LedgerService,
  ) {}

  read(options: { activity: number; nearest: number }): Overview {
    return this.d.reads.run(() => {
      const now = this.d.clock.now();
      const settings = this.d.settings.get();
      const agents = this.agents.list();
      const standing = agents
        .filter((a) => a.status !== 'revoked')
        .map((agent) => ({ agent, ...this.agents.budgetOf(agent) }));
      return {
        timeZone: settings.timeZone,
        frozen: settings.frozen,
        spend: MODES.map((mode) => this.spendOf(mode, now)),
        waiting: this.waiting(agents),
        nearest: this.nearest(standing, options.nearest),
        alerts: standing
          .flatMap(({ agent, alert }) => (alert === null ? [] : [{ agent, alert }]))
          .sort((a, b) => b.alert.at - a.alert.at || a.agent.name.localeCompare(b.agent.name)),
        activity: this.ledger.page({}, options.activity),
        asOf: now,
      };
    });
  }

  private spendOf(mode: Mode, now: number): ModeSpend {
    const { limits } = this.d;
    const today = limits.globalSpend(mode, 'daily', 'calendar', now, false);
    const cap = limits.globalCap(mode, now, false);
    const cappedPeriod = this.d.settings.get().globalCap;
    if (cap && cappedPeriod) {
      return {
        mode,
        today: { spent: today.sum, window: today.window },
        period: {
          period: cap.period,
          windowKind: cappedPeriod.window,
          spent: cap.spent,
          cap: cap.amount,
          window: cap.window,
        },
      };
    }
    const month = limits.globalSpend(mode, 'monthly', 'calendar', now, false);
    return {
      mode,
      today: { spent: today.sum, window: today.window },
      period: {
        period: 'monthly',
        windowKind: 'calendar',
        spent: month.sum,
        cap: null,
        window: month.window,
      },
    };
  }

  private waiting(agents: Agent[]): Waiting {
    const { d } = this;
    const pending = d.spends.pendingByAgent();
    const budgets = d.budgets.list('pending', BUDGET_REQUESTS_READ);
    const oldest = (times: number[]) => (times.length === 0 ? null : Math.min(...times));
    const paused = agents.filter((a) => a.status === 'paused');
    return {
      spendRequests: {
        count: pending.reduce((n, g) => n + g.count, 0),
        oldestAt: oldest(pending.map((g) => g.oldest)),
      },
      budgetRequests: { count: budgets.length, oldestAt: oldest(budgets.map((b) => b.createdAt)) },
      receiptReviews: [...d.receipts.openReviewCountByAgent().values()].reduce((n, c) => n + c, 0),
      unmatchedTransfers: d.chainTransfers.unmatchedWaiting(),
      pausedAgents: {
        count: paused.length,
        listed: paused.sort((a, b) => a.name.localeCompare(b.name)).slice(0, PAUSED_LISTED),
      },
    };
  }

  /** Agents not revoked, the most used of their budget first; those with nothing to show left out. */
  private nearest(
    standing: { agent: Agent; budget: BudgetSnapshot }[],
    limit: number,
  ): NearLimit[] {
    return standing
      .map(({ agent, budget }) => ({
        agent,
        budget,
        usedBp: usedBasisPoints(budget.spent, budget.budget),
      }))
      .filter((n) => n.budget.budget > 0n || n.budget.spent > 0n)
      .sort((a, b) => b.usedBp - a.usedBp || a.agent.name.localeCompare(b.agent.name))
      .slice(0, limit);
  }
}
