import {
  forecast,
  forecastText,
  meterBasisPoints,
  meterLevel,
  percentText,
  resetOf,
  resetText,
  type BudgetState,
  type CountedEntry,
} from '../../../shared/forecast';
import { centsToMicros, formatUsd, microsFromString } from '../../../shared/money';
import type { Period, WindowKind } from '../../../shared/domain';
import type { AgentView } from '../../../shared/schemas/owner-api';
import { visible } from '../../../shared/text/visible';

/** "this month", "in the last 7 days": a budget window in words. */
export const WINDOW_WORDS: Record<WindowKind, Record<Period, string>> = {
  calendar: { daily: 'today', weekly: 'this week', monthly: 'this month', total: 'in total' },
  rolling: {
    daily: 'in the last 24 hours',
    weekly: 'in the last 7 days',
    monthly: 'in the last 30 days',
    total: 'in total',
  },
};

/**
 * The first spend the agent's current window counts, from its counted ledger entries (the
 * chart's): null when none is there yet, undefined while they are still being read.
 */
function firstSpendIn(
  usage: CountedEntry[] | undefined,
  windowStart: number,
): number | null | undefined {
  if (usage === undefined) return undefined;
  let first: number | null = null;
  for (const entry of usage)
    if (entry.counted > 0n && entry.ts >= windowStart && (first === null || entry.ts < first))
      first = entry.ts;
  return first;
}

/** The agent's budget as integers, for shared/forecast.ts. */
export function budgetStateOf(agent: AgentView, usage?: CountedEntry[]): BudgetState {
  const b = agent.budget;
  const windowStart = Date.parse(b.window_start);
  return {
    budget: centsToMicros(b.budget_cents),
    spent: microsFromString(b.spent_micros),
    period: b.period,
    windowKind: b.window_kind,
    windowStart,
    windowEnd: b.window_end === null ? null : Date.parse(b.window_end),
    since: Date.parse(agent.created_at),
    firstSpendAt: firstSpendIn(usage, windowStart),
  };
}

/**
 * Spent of budget this window as a bar and in words, when the window resets, and where the
 * spending is heading. No budget is an empty, grey bar that says so, never a full green one.
 */
export function AgentBudgetMeter({
  agent,
  now,
  timeZone,
  halted,
  usage,
}: {
  agent: AgentView;
  now: number;
  timeZone: string;
  /** Why nothing more is spent for now (paused, frozen): said instead of a forecast. */
  halted?: string | null;
  /** The agent's counted entries (the chart's), for when its spending began. */
  usage?: CountedEntry[] | undefined;
}) {
  const state = budgetStateOf(agent, usage);
  const { budget, spent } = state;
  const bp = meterBasisPoints(spent, budget);
  const level = meterLevel(spent, budget);
  const words = WINDOW_WORDS[state.windowKind][state.period];
  const noBudget = budget <= 0n;
  const valueText = noBudget
    ? `No budget: ${formatUsd(spent)} spent ${words}`
    : `${formatUsd(spent)} of ${formatUsd(budget)} spent ${words} (${percentText(spent, budget)})`;
  return (
    <div className="agent-meter" data-level={level}>
      <p className="agent-meter-figures">
        <strong className="money">{formatUsd(spent)}</strong>
        {noBudget ? (
          <> spent {words} · no budget set</>
        ) : (
          <>
            {' '}
            of <span className="money">{formatUsd(budget)}</span> {words}
            <span className="agent-meter-percent">{percentText(spent, budget)}</span>
          </>
        )}
      </p>
      <div
        className={`agent-meter-bar level-${level}`}
        role="meter"
        aria-label={`Budget used by ${visible(agent.name)}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={bp / 100}
        aria-valuetext={valueText}
      >
        <div className="agent-meter-fill" style={{ width: `${bp / 100}%` }} />
      </div>
      <p className="agent-meter-reset">{resetText(resetOf(state), timeZone, now)}</p>
      <p className="agent-meter-forecast">
        {halted ?? forecastText(forecast(state, now), state, timeZone, now)}
      </p>
    </div>
  );
}
