import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chartCaption,
  chartWindows,
  DAY_MS,
  forecast,
  forecastText,
  rangeText,
  formatDuration,
  formatWhen,
  HOUR_MS,
  meterBasisPoints,
  meterLevel,
  MINUTE_MS,
  percentText,
  resetOf,
  resetText,
  spendPerWindow,
  windowLabel,
  type BudgetState,
  type ChartSpec,
} from '../../shared/forecast';
import { centsToMicros } from '../../shared/money';

/** 2026-03-14 10:00 UTC, a Saturday (as test/helpers/server.ts). */
const NOW = Date.UTC(2026, 2, 14, 10, 0, 0);
const usd = (dollars: number) => centsToMicros(dollars * 100);
const iso = (ms: number) => new Date(ms).toISOString();

/** A calendar month: March 2026 in UTC, ten and a half days in. */
function monthly(over: Partial<BudgetState> = {}): BudgetState {
  return {
    budget: usd(100),
    spent: usd(10),
    period: 'monthly',
    windowKind: 'calendar',
    windowStart: Date.UTC(2026, 2, 1),
    windowEnd: Date.UTC(2026, 3, 1),
    since: Date.UTC(2025, 0, 1),
    ...over,
  };
}

describe('forecast: the edge cases', () => {
  it('says "no budget" for a zero budget, with or without spend, and never divides by it', () => {
    expect(forecast(monthly({ budget: 0n, spent: 0n }), NOW)).toEqual({
      kind: 'no_budget',
      spent: 0n,
    });
    expect(forecast(monthly({ budget: 0n, spent: usd(3) }), NOW)).toEqual({
      kind: 'no_budget',
      spent: usd(3),
    });
  });

  it('says "no spend yet" when nothing was spent (and for money released below zero)', () => {
    expect(forecast(monthly({ spent: 0n }), NOW)).toEqual({ kind: 'no_spend' });
    expect(forecast(monthly({ spent: -5n }), NOW)).toEqual({ kind: 'no_spend' });
  });

  it('says the budget is used up at exactly the budget, and by how much it is over', () => {
    expect(forecast(monthly({ spent: usd(100) }), NOW)).toEqual({ kind: 'used_up', over: 0n });
    expect(forecast(monthly({ spent: usd(100) + 1n }), NOW)).toEqual({
      kind: 'used_up',
      over: 1n,
    });
  });
});

describe('forecast: calendar windows', () => {
  it('runs out before the reset at the rate so far', () => {
    // $50 in the first 10 days of the month: $50 left lasts another 10 days.
    const b = monthly({ spent: usd(50) });
    const tenDaysIn = Date.UTC(2026, 2, 11);
    expect(forecast(b, tenDaysIn)).toEqual({ kind: 'runs_out', at: Date.UTC(2026, 2, 21) });
  });

  it('lasts to the reset when the rate is low, projecting what will be spent by then', () => {
    // $10 in 10 days, 21 days left: about $31 of $100.
    const tenDaysIn = Date.UTC(2026, 2, 11);
    expect(forecast(monthly(), tenDaysIn)).toEqual({
      kind: 'lasts',
      projected: usd(31),
      until: Date.UTC(2026, 3, 1),
    });
  });

  it('measures a young agent from its creation, not from the start of the window', () => {
    // Created a day ago, spent $10: $90 lasts 9 more days, before the 1st.
    const b = monthly({ since: NOW - DAY_MS });
    expect(forecast(b, NOW)).toEqual({ kind: 'runs_out', at: NOW + 9 * DAY_MS });
  });

  it('measures over at least an hour: a first purchase minutes in is not a per-minute rate', () => {
    const b = monthly({ since: NOW - 5 * MINUTE_MS, spent: usd(1) });
    // Counted as $1 an hour, not $1 per five minutes: $99 left lasts 99 hours.
    expect(forecast(b, NOW)).toEqual({ kind: 'runs_out', at: NOW + 99 * HOUR_MS });
    // Created this very millisecond: no division by zero.
    expect(forecast(monthly({ since: NOW }), NOW)).toEqual({
      kind: 'runs_out',
      at: NOW + 9 * HOUR_MS,
    });
  });

  it('rounds the end up: the budget is never said to run out early', () => {
    // 1 micro per 3 hours, 2 micros left: 6 hours, exactly.
    const b = monthly({ budget: 3n, spent: 1n, since: NOW - 3 * HOUR_MS });
    expect(forecast(b, NOW)).toEqual({ kind: 'runs_out', at: NOW + 6 * HOUR_MS });
    // 3 micros in the first hour (an agent a moment old), 1 left: 20 minutes.
    const c = monthly({ budget: 4n, spent: 3n, since: NOW - 2 });
    expect(forecast(c, NOW)).toEqual({ kind: 'runs_out', at: NOW + Math.ceil(HOUR_MS / 3) });
  });

  it('at or past the window end, projects what was spent (the view is about to reset)', () => {
    const end = Date.UTC(2026, 3, 1);
    expect(forecast(monthly(), end)).toEqual({ kind: 'lasts', projected: usd(10), until: end });
    expect(forecast(monthly(), end + HOUR_MS)).toEqual({
      kind: 'lasts',
      projected: usd(10),
      until: end,
    });
  });
});

