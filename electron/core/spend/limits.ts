import type { Mode, Period, WindowKind } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';
import type { Agent } from '../agents/agent-repository';
import type { FundingSource } from '../funding/funding-repository';
import type { MeterReading, Meters, MeterScope } from '../ledger/meters';
import type { LimitState } from '../policy/decide';
import type { Policy } from '../policy/policy';
import type { TimeWindow, WindowSpec } from '../policy/windows';
import type { SettingsRepository } from '../settings/settings-repository';

/** An agent's periodic budget as it stands: what every response to the agent reports. */
export interface BudgetSnapshot {
  period: Period;
  windowKind: WindowKind;
  budget: Micros;
  spent: Micros;
  /** Never negative: an agent over its budget has nothing left, not a debt. */
  remaining: Micros;
  overBudget: boolean;
  window: TimeWindow;
  policyVersion: number;
}

export function snapshotOf(policy: Policy, spent: Micros, window: TimeWindow): BudgetSnapshot {
  const left = policy.budget - spent;
  return {
    period: policy.period,
    windowKind: policy.window,
    budget: policy.budget,
    spent,
    remaining: left > 0n ? left : 0n,
    overBudget: left < 0n,
    window,
    policyVersion: policy.version,
  };
}

/**
 * Reads the sums that limits are checked against. `persist` is true inside write jobs,
 * where meters may be brought up to date on disk, and false on read-only routes.
 */
export class LimitReader {
  constructor(
    private readonly meters: Meters,
    private readonly settings: SettingsRepository,
  ) {}

  private reading(scope: MeterScope, spec: WindowSpec, now: number, persist: boolean) {
    return persist ? this.meters.read(scope, spec, now) : this.meters.peek(scope, spec, now);
  }

  private spec(period: Period | 'hour', kind: WindowKind): WindowSpec {
    return { period, kind, timeZone: this.settings.get().timeZone };
  }

  budget(agent: Agent, policy: Policy, now: number, persist: boolean): BudgetSnapshot {
    const r = this.reading(
      { kind: 'agent', id: agent.id },
      this.spec(policy.period, policy.window),
      now,
      persist,
    );
    return snapshotOf(policy, r.sum, r.window);
  }

  /** Usage rows of this agent in the last hour (approved spends and receipts). */
  velocity(agent: Agent, now: number, persist: boolean): number {
    return this.reading({ kind: 'agent', id: agent.id }, this.spec('hour', 'rolling'), now, persist)
      .count;
  }

  fundingLimit(source: FundingSource, now: number, persist: boolean): LimitState | null {
    if (!source.limit) return null;
    const { amount, period, window } = source.limit;
    const r = this.reading(
      { kind: 'funding', id: source.id },
      this.spec(period, window),
      now,
      persist,
    );
    return { amount, period, spent: r.sum, window: r.window };
  }

  globalCap(mode: Mode, now: number, persist: boolean): LimitState | null {
    const cap = this.settings.get().globalCap;
    if (!cap) return null;
    const r = this.globalSpend(mode, cap.period, cap.window, now, persist);
    return { amount: cap.amount, period: cap.period, spent: r.sum, window: r.window };
  }

  /**
   * What every agent of `mode` spent together in one window, as the global cap counts it
   * (the shared part): the cap's own figure, and the Overview's "today" and "this month".
   */
  globalSpend(
    mode: Mode,
    period: Period,
    kind: WindowKind,
    now: number,
    persist: boolean,
  ): MeterReading {
    return this.reading({ kind: 'global', mode }, this.spec(period, kind), now, persist);
  }
}
