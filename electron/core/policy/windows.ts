import { DateTime, IANAZone } from 'luxon';
import type { Period, WindowKind } from '../../../shared/domain';
import { DAY_MS, HOUR_MS } from '../clock';

/** Velocity uses a rolling hour; budgets use their periods (docs/decision-order.md, Windows). */
export type MeterPeriod = Period | 'hour';

export interface WindowSpec {
  period: MeterPeriod;
  kind: WindowKind;
  /** IANA time zone; only calendar windows depend on it. */
  timeZone: string;
}

/**
 * A window of time over which spend is summed. Calendar windows are `[start, end)`;
 * rolling windows are `(now - width, now]`, reported with `start = now - width`,
 * `end = now`. A `total` window has no end.
 */
export interface TimeWindow {
  start: number;
  end: number | null;
  /** Set for rolling windows: their length in milliseconds. */
  width: number | null;
}

const ROLLING_WIDTH: Record<MeterPeriod, number | null> = {
  hour: HOUR_MS,
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 30 * DAY_MS,
  total: null,
};

const CALENDAR_UNIT: Record<Exclude<MeterPeriod, 'total' | 'hour'>, 'day' | 'week' | 'month'> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
};

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function specKey(spec: WindowSpec): string {
  if (spec.period === 'total') return 'total';
  if (spec.period === 'hour' || spec.kind === 'rolling') return `${spec.period}/rolling`;
  return `${spec.period}/calendar/${spec.timeZone}`;
}

/** The last calendar window computed per spec: time-zone arithmetic is costly, windows are long. */
const calendarCache = new Map<string, TimeWindow>();

export function currentWindow(spec: WindowSpec, now: number): TimeWindow {
  if (spec.period === 'total') return { start: 0, end: null, width: null };
  const width = ROLLING_WIDTH[spec.period];
  if (spec.period === 'hour' || spec.kind === 'rolling') {
    return { start: now - (width ?? 0), end: now, width };
  }
  const key = specKey(spec);
  const cached = calendarCache.get(key);
  if (cached && cached.start <= now && cached.end !== null && now < cached.end) return cached;
  // Weeks start on Monday (ISO 8601); days and months at local midnight, so a DST change
  // makes a day 23 or 25 hours long, as the owner's wall clock says.
  const unit = CALENDAR_UNIT[spec.period];
  const start = DateTime.fromMillis(now, { zone: spec.timeZone }).startOf(unit);
  // The end is the start of the next unit, found again from the next unit's date: where
  // DST begins at midnight (Santiago, Cairo) local 00:00 does not exist, the day starts
  // at 01:00, and simply adding a day would carry that 01:00 into the next one.
  const window = {
    start: start.toMillis(),
    end: start
      .plus({ [`${unit}s`]: 1 })
      .startOf(unit)
      .toMillis(),
    width: null,
  };
  if (calendarCache.size > 1000) calendarCache.clear();
  calendarCache.set(key, window);
  return window;
}