describe('forecast: not before there is a rate', () => {
  it('says nothing until spending has gone on for an hour: one $12 spend seconds old is no rate', () => {
    const b = monthly({ spent: usd(12), firstSpendAt: NOW - 5_000 });
    expect(forecast(b, NOW)).toEqual({ kind: 'too_early', from: NOW - 5_000 + HOUR_MS });
    expect(forecastText(forecast(b, NOW), b, 'UTC', NOW)).toBe(
      'Too early to forecast: spending began less than an hour ago (a forecast from Sat, Mar 14, 10:59).',
    );
    // An hour on, the rate is measured (from the window or the agent's creation, as before).
    expect(forecast({ ...b, firstSpendAt: NOW - HOUR_MS }, NOW).kind).not.toBe('too_early');
    // Used up or over is said at once, whatever the history.
    expect(forecast(monthly({ spent: usd(100), firstSpendAt: NOW }), NOW).kind).toBe('used_up');
  });

  it('gives the end as a range in the coarsest unit that says something, never a minute', () => {
    expect(rangeText(2 * DAY_MS + 3 * HOUR_MS, 'UTC', NOW)).toBe(
      'in about 2–3 days, between Mon, Mar 16 and Tue, Mar 17',
    );
    expect(rangeText(4 * HOUR_MS, 'UTC', NOW)).toBe('in about 3–6 hours');
    expect(rangeText(20 * MINUTE_MS, 'UTC', NOW)).toBe('in about 15–30 minutes');
    expect(rangeText(1_000, 'UTC', NOW)).toBe('in about 1 minute');
    for (const ms of [MINUTE_MS, HOUR_MS, 5 * DAY_MS, 400 * DAY_MS])
      expect(rangeText(ms, 'UTC', NOW)).not.toMatch(/\d{2}:\d{2}/);
  });
});

