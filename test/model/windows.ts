/**
 * The model's own windows (docs/decision-order.md, "Windows"), written apart from
 * electron/core/policy/windows.ts: the local date comes from Intl, the instant of a local
 * midnight from luxon's fromObject (which moves a midnight that DST skips forward to when
 * the local clock starts the day). Calendar windows are [start, end); rolling ones
 * (now - width, now]; `total` is everything.
 */
import { DateTime } from 'luxon';

export type Period = 'daily' | 'weekly' | 'monthly' | 'total';
export type WindowKind = 'calendar' | 'rolling';

export interface Spec {
  period: Period | 'hour';
  kind: WindowKind;
}

export interface Span {
  /** Inclusive for calendar windows, exclusive for rolling ones. */
  start: number;
  end: number | null;
  rolling: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WIDTH = { hour: HOUR, daily: DAY, weekly: 7 * DAY, monthly: 30 * DAY } as const;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const formats = new Map<string, Intl.DateTimeFormat>();
function localDate(ms: number, zone: string): { y: number; m: number; d: number; wd: number } {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
    });
    formats.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    y: Number(parts.year),
    m: Number(parts.month),
    d: Number(parts.day),
    wd: WEEKDAYS.indexOf(String(parts.weekday)) + 1,
  };
}

/** The instant a local calendar date begins (its midnight, or when the clock starts it). */
function dayStart(y: number, m: number, d: number, zone: string): number {
  // Normalise the date through UTC arithmetic first (day 0, day 32, month 13...).
  const date = new Date(Date.UTC(y, m - 1, d));
  return DateTime.fromObject(
    { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() },
    { zone },
  ).toMillis();
}

const cache = new Map<string, Span>();

export function spanOf(spec: Spec, zone: string, now: number): Span {
  if (spec.period === 'total') return { start: -Infinity, end: null, rolling: false };
  if (spec.period === 'hour' || spec.kind === 'rolling') {
    return { start: now - WIDTH[spec.period], end: now, rolling: true };
  }
  const key = `${spec.period}|${zone}`;
  const hit = cache.get(key);
  if (hit && hit.start <= now && now < (hit.end as number)) return hit;
  const { y, m, d, wd } = localDate(now, zone);
  let span: Span;
  if (spec.period === 'daily') {
    span = { start: dayStart(y, m, d, zone), end: dayStart(y, m, d + 1, zone), rolling: false };
  } else if (spec.period === 'weekly') {
    const monday = d - (wd - 1);
    span = {
      start: dayStart(y, m, monday, zone),
      end: dayStart(y, m, monday + 7, zone),
      rolling: false,
    };
  } else {
    span = { start: dayStart(y, m, 1, zone), end: dayStart(y, m + 1, 1, zone), rolling: false };
  }
  cache.set(key, span);
  return span;
}

export function inSpan(span: Span, ts: number): boolean {
  if (span.rolling) return ts > span.start;
  return ts >= span.start && (span.end === null || ts < span.end);
}
