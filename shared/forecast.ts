/**
 * Where an agent's budget is heading: the burn-rate forecast ("at this rate the budget runs
 * out on …"), the reset countdown, how full the meter is, and the windows a spend chart
 * shows. Pure functions of integers (micros and epoch milliseconds) and the owner's time
 * zone, so the window and the tests compute the same answer; money is formatted from
 * micros by shared/money.ts and never passes through a float.
 *
 * Calendar windows are cut exactly as electron/core/policy/windows.ts cuts them (luxon,
 * weeks from Monday, local midnight), so the chart's bars are the windows the budget uses.
 */
import { DateTime } from 'luxon';
import type { Period, WindowKind } from './domain';
import { formatUsd, type Micros } from './money';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * The shortest stretch a burn rate is measured over. A first purchase a few minutes after an
 * agent is created is not a rate of dollars per minute: measured over its minutes alone, it
 * would forecast the budget gone within the hour (and zero time would divide by zero).
 */
export const MIN_ELAPSED_MS = HOUR_MS;

/** Past this, a total budget's end is not worth a date: "lasts more than 10 years". */
export const HORIZON_YEARS = 10;
const HORIZON_MS = BigInt(HORIZON_YEARS) * 365n * BigInt(DAY_MS);

/** An agent's budget as the owner API reports it, in integers. */
export interface BudgetState {
  budget: Micros;
  spent: Micros;
  period: Period;
  windowKind: WindowKind;
  /** Epoch ms. For a rolling window: the view's "now" minus the width. */
  windowStart: number;
  /** Epoch ms; null for a total budget, which never resets. For a rolling window: the view's "now". */
  windowEnd: number | null;
  /** When the agent was created: a total budget's burn is measured from here, not from 1970. */
  since: number;
  /**
   * The first spend this window counts (epoch ms), when known: until spends span
   * MIN_HISTORY_MS there is no rate to speak of, and the forecast says so.
   */
  firstSpendAt?: number | null;
}

/**
 * How long spending must have gone on before a rate is forecast: one $12 spend seconds old
 * says nothing about next Tuesday.
 */
export const MIN_HISTORY_MS = HOUR_MS;

export type Forecast =
  /** Budget 0: nothing may be spent. `spent` is what was spent anyway (the budget was lowered). */
  | { kind: 'no_budget'; spent: Micros }
  | { kind: 'no_spend' }
  /** Spending began less than MIN_HISTORY_MS ago: a forecast from `from` on. */
  | { kind: 'too_early'; from: number }
  /** Spent at least the budget; `over` is by how much (0 when exactly used up). */
  | { kind: 'used_up'; over: Micros }
  /** At this rate the budget runs out at `at` (before the window resets, if it does). */
  | { kind: 'runs_out'; at: number }
  /** A calendar window: at this rate `projected` is spent by the reset at `until`, within the budget. */
  | { kind: 'lasts'; projected: Micros; until: number }
  /** A rolling window: at this rate about `perWindow` is spent in any window, within the budget. */
  | { kind: 'steady'; perWindow: Micros }
  /** A total budget that lasts past the horizon at this rate. */
  | { kind: 'beyond'; years: number };

export type Reset =
  { kind: 'at'; at: number } | { kind: 'rolling'; width: number } | { kind: 'never' };

const big = (ms: number) => BigInt(Math.trunc(ms));
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** How the window resets: at its end (calendar), continuously (rolling), or never (total). */
export function resetOf(b: BudgetState): Reset {
  if (b.windowEnd === null || b.period === 'total') return { kind: 'never' };
  if (b.windowKind === 'rolling') return { kind: 'rolling', width: b.windowEnd - b.windowStart };
  return { kind: 'at', at: b.windowEnd };
}

/**
 * The burn-rate forecast at `now`: what was spent over the time it was spent in, carried
 * forward. The rate is measured from the window's start, or from the agent's creation when
 * that is later (a total budget, a young agent), and over at least an hour.
 */