describe('forecast: rolling windows and total budgets', () => {
  const rolling = (over: Partial<BudgetState> = {}): BudgetState => ({
    budget: usd(70),
    spent: usd(7),
    period: 'weekly',
    windowKind: 'rolling',
    windowStart: NOW - 7 * DAY_MS,
    windowEnd: NOW,
    since: NOW - 30 * DAY_MS,
    ...over,
  });

  it('a steady rolling rate under the budget never runs out: old spend drops out', () => {
    expect(forecast(rolling(), NOW)).toEqual({ kind: 'steady', perWindow: usd(7) });
  });

  it('a young agent spending fast in a rolling window runs out', () => {
    // $35 in its first day: a week at that rate is $245, over $70; $35 left lasts a day.
    const b = rolling({ spent: usd(35), since: NOW - DAY_MS });
    expect(forecast(b, NOW)).toEqual({ kind: 'runs_out', at: NOW + DAY_MS });
  });

  it('uses the window of `now`, not of the view, as the clock moves on', () => {
    // A day later with nothing more spent: $35 in two days, $35 left lasts two more.
    const b = rolling({ spent: usd(35), since: NOW - DAY_MS });
    expect(forecast(b, NOW + DAY_MS)).toEqual({ kind: 'runs_out', at: NOW + 3 * DAY_MS });
  });

  const total = (over: Partial<BudgetState> = {}): BudgetState => ({
    budget: usd(1_000),
    spent: usd(100),
    period: 'total',
    windowKind: 'calendar',
    windowStart: 0,
    windowEnd: null,
    since: NOW - 10 * DAY_MS,
    ...over,
  });

  it('a total budget, which has no end, is measured from the agent creation (not 1970)', () => {
    expect(forecast(total(), NOW)).toEqual({ kind: 'runs_out', at: NOW + 90 * DAY_MS });
    expect(resetOf(total())).toEqual({ kind: 'never' });
  });

  it('a total budget that would last more than ten years says so rather than a date', () => {
    const b = total({ budget: usd(1_000_000_000), spent: usd(1), since: NOW - DAY_MS });
    expect(forecast(b, NOW)).toEqual({ kind: 'beyond', years: 10 });
  });

  it('reset kinds: at the end of a calendar window, rolling by its width, never for total', () => {
    expect(resetOf(monthly())).toEqual({ kind: 'at', at: Date.UTC(2026, 3, 1) });
    expect(resetOf(rolling())).toEqual({ kind: 'rolling', width: 7 * DAY_MS });
    expect(resetOf(total())).toEqual({ kind: 'never' });
  });
});

describe('forecast: properties', () => {
  it('never forecasts the end in the past, past the reset, or a projection over the budget', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 31 * DAY_MS }),
        fc.integer({ min: 0, max: 31 * DAY_MS }),
        (budget, spent, elapsed, left) => {
          const b = monthly({
            budget,
            spent,
            windowStart: NOW - elapsed,
            windowEnd: NOW + left,
          });
          const f = forecast(b, NOW);
          if (spent >= budget) return f.kind === 'used_up';
          if (f.kind === 'runs_out') return f.at > NOW && f.at < NOW + left;
          if (f.kind === 'lasts') return f.projected <= budget && f.projected >= spent;
          return false;
        },
      ),
    );
  });
});

describe('the meter', () => {
  it('is empty, not full, for no budget, and says "none" rather than healthy', () => {
    expect(meterBasisPoints(0n, 0n)).toBe(0);
    expect(meterBasisPoints(usd(5), 0n)).toBe(0);
    expect(meterLevel(0n, 0n)).toBe('none');
    expect(meterLevel(usd(5), 0n)).toBe('over');
    expect(percentText(0n, 0n)).toBe('no budget');
  });

  it('fills in basis points from integers, rounded down, capped at full', () => {
    expect(meterBasisPoints(usd(12), usd(50))).toBe(2_400);
    expect(meterBasisPoints(1n, 3n)).toBe(3_333);
    expect(meterBasisPoints(usd(80), usd(50))).toBe(10_000);
    expect(meterBasisPoints(-1n, usd(50))).toBe(0);
  });

  it('turns amber at 80 %, red when full or over', () => {
    expect(meterLevel(usd(79), usd(100))).toBe('ok');
    expect(meterLevel(usd(80), usd(100))).toBe('high');
    expect(meterLevel(usd(100), usd(100))).toBe('full');
    expect(meterLevel(usd(101), usd(100))).toBe('over');
  });

  it('says a sliver as "<1%" and never "100%" before the budget is used up', () => {
    expect(percentText(0n, usd(100))).toBe('0%');
    expect(percentText(1n, usd(100))).toBe('<1%');
    expect(percentText(usd(24), usd(100))).toBe('24%');
    expect(percentText(usd(100) - 1n, usd(100))).toBe('99%');
    expect(percentText(usd(100), usd(100))).toBe('100%');
    expect(percentText(usd(150), usd(100))).toBe('150%');
  });
});

