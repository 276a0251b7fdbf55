/**
 * The Spending view's ranges and buckets (docs/spending.md): pure functions of epoch
 * milliseconds and the owner's time zone, so that the window picks a range and the server
 * cuts it into buckets by the same calendar. Days start at local midnight and weeks on
 * Monday, as budgets' calendar windows do (electron/core/policy/windows.ts), so a DST change
 * makes a day 23 or 25 hours long.
 */
import { DateTime } from 'luxon';

export const SPENDING_GROUPS = ['agent', 'merchant', 'category', 'rail'] as const;
export type SpendingGroup = (typeof SPENDING_GROUPS)[number];

export const SPENDING_BUCKETS = ['hour', 'day'] as const;
export type SpendingBucket = (typeof SPENDING_BUCKETS)[number];

export const RANGE_PRESETS = ['day', 'week', 'month'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The longest range one read covers: 366 days (a leap year), and the hour a DST change adds. */
export const MAX_RANGE_DAYS = 366;
export const MAX_RANGE_MS = MAX_RANGE_DAYS * DAY_MS + HOUR_MS;
/** Hourly buckets for at most 31 days (745 buckets), and the hour a DST change adds. */
export const MAX_HOURLY_DAYS = 31;
export const MAX_HOURLY_RANGE_MS = MAX_HOURLY_DAYS * DAY_MS + HOUR_MS;

export interface TimeRange {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
}

/** The calendar day, week (from Monday) or month holding `at`, in `zone`. */
export function presetRange(preset: RangePreset, at: number, zone: string): TimeRange {
  const start = DateTime.fromMillis(at, { zone }).startOf(preset);
  // The end is found from the next unit's own start, as windows.ts does: where DST begins
  // at midnight, a day that starts at 01:00 must not carry its 01:00 into the next one.
  const end = start.plus({ [`${preset}s`]: 1 }).startOf(preset);
  return { from: start.toMillis(), to: end.toMillis() };
}

/** The range before (`-1`) or after (`1`) a preset's range. */
export function shiftRange(
  preset: RangePreset,
  range: TimeRange,
  by: -1 | 1,
  zone: string,
): TimeRange {
  const at = by < 0 ? range.from - 1 : range.to;
  return presetRange(preset, at, zone);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * From the start of day `first` to the end of day `last` (both `YYYY-MM-DD`, as a date input
 * gives them, both included) in `zone`; null when either is not a date or `last` is before
 * `first`.
 */
export function dayRange(first: string, last: string, zone: string): TimeRange | null {
  if (!DATE.test(first) || !DATE.test(last)) return null;
  const a = DateTime.fromISO(first, { zone });
  const b = DateTime.fromISO(last, { zone });
  if (!a.isValid || !b.isValid || b < a) return null;
  return { from: a.startOf('day').toMillis(), to: b.plus({ days: 1 }).startOf('day').toMillis() };
}

/** A day as a date input writes it (`YYYY-MM-DD`), in `zone`. */
export function dateInput(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd');
}

/**
 * Why a range cannot be read, in words, or null when it can: `to` after `from`, at most
 * MAX_RANGE_DAYS long, and hourly buckets for at most MAX_HOURLY_DAYS.
 */
export function rangeProblem(range: TimeRange, bucket: SpendingBucket): string | null {
  if (!(range.to > range.from)) return '`to` must be later than `from`';
  if (range.to - range.from > MAX_RANGE_MS) return `a range is at most ${MAX_RANGE_DAYS} days long`;
  if (bucket === 'hour' && range.to - range.from > MAX_HOURLY_RANGE_MS)
    return `hourly buckets cover at most ${MAX_HOURLY_DAYS} days; use bucket=day`;
  return null;
}

/** The bucket a range is best drawn with: hours for up to two days, else days. */
export function bucketFor(range: TimeRange): SpendingBucket {
  return range.to - range.from <= 2 * DAY_MS ? 'hour' : 'day';
}

/**
 * The range cut at every local hour or midnight in `zone`: `[start, end)` pairs that cover
 * it exactly, the first and last shorter when the range does not start or end on one.
 */
export function bucketsOf(range: TimeRange, bucket: SpendingBucket, zone: string): TimeRange[] {
  const out: TimeRange[] = [];
  let start = range.from;
  let edge = DateTime.fromMillis(range.from, { zone }).startOf(bucket);
  while (start < range.to) {
    // Hours are cut by the clock (an hour is always an hour); days from each day's start.
    edge = edge.plus({ [`${bucket}s`]: 1 }).startOf(bucket);
    let end = edge.toMillis();
    if (end <= start) continue;
    if (end > range.to) end = range.to;
    out.push({ from: start, to: end });
    start = end;
  }
  return out;
}