export function forecast(b: BudgetState, now: number): Forecast {
  if (b.budget <= 0n) return { kind: 'no_budget', spent: b.spent > 0n ? b.spent : 0n };
  if (b.spent <= 0n) return { kind: 'no_spend' };
  if (b.spent >= b.budget) return { kind: 'used_up', over: b.spent - b.budget };
  if (b.firstSpendAt != null && now - b.firstSpendAt < MIN_HISTORY_MS)
    return { kind: 'too_early', from: b.firstSpendAt + MIN_HISTORY_MS };

  const reset = resetOf(b);
  const windowStart = reset.kind === 'rolling' ? now - reset.width : b.windowStart;
  const from = Math.max(windowStart, b.since);
  const elapsed = big(Math.max(now - from, MIN_ELAPSED_MS));
  const remaining = b.budget - b.spent;
  // remaining / (spent / elapsed), rounded up: the budget is never said to end early.
  const untilEmpty = ceilDiv(remaining * elapsed, b.spent);
  const at = big(now) + untilEmpty;

  if (reset.kind === 'at') {
    if (at < big(reset.at)) return { kind: 'runs_out', at: Number(at) };
    const left = big(Math.max(reset.at - now, 0));
    return { kind: 'lasts', projected: b.spent + (b.spent * left) / elapsed, until: reset.at };
  }
  if (reset.kind === 'rolling') {
    // Spend older than the width drops out: at a steady rate the window holds rate × width.
    const perWindow = (b.spent * big(reset.width)) / elapsed;
    if (perWindow <= b.budget) return { kind: 'steady', perWindow };
    return { kind: 'runs_out', at: Number(at) };
  }
  if (untilEmpty > HORIZON_MS) return { kind: 'beyond', years: HORIZON_YEARS };
  return { kind: 'runs_out', at: Number(at) };
}

/**
 * How full the meter is, in basis points (0–10,000), from integers. No budget is an empty
 * bar, never a full one: "nothing spent of nothing" must not look like "all used up", and
 * must not look healthy either (the level says `none`).
 */
export function meterBasisPoints(spent: Micros, budget: Micros): number {
  if (budget <= 0n || spent <= 0n) return 0;
  const bp = (spent * 10_000n) / budget;
  return Number(bp > 10_000n ? 10_000n : bp);
}

export type MeterLevel = 'none' | 'ok' | 'high' | 'full' | 'over';

/** The meter's colour: none (no budget), ok, high (80 % or more), full (exactly), over. */
export function meterLevel(spent: Micros, budget: Micros): MeterLevel {
  if (budget <= 0n) return spent > 0n ? 'over' : 'none';
  if (spent > budget) return 'over';
  if (spent === budget) return 'full';
  return spent * 10n >= budget * 8n ? 'high' : 'ok';
}