describe('in words', () => {
  it('durations: the largest two units, down to "less than a minute"', () => {
    expect(formatDuration(0)).toBe('less than a minute');
    expect(formatDuration(59_999)).toBe('less than a minute');
    expect(formatDuration(MINUTE_MS)).toBe('1 minute');
    expect(formatDuration(5 * HOUR_MS + 12 * MINUTE_MS + 59_000)).toBe('5 hours 12 minutes');
    expect(formatDuration(2 * HOUR_MS)).toBe('2 hours');
    expect(formatDuration(DAY_MS + HOUR_MS + MINUTE_MS)).toBe('1 day 1 hour');
    expect(formatDuration(17 * DAY_MS)).toBe('17 days');
  });

  it('dates in the owner time zone, with the year only when it is not this one', () => {
    expect(formatWhen(Date.UTC(2026, 2, 17, 14, 5), 'UTC', NOW)).toBe('Tue, Mar 17, 14:05');
    expect(formatWhen(Date.UTC(2026, 2, 17, 14, 5), 'Asia/Tokyo', NOW)).toBe('Tue, Mar 17, 23:05');
    expect(formatWhen(Date.UTC(2027, 0, 2, 0, 0), 'UTC', NOW)).toBe('Sat, Jan 2, 2027, 00:00');
    expect(formatWhen(Date.UTC(2026, 2, 17, 14, 5), 'Not/AZone', NOW)).toBe('Tue, Mar 17, 14:05');
  });

  it('the reset countdown, for each kind of window', () => {
    const at = { kind: 'at', at: NOW + 3 * DAY_MS + 4 * HOUR_MS } as const;
    expect(resetText(at, 'UTC', NOW)).toBe('Resets in 3 days 4 hours (Tue, Mar 17, 14:00).');
    expect(resetText({ kind: 'at', at: NOW }, 'UTC', NOW)).toBe('Resets now.');
    expect(resetText({ kind: 'rolling', width: 30 * DAY_MS }, 'UTC', NOW)).toBe(
      'Rolling window: each spend counts for 30 days, then drops out.',
    );
    expect(resetText({ kind: 'never' }, 'UTC', NOW)).toBe('Total budget: it never resets.');
  });

  it('the forecast, for each kind', () => {
    const b = { budget: usd(50), period: 'monthly' } as const;
    const text = (f: Parameters<typeof forecastText>[0], period = b) =>
      forecastText(f, period, 'UTC', NOW);
    expect(text({ kind: 'no_budget', spent: 0n })).toBe(
      'No budget: this agent can spend nothing until you give it one.',
    );
    expect(text({ kind: 'no_budget', spent: usd(2) })).toContain('$2.00 was spent');
    expect(text({ kind: 'no_spend' })).toBe('No spend yet this window.');
    expect(text({ kind: 'no_spend' }, { budget: usd(50), period: 'total' } as never)).toBe(
      'No spend yet.',
    );
    expect(text({ kind: 'used_up', over: 0n })).toBe('The budget is used up until it resets.');
    expect(text({ kind: 'used_up', over: 12_345n })).toBe('Over budget by $0.012345.');
    expect(text({ kind: 'runs_out', at: NOW + 2 * DAY_MS + 3 * HOUR_MS })).toBe(
      'At this rate the budget runs out in about 2–3 days, between Mon, Mar 16 and Tue, Mar 17.',
    );
    expect(text({ kind: 'lasts', projected: usd(31), until: NOW })).toBe(
      'At this rate about $31.00 of $50.00 is spent by the reset: the budget lasts.',
    );
    expect(text({ kind: 'steady', perWindow: usd(7) })).toBe(
      'At this rate about $7.00 is spent in any window, within the $50.00 budget.',
    );
    expect(text({ kind: 'beyond', years: 10 })).toBe(
      'At this rate the budget lasts more than 10 years.',
    );
  });
});

