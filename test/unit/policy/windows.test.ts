import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../electron/core/clock';
import {
  currentWindow,
  isValidTimeZone,
  specKey,
  type MeterPeriod,
  type TimeWindow,
  type WindowSpec,
} from '../../../electron/core/policy/windows';

const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad date ${iso}`);
  return ms;
};
const cal = (period: MeterPeriod, timeZone: string): WindowSpec => ({
  period,
  kind: 'calendar',
  timeZone,
});
const iso = (w: TimeWindow) => ({
  start: new Date(w.start).toISOString(),
  end: w.end === null ? null : new Date(w.end).toISOString(),
});
const hours = (w: TimeWindow) => ((w.end ?? NaN) - w.start) / HOUR_MS;

describe('calendar days', () => {
  it('start at local midnight in Paris (winter, UTC+1)', () => {
    const w = currentWindow(cal('daily', 'Europe/Paris'), at('2026-01-15T12:00:00Z'));
    expect(iso(w)).toEqual({ start: '2026-01-14T23:00:00.000Z', end: '2026-01-15T23:00:00.000Z' });
    expect(w.width).toBeNull();
  });

  it('switch exactly at local midnight, not at UTC midnight', () => {
    const spec = cal('daily', 'Europe/Paris');
    const before = currentWindow(spec, at('2026-01-15T22:59:59.999Z'));
    const after = currentWindow(spec, at('2026-01-15T23:00:00.000Z'));
    expect(iso(before).start).toBe('2026-01-14T23:00:00.000Z');
    expect(iso(after)).toEqual({
      start: '2026-01-15T23:00:00.000Z',
      end: '2026-01-16T23:00:00.000Z',
    });
    // and back to the earlier day: the cache must not hand out the later window
    expect(iso(currentWindow(spec, at('2026-01-15T22:00:00Z'))).start).toBe(
      '2026-01-14T23:00:00.000Z',
    );
  });

  it('are 23 hours long on the spring DST day in Paris', () => {
    const w = currentWindow(cal('daily', 'Europe/Paris'), at('2026-03-29T10:00:00Z'));
    expect(iso(w)).toEqual({ start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z' });
    expect(hours(w)).toBe(23);
  });

  it('are 25 hours long on the autumn DST day in Paris', () => {
    const w = currentWindow(cal('daily', 'Europe/Paris'), at('2026-10-25T11:00:00Z'));
    expect(iso(w)).toEqual({ start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z' });
    expect(hours(w)).toBe(25);
  });

  it('follow New York DST (23 and 25 hours)', () => {
    const spring = currentWindow(cal('daily', 'America/New_York'), at('2026-03-08T15:00:00Z'));
    expect(iso(spring)).toEqual({
      start: '2026-03-08T05:00:00.000Z',
      end: '2026-03-09T04:00:00.000Z',
    });
    const fall = currentWindow(cal('daily', 'America/New_York'), at('2026-11-01T15:00:00Z'));
    expect(iso(fall)).toEqual({
      start: '2026-11-01T04:00:00.000Z',
      end: '2026-11-02T05:00:00.000Z',
    });
    expect(hours(fall)).toBe(25);
  });

  it('handle the 30-minute DST shift of Lord Howe Island', () => {
    const spring = currentWindow(cal('daily', 'Australia/Lord_Howe'), at('2026-10-04T05:00:00Z'));
    expect(iso(spring)).toEqual({
      start: '2026-10-03T13:30:00.000Z',
      end: '2026-10-04T13:00:00.000Z',
    });
    expect(hours(spring)).toBe(23.5);
    const autumn = currentWindow(cal('daily', 'Australia/Lord_Howe'), at('2026-04-05T05:00:00Z'));
    expect(iso(autumn)).toEqual({
      start: '2026-04-04T13:00:00.000Z',
      end: '2026-04-05T13:30:00.000Z',
    });
    expect(hours(autumn)).toBe(24.5);
  });

  it('in Tokyo (UTC+9) the local day starts on the previous UTC day', () => {
    const w = currentWindow(cal('daily', 'Asia/Tokyo'), at('2026-06-30T15:00:00Z'));
    expect(iso(w)).toEqual({ start: '2026-06-30T15:00:00.000Z', end: '2026-07-01T15:00:00.000Z' });
  });

  it('consecutive days tile with no gap or overlap across a DST month', () => {
    for (const zone of ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Tokyo']) {
      const spec = cal('daily', zone);
      let w = currentWindow(spec, at('2026-03-01T00:00:00Z'));
      for (let i = 0; i < 60; i++) {
        expect(w.end).not.toBeNull();
        const next = currentWindow(spec, w.end as number);
        expect(next.start).toBe(w.end);
        expect(hours(next)).toBeGreaterThanOrEqual(23);
        expect(hours(next)).toBeLessThanOrEqual(25);
        w = next;
      }
    }
  });

  // Where DST starts at midnight (Santiago, Havana, Beirut, Cairo), local midnight does not
  // exist on the switch day: the day starts at 01:00 and must still end at the next
  // midnight (a 23-hour day), or a spend just after midnight lands in the previous day.
  it('end at the next local midnight when DST starts at midnight (Santiago)', () => {
    const spec = cal('daily', 'America/Santiago');
    const switchDay = currentWindow(spec, at('2026-09-06T15:00:00Z')); // 12:00 local, UTC-3
    expect(iso(switchDay)).toEqual({
      start: '2026-09-06T04:00:00.000Z',
      end: '2026-09-07T03:00:00.000Z',
    });
    const nextDay = currentWindow(spec, at('2026-09-07T03:30:00Z')); // 00:30 local on 09-07
    expect(iso(nextDay).start).toBe('2026-09-07T03:00:00.000Z');
  });
});

describe('calendar weeks (Monday start)', () => {
  it('start on Monday 00:00 local', () => {
    // Wednesday 2026-03-11, New York on EDT (UTC-4)
    const w = currentWindow(cal('weekly', 'America/New_York'), at('2026-03-11T16:00:00Z'));
    expect(iso(w)).toEqual({ start: '2026-03-09T04:00:00.000Z', end: '2026-03-16T04:00:00.000Z' });
  });

  it('put Sunday in the week that began the Monday before, and lose an hour to DST', () => {
    // Sunday 2026-03-08, the DST day itself
    const w = currentWindow(cal('weekly', 'America/New_York'), at('2026-03-08T16:00:00Z'));
    expect(iso(w)).toEqual({ start: '2026-03-02T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z' });
    expect(hours(w)).toBe(167);
  });

  it('begin a new week exactly at Monday midnight', () => {
    const spec = cal('weekly', 'Europe/Paris');
    const monday = at('2026-06-14T22:00:00Z'); // Monday 2026-06-15 00:00 CEST
    expect(currentWindow(spec, monday - 1).end).toBe(monday);
    expect(currentWindow(spec, monday).start).toBe(monday);
    expect(hours(currentWindow(spec, monday))).toBe(168);
  });

  it('a week in Tokyo starts on Monday even when UTC still says Sunday', () => {
    // 2026-06-14T16:00Z is Monday 01:00 in Tokyo, Sunday in UTC
    const w = currentWindow(cal('weekly', 'Asia/Tokyo'), at('2026-06-14T16:00:00Z'));
    expect(iso(w).start).toBe('2026-06-14T15:00:00.000Z');
  });
});

describe('calendar months', () => {
  it('use the local month, not the UTC one (New York, last evening of January)', () => {
    const w = currentWindow(cal('monthly', 'America/New_York'), at('2026-02-01T04:30:00Z'));
    expect(iso(w)).toEqual({ start: '2026-01-01T05:00:00.000Z', end: '2026-02-01T05:00:00.000Z' });
  });

  it('February of the leap year 2028 has 29 days (Tokyo and UTC)', () => {
    const tokyo = currentWindow(cal('monthly', 'Asia/Tokyo'), at('2028-02-29T03:00:00Z'));
    expect(iso(tokyo)).toEqual({
      start: '2028-01-31T15:00:00.000Z',
      end: '2028-02-29T15:00:00.000Z',
    });
    const utc = currentWindow(cal('monthly', 'UTC'), at('2028-02-29T23:59:59.999Z'));
    expect(iso(utc)).toEqual({
      start: '2028-02-01T00:00:00.000Z',
      end: '2028-03-01T00:00:00.000Z',
    });
    expect((utc.end ?? 0) - utc.start).toBe(29 * DAY_MS);
  });

  it('February of 2027 has 28 days', () => {
    const w = currentWindow(cal('monthly', 'UTC'), at('2027-02-14T00:00:00Z'));
    expect((w.end ?? 0) - w.start).toBe(28 * DAY_MS);
  });

  it('the month containing a DST change is an hour short (Paris, March 2026)', () => {
    const w = currentWindow(cal('monthly', 'Europe/Paris'), at('2026-03-15T12:00:00Z'));
    expect(iso(w)).toEqual({ start: '2026-02-28T23:00:00.000Z', end: '2026-03-31T22:00:00.000Z' });
    expect(hours(w)).toBe(31 * 24 - 1);
  });

  it('roll over into the next month and year at local midnight', () => {
    const spec = cal('monthly', 'Europe/Paris');
    const newYear = at('2026-12-31T23:00:00Z'); // 2027-01-01 00:00 CET
    expect(currentWindow(spec, newYear - 1).end).toBe(newYear);
    expect(iso(currentWindow(spec, newYear))).toEqual({
      start: '2026-12-31T23:00:00.000Z',
      end: '2027-01-31T23:00:00.000Z',
    });
  });

  it('always contain now, start at or before it and end after it', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'UTC'];
    const periods: MeterPeriod[] = ['daily', 'weekly', 'monthly'];
    for (
      let t = at('2027-12-20T00:00:00Z');
      t < at('2028-04-10T00:00:00Z');
      t += 7 * HOUR_MS + 13 * MINUTE_MS
    ) {
      for (const zone of zones) {
        for (const period of periods) {
          const w = currentWindow(cal(period, zone), t);
          expect(w.start).toBeLessThanOrEqual(t);
          expect(w.end).toBeGreaterThan(t);
        }
      }
    }
  });
});

describe('rolling windows', () => {
  const now = at('2026-03-29T01:30:00Z');
  it.each([
    ['daily', DAY_MS],
    ['weekly', 7 * DAY_MS],
    ['monthly', 30 * DAY_MS],
  ] as const)('%s is the last width of time ending now', (period, width) => {
    const w = currentWindow({ period, kind: 'rolling', timeZone: 'Europe/Paris' }, now);
    expect(w).toEqual({ start: now - width, end: now, width });
  });

  it('ignore the time zone and DST', () => {
    const a = currentWindow({ period: 'daily', kind: 'rolling', timeZone: 'Europe/Paris' }, now);
    const b = currentWindow({ period: 'daily', kind: 'rolling', timeZone: 'Asia/Tokyo' }, now);
    expect(a).toEqual(b);
  });

  it('move with now', () => {
    const spec: WindowSpec = { period: 'daily', kind: 'rolling', timeZone: 'UTC' };
    expect(currentWindow(spec, now + 1).start).toBe(now + 1 - DAY_MS);
  });

  it("'hour' is always a rolling hour, even when asked for a calendar one", () => {
    for (const kind of ['rolling', 'calendar'] as const) {
      expect(currentWindow({ period: 'hour', kind, timeZone: 'Asia/Tokyo' }, now)).toEqual({
        start: now - HOUR_MS,
        end: now,
        width: HOUR_MS,
      });
    }
  });
});

describe('total window', () => {
  it('starts at 0 and never ends, whatever the kind', () => {
    for (const kind of ['rolling', 'calendar'] as const) {
      expect(
        currentWindow(
          { period: 'total', kind, timeZone: 'Europe/Paris' },
          at('2026-05-01T00:00:00Z'),
        ),
      ).toEqual({
        start: 0,
        end: null,
        width: null,
      });
    }
  });
});

describe('specKey', () => {
  it('names the window so that different windows never share a key', () => {
    expect(specKey({ period: 'total', kind: 'calendar', timeZone: 'Europe/Paris' })).toBe('total');
    expect(specKey({ period: 'total', kind: 'rolling', timeZone: 'UTC' })).toBe('total');
    expect(specKey({ period: 'hour', kind: 'calendar', timeZone: 'UTC' })).toBe('hour/rolling');
    expect(specKey({ period: 'daily', kind: 'rolling', timeZone: 'Asia/Tokyo' })).toBe(
      'daily/rolling',
    );
    expect(specKey(cal('monthly', 'Europe/Paris'))).toBe('monthly/calendar/Europe/Paris');
  });

  it('distinguishes periods, kinds and zones of calendar windows', () => {
    const keys = new Set([
      specKey(cal('daily', 'Europe/Paris')),
      specKey(cal('daily', 'Asia/Tokyo')),
      specKey(cal('weekly', 'Europe/Paris')),
      specKey(cal('monthly', 'Europe/Paris')),
      specKey({ period: 'daily', kind: 'rolling', timeZone: 'Europe/Paris' }),
      specKey({ period: 'weekly', kind: 'rolling', timeZone: 'Europe/Paris' }),
    ]);
    expect(keys.size).toBe(6);
  });

  it('rolling keys do not depend on the zone', () => {
    expect(specKey({ period: 'weekly', kind: 'rolling', timeZone: 'Europe/Paris' })).toBe(
      specKey({ period: 'weekly', kind: 'rolling', timeZone: 'America/New_York' }),
    );
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones', () => {
    for (const z of [
      'Europe/Paris',
      'America/New_York',
      'Asia/Tokyo',
      'Australia/Lord_Howe',
      'UTC',
    ]) {
      expect(isValidTimeZone(z)).toBe(true);
    }
  });
  it('rejects unknown names, offsets and empty text', () => {
    for (const z of ['Mars/Olympus', '', 'local', '+02:00', 'Europe/Pariss']) {
      expect(isValidTimeZone(z)).toBe(false);
    }
  });
});