/** A percentage for people: whole numbers, "<1%" for a sliver, never "100%" before it is. */
export function percentText(spent: Micros, budget: Micros): string {
  if (budget <= 0n) return 'no budget';
  if (spent <= 0n) return '0%';
  const pct = (spent * 100n) / budget;
  if (pct === 0n) return '<1%';
  if (pct >= 100n && spent < budget) return '99%';
  return `${pct}%`;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "3 days 4 hours", "5 hours 12 minutes", "12 minutes", "less than a minute". */
export function formatDuration(ms: number): string {
  if (ms < MINUTE_MS) return 'less than a minute';
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  if (days > 0)
    return hours > 0 ? `${plural(days, 'day')} ${plural(hours, 'hour')}` : plural(days, 'day');
  if (hours > 0)
    return minutes > 0
      ? `${plural(hours, 'hour')} ${plural(minutes, 'minute')}`
      : plural(hours, 'hour');
  return plural(minutes, 'minute');
}

/** "Tue, Mar 17, 14:05" in the owner's time zone, with the year when it is not this year's. */
export function formatWhen(ms: number, timeZone: string, now: number): string {
  const year = (t: number) =>
    new Intl.DateTimeFormat('en-US', { timeZone: safeZone(timeZone), year: 'numeric' }).format(t);
  return new Intl.DateTimeFormat('en-US', {
    timeZone: safeZone(timeZone),
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(year(ms) === year(now) ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

/** A zone Intl knows, or UTC: a bad setting must not blank the page. */
function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

const WIDTH_WORDS: Record<number, string> = {
  [DAY_MS]: '24 hours',
  [7 * DAY_MS]: '7 days',
  [30 * DAY_MS]: '30 days',
};
const widthText = (width: number) => WIDTH_WORDS[width] ?? formatDuration(width);

/** "Resets in 3 days 4 hours (Wed, Apr 1, 00:00)", or how a rolling or total budget resets. */
export function resetText(reset: Reset, timeZone: string, now: number): string {
  if (reset.kind === 'never') return 'Total budget: it never resets.';
  if (reset.kind === 'rolling')
    return `Rolling window: each spend counts for ${widthText(reset.width)}, then drops out.`;
  if (reset.at <= now) return 'Resets now.';
  return `Resets in ${formatDuration(reset.at - now)} (${formatWhen(reset.at, timeZone, now)}).`;
}

/**
 * When a rate says the budget runs out, as a range rather than a minute: a rate measured over
 * what was spent so far is an estimate, so the end is given from a quarter sooner to half
 * again later, in the coarsest unit that still says something ("in about 2–3 days, between
 * Mon, Mar 16 and Tue, Mar 17"; "in about 3–6 hours").
 */
export function rangeText(untilEmpty: number, timeZone: string, now: number): string {
  const soonest = Math.floor((untilEmpty * 3) / 4);
  const latest = Math.ceil((untilEmpty * 3) / 2);
  const [unit, name] =
    latest >= 2 * DAY_MS
      ? [DAY_MS, 'day']
      : latest >= 2 * HOUR_MS
        ? [HOUR_MS, 'hour']
        : [MINUTE_MS, 'minute'];
  const lo = Math.max(Math.round(soonest / unit), 1);
  const hi = Math.max(Math.round(latest / unit), lo);
  const span = lo === hi ? plural(hi, name) : `${lo}–${hi} ${name}s`;
  if (unit !== DAY_MS) return `in about ${span}`;
  const day = (ms: number) =>
    new Intl.DateTimeFormat('en-US', {
      timeZone: safeZone(timeZone),
      weekday: 'short',
      month: 'short',
      day: 'numeric',
    }).format(ms);
  return `in about ${span}, between ${day(now + soonest)} and ${day(now + latest)}`;
}

/** The forecast in words. */
export function forecastText(
  f: Forecast,
  b: Pick<BudgetState, 'budget' | 'period'>,
  timeZone: string,
  now: number,
): string {
  switch (f.kind) {
    case 'no_budget':
      return f.spent > 0n
        ? `No budget: nothing more can be spent (${formatUsd(f.spent)} was spent before it was set to zero).`
        : 'No budget: this agent can spend nothing until you give it one.';
    case 'no_spend':
      return b.period === 'total' ? 'No spend yet.' : 'No spend yet this window.';
    case 'used_up':
      return f.over > 0n
        ? `Over budget by ${formatUsd(f.over)}.`
        : b.period === 'total'
          ? 'The budget is used up.'
          : 'The budget is used up until it resets.';
    case 'too_early':
      return `Too early to forecast: spending began less than an hour ago (a forecast from ${formatWhen(f.from, timeZone, now)}).`;
    case 'runs_out':
      return `At this rate the budget runs out ${rangeText(f.at - now, timeZone, now)}.`;
    case 'lasts':
      return `At this rate about ${formatUsd(f.projected)} of ${formatUsd(b.budget)} is spent by the reset: the budget lasts.`;
    case 'steady':
      return `At this rate about ${formatUsd(f.perWindow)} is spent in any window, within the ${formatUsd(b.budget)} budget.`;
    case 'beyond':
      return `At this rate the budget lasts more than ${f.years} years.`;
  }
}

/* ----------------------------------------------------------------------------------------
 * The spend chart's windows
 * ------------------------------------------------------------------------------------- */

export interface ChartWindow {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  /** The window the budget is counting now. */
  current: boolean;
}

export interface ChartSpec {
  period: Period;
  windowKind: WindowKind;
  timeZone: string;
}

export type ChartUnit = 'day' | 'week' | 'month';

/** How many past windows a chart shows for each period. */
export const CHART_WINDOWS: Record<Period, number> = {
  daily: 14,
  weekly: 8,
  monthly: 6,
  total: 14,
};

const UNIT: Record<Period, ChartUnit> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  total: 'day',
};
const ROLLING_WIDTH: Record<Exclude<Period, 'total'>, number> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 30 * DAY_MS,
};

/**
 * The last `count` windows up to `now`, oldest first, the current one last. Calendar windows
 * start at local midnight in the owner's zone (weeks on Monday, months on the 1st); rolling
 * ones are consecutive widths back from now; a total budget has one endless window, so its
 * chart shows calendar days.
 */
export function chartWindows(spec: ChartSpec, now: number, count = CHART_WINDOWS[spec.period]) {
  const windows: ChartWindow[] = [];
  if (spec.period !== 'total' && spec.windowKind === 'rolling') {
    const width = ROLLING_WIDTH[spec.period];
    for (let k = count - 1; k >= 0; k -= 1) {
      // (now - (k+1)·width, now - k·width], as half-open [start, end) in whole milliseconds.
      windows.push({
        start: now - (k + 1) * width + 1,
        end: now - k * width + 1,
        current: k === 0,
      });
    }
    return windows;
  }
  const unit = UNIT[spec.period];
  const zone = safeZone(spec.timeZone);
  const current = DateTime.fromMillis(now, { zone }).startOf(unit);
  for (let k = count - 1; k >= 0; k -= 1) {
    // Each start found from its own date, as the core does: see windows.ts on DST at midnight.
    const start = current.minus({ [`${unit}s`]: k }).startOf(unit);
    const end = start
      .plus({ [`${unit}s`]: 1 })
      .startOf(unit)
      .toMillis();
    windows.push({ start: start.toMillis(), end, current: k === 0 });
  }
  return windows;
}

/** A ledger entry as the chart needs it: when, and what it counted against limits. */
export interface CountedEntry {
  ts: number;
  counted: Micros;
}

/** What each window counted, in micros: approvals add, releases and smaller receipts subtract. */
export function spendPerWindow(windows: ChartWindow[], entries: CountedEntry[]): Micros[] {
  const sums = windows.map(() => 0n);
  for (const entry of entries) {
    const i = windows.findIndex((w) => entry.ts >= w.start && entry.ts < w.end);
    if (i >= 0) sums[i] = (sums[i] ?? 0n) + entry.counted;
  }
  return sums;
}

/** A short label under a bar: "Mar 14" (days, weeks by their Monday), "Mar" (months). */
export function windowLabel(window: ChartWindow, spec: ChartSpec): string {
  const zone = safeZone(spec.timeZone);
  if (spec.period !== 'total' && spec.windowKind === 'rolling') {
    // Labelled by their last day (the caption says so): "to …" would not fit under a bar.
    const end = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      month: 'short',
      day: 'numeric',
    });
    return end.format(window.end - 1);
  }
  if (UNIT[spec.period] === 'month')
    return new Intl.DateTimeFormat('en-US', { timeZone: zone, month: 'short' }).format(
      window.start,
    );
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    month: 'short',
    day: 'numeric',
  }).format(window.start);
}

/** What the chart shows, in words: "Spent per day, last 14 days". */
export function chartCaption(spec: ChartSpec, count = CHART_WINDOWS[spec.period]): string {
  if (spec.period === 'total') return `Spent per day, last ${count} days (the budget is a total)`;
  if (spec.windowKind === 'rolling') {
    const width = widthText(ROLLING_WIDTH[spec.period]);
    return `Spent per ${width} (rolling), last ${count} windows, each by its last day`;
  }
  const unit = UNIT[spec.period];
  return `Spent per ${unit}, last ${count} ${unit}s${unit === 'week' ? ' (from Monday)' : ''}`;
}