describe('chart windows', () => {
  const spec = (over: Partial<ChartSpec>): ChartSpec => ({
    period: 'daily',
    windowKind: 'calendar',
    timeZone: 'UTC',
    ...over,
  });

  it('daily: the last 14 local days, the current one last', () => {
    const w = chartWindows(spec({}), NOW);
    expect(w).toHaveLength(14);
    expect(iso(w[13]?.start ?? 0)).toBe('2026-03-14T00:00:00.000Z');
    expect(iso(w[0]?.start ?? 0)).toBe('2026-03-01T00:00:00.000Z');
    expect(w.map((x) => x.current)).toEqual([...Array(13).fill(false), true]);
    for (let i = 1; i < w.length; i += 1) expect(w[i]?.start).toBe(w[i - 1]?.end);
  });

  it('days are the owner wall-clock days: 23 hours when DST starts (Paris, 29 March)', () => {
    const w = chartWindows(spec({ timeZone: 'Europe/Paris' }), Date.UTC(2026, 2, 30, 12), 3);
    const hours = w.map((x) => (x.end - x.start) / HOUR_MS);
    expect(hours).toEqual([24, 23, 24]);
    expect(iso(w[2]?.start ?? 0)).toBe('2026-03-29T22:00:00.000Z');
  });

  it('weeks start on Monday; months on the 1st', () => {
    const weeks = chartWindows(spec({ period: 'weekly' }), NOW);
    expect(weeks).toHaveLength(8);
    expect(iso(weeks[7]?.start ?? 0)).toBe('2026-03-09T00:00:00.000Z');
    const months = chartWindows(spec({ period: 'monthly', timeZone: 'America/New_York' }), NOW);
    expect(months).toHaveLength(6);
    expect(iso(months[5]?.start ?? 0)).toBe('2026-03-01T05:00:00.000Z');
    expect(iso(months[0]?.start ?? 0)).toBe('2025-10-01T04:00:00.000Z');
  });

  it('rolling: consecutive widths back from now, (start, end]', () => {
    const w = chartWindows(spec({ period: 'weekly', windowKind: 'rolling' }), NOW, 2);
    expect(w).toEqual([
      { start: NOW - 14 * DAY_MS + 1, end: NOW - 7 * DAY_MS + 1, current: false },
      { start: NOW - 7 * DAY_MS + 1, end: NOW + 1, current: true },
    ]);
  });

  it('a total budget charts calendar days', () => {
    const w = chartWindows(spec({ period: 'total', windowKind: 'rolling' }), NOW);
    expect(w).toHaveLength(14);
    expect(w[13]?.end).toBe(Date.UTC(2026, 2, 15));
  });

  it('sums what each window counted, releases included, and ignores what is outside', () => {
    const w = chartWindows(spec({}), NOW, 2);
    const today = Date.UTC(2026, 2, 14);
    const sums = spendPerWindow(w, [
      { ts: today - 1, counted: usd(5) },
      { ts: today, counted: usd(12) },
      { ts: today + HOUR_MS, counted: -usd(2) },
      { ts: today - 2 * DAY_MS, counted: usd(99) },
      { ts: today + DAY_MS, counted: usd(99) },
    ]);
    expect(sums).toEqual([usd(5), usd(10)]);
    expect(spendPerWindow(w, [])).toEqual([0n, 0n]);
  });

  it('labels and captions', () => {
    const [first] = chartWindows(spec({}), NOW, 1);
    if (!first) throw new Error('a window');
    expect(windowLabel(first, spec({}))).toBe('Mar 14');
    const [month] = chartWindows(spec({ period: 'monthly' }), NOW, 1);
    if (!month) throw new Error('a window');
    expect(windowLabel(month, spec({ period: 'monthly' }))).toBe('Mar');
    const [roll] = chartWindows(spec({ windowKind: 'rolling' }), NOW, 1);
    if (!roll) throw new Error('a window');
    expect(windowLabel(roll, spec({ windowKind: 'rolling' }))).toBe('Mar 14');
    expect(chartCaption(spec({}))).toBe('Spent per day, last 14 days');
    expect(chartCaption(spec({ period: 'weekly' }))).toBe(
      'Spent per week, last 8 weeks (from Monday)',
    );
    expect(chartCaption(spec({ period: 'monthly', windowKind: 'rolling' }))).toBe(
      'Spent per 30 days (rolling), last 6 windows, each by its last day',
    );
    expect(chartCaption(spec({ period: 'total' }))).toBe(
      'Spent per day, last 14 days (the budget is a total)',
    );
  });
});
