/**
 * The crossing check where money is counted (electron/core/budgets/budget-alerts.ts): the
 * thresholds of a policy, which levels a counted amount crosses, and that the common case —
 * under the lowest level, or already past the top — touches nothing at all.
 */
import { describe, expect, it } from 'vitest';
import {
  coveredWindow,
  raiseBudgetAlerts,
  type BudgetAlert,
  type BudgetAlertDeps,
} from '../../../electron/core/budgets/budget-alerts';
import type { Agent } from '../../../electron/core/agents/agent-repository';
import type { LedgerEntryInput } from '../../../electron/core/ledger/ledger';
import {
  alertThresholdsOf,
  parsePolicy,
  policyFromInput,
  serializePolicy,
} from '../../../electron/core/policy/policy';
import { DEFAULT_POLICY } from '../../../shared/schemas/policy';
import { DAY_MS } from '../../../electron/core/clock';

const USD = 1_000_000n;
const agent = { id: 'agt_1', name: 'bot', mode: 'live' } as Agent;
const monthly = { start: 1_000, end: 2_000, width: null };

/** Fake deps that record what a crossing writes; `raised` says which levels already alerted. */
function fakes(already: number[] = []) {
  const calls: string[] = [];
  const entries: LedgerEntryInput[] = [];
  const added: BudgetAlert[] = [];
  const events: unknown[] = [];
  const effects: Array<() => void> = [];
  const d = {
    budgetAlerts: {
      raised: (_a: string, level: number) => {
        calls.push(`raised ${level}`);
        return already.includes(level);
      },
      add: (a: BudgetAlert) => added.push(a),
    },
    ledger: {
      append: (e: LedgerEntryInput) => {
        entries.push(e);
        return { seq: entries.length };
      },
    },
    events: { emit: (_name: string, data: unknown) => events.push(data) },
  } as unknown as BudgetAlertDeps;
  const tx = { afterCommit: (f: () => void) => effects.push(f) };
  const commit = () => effects.splice(0).forEach((f) => f());
  return { d, tx, calls, entries, added, events, commit };
}

const policy = (budgetUsd: bigint, levels = [80, 100]) =>
  policyFromInput(
    { ...DEFAULT_POLICY, budget_cents: Number(budgetUsd) * 100, alert_levels_percent: levels },
    4,
  );

describe('alert thresholds', () => {
  it('are where spend reaches each level: ceil(budget × level / 100), none without a budget', () => {
    expect(alertThresholdsOf(100n * USD, [80, 100])).toEqual([
      { level: 80, micros: 80n * USD },
      { level: 100, micros: 100n * USD },
    ]);
    // 33 % of 1 micro-dollar short of a whole: rounded up, so "reached" means at least.
    expect(alertThresholdsOf(10n, [33, 50])).toEqual([
      { level: 33, micros: 4n },
      { level: 50, micros: 5n },
    ]);
    expect(alertThresholdsOf(0n, [80, 100])).toEqual([]);
    expect(policy(100n).alertThresholds.map((t) => t.micros)).toEqual([80n * USD, 100n * USD]);
  });

  it('are derived, never stored; a policy stored before alerts takes the default levels', () => {
    const stored = JSON.parse(serializePolicy(policy(100n, [50]))) as Record<string, unknown>;
    expect(stored.alertLevels).toEqual([50]);
    expect(stored).not.toHaveProperty('alertThresholds');
    delete stored.alertLevels;
    const old = parsePolicy(JSON.stringify(stored), 7);
    expect(old.alertLevels).toEqual([80, 100]);
    expect(old.alertThresholds.map((t) => t.level)).toEqual([80, 100]);
    expect(DEFAULT_POLICY.alert_levels_percent).toEqual([80, 100]);
  });
});

describe('raiseBudgetAlerts', () => {
  const raise = (
    f: ReturnType<typeof fakes>,
    spentAfterUsd: bigint,
    addedUsd: bigint,
    p = policy(100n),
  ) =>
    raiseBudgetAlerts(
      f.d,
      f.tx,
      agent,
      p,
      { spent: spentAfterUsd * USD, window: monthly },
      addedUsd * USD,
      'req_1',
      1_500,
    );

  it('touches nothing under the lowest level, past the top, or when nothing was added', () => {
    for (const [after, added] of [
      [79n, 79n],
      [150n, 10n],
      [100n, 0n],
    ] as const) {
      const f = fakes();
      raise(f, after, added);
      expect(f.calls).toEqual([]);
      expect(f.entries).toEqual([]);
    }
  });

  it('raises the level crossed, ledgered now and announced after the commit', () => {
    const f = fakes();
    raise(f, 85n, 10n);
    expect(f.calls).toEqual(['raised 80']);
    expect(f.entries).toHaveLength(1);
    expect(f.entries[0]).toMatchObject({
      type: 'budget.alert',
      actor: 'system',
      agentId: 'agt_1',
      objectId: 'req_1',
      amount: null,
      counted: 0n,
      status: '80%',
    });
    expect(f.added).toMatchObject([
      { level: 80, windowStart: 1_000, windowEnd: 2_000, ledgerSeq: 1 },
    ]);
    expect(f.events).toEqual([]);
    f.commit();
    expect(f.events).toEqual([
      {
        kind: 'budget_level',
        agentId: 'agt_1',
        objectId: 'req_1',
        message: 'bot has used 80% of its monthly budget: $85.00 of $100.00',
      },
    ]);
  });

  it('one amount across both levels raises both, lowest first; one already raised is skipped', () => {
    const both = fakes();
    raise(both, 100n, 60n);
    expect(both.added.map((a) => a.level)).toEqual([80, 100]);
    const again = fakes([80]);
    raise(again, 100n, 60n);
    expect(again.calls).toEqual(['raised 80', 'raised 100']);
    expect(again.added.map((a) => a.level)).toEqual([100]);
  });

  it('a spend that starts at a level has not crossed it', () => {
    const f = fakes();
    raise(f, 90n, 10n); // from exactly 80 % to 90 %
    expect(f.calls).toEqual([]);
  });
});

describe('the window an alert stands for', () => {
  it('is the calendar or total window itself, and for a rolling one its length from the alert', () => {
    expect(coveredWindow({ start: 10, end: 20, width: null }, 15)).toEqual({ start: 10, end: 20 });
    expect(coveredWindow({ start: 0, end: null, width: null }, 15)).toEqual({
      start: 0,
      end: null,
    });
    expect(coveredWindow({ start: 15 - DAY_MS, end: 15, width: DAY_MS }, 15)).toEqual({
      start: 15,
      end: 15 + DAY_MS,
    });
  });
});
