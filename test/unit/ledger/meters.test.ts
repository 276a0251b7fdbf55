/**
 * Meters keep window sums without rescanning history. The property: whatever sequence of
 * usage, settlements, reads and clock moves (backwards too), every read equals the sum a
 * brute-force scan of all usage would give: an agent's meters sum what counts against it,
 * a funding source's and a mode's sum the shared part (docs/money-integrity.md).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../../../electron/core/db/database';
import { Meters, type MeterScope } from '../../../electron/core/ledger/meters';
import { currentWindow, type WindowSpec } from '../../../electron/core/policy/windows';
import { DAY_MS, HOUR_MS } from '../../../electron/core/clock';

const T0 = Date.UTC(2026, 2, 28, 20, 0); // the eve of Europe's DST change

interface ModelUsage {
  id: number;
  ts: number;
  micros: bigint;
  shared: bigint;
  agentId: string;
  fundingSourceId: string;
  mode: 'live' | 'test';
}

const SPECS: WindowSpec[] = [
  { period: 'daily', kind: 'calendar', timeZone: 'Europe/Paris' },
  { period: 'daily', kind: 'calendar', timeZone: 'UTC' },
  { period: 'weekly', kind: 'calendar', timeZone: 'America/New_York' },
  { period: 'monthly', kind: 'calendar', timeZone: 'Asia/Tokyo' },
  { period: 'daily', kind: 'rolling', timeZone: 'UTC' },
  { period: 'weekly', kind: 'rolling', timeZone: 'UTC' },
  { period: 'hour', kind: 'rolling', timeZone: 'UTC' },
  { period: 'total', kind: 'calendar', timeZone: 'UTC' },
];

const SCOPES: MeterScope[] = [
  { kind: 'agent', id: 'agt_a' },
  { kind: 'agent', id: 'agt_b' },
  { kind: 'funding', id: 'fs_1' },
  { kind: 'funding', id: 'fs_2' },
  { kind: 'global', mode: 'live' },
  { kind: 'global', mode: 'test' },
];

function inScope(u: ModelUsage, scope: MeterScope): boolean {
  if (scope.kind === 'agent') return u.agentId === scope.id;
  if (scope.kind === 'funding') return u.fundingSourceId === scope.id;
  return u.mode === scope.mode;
}

/** The slow, obviously right answer. */
function bruteForce(usage: ModelUsage[], scope: MeterScope, spec: WindowSpec, now: number) {
  const w = currentWindow(spec, now);
  const inWindow = (ts: number) =>
    w.width === null ? ts >= w.start && (w.end === null || ts < w.end) : ts > now - w.width;
  const rows = usage.filter((u) => inScope(u, scope) && inWindow(u.ts));
  const amount = (u: ModelUsage) => (scope.kind === 'agent' ? u.micros : u.shared);
  return { sum: rows.reduce((s, u) => s + amount(u), 0n), count: rows.length };
}

type Op =
  | { op: 'record'; agent: 0 | 1; funding: 0 | 1; mode: 0 | 1; micros: number; held: number }
  | { op: 'adjust'; pick: number; delta: number; sharedOnly: boolean }
  | { op: 'read'; scope: number; spec: number; persist: boolean }
  | { op: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('record' as const),
      agent: fc.constantFrom(0 as const, 1 as const),
      funding: fc.constantFrom(0 as const, 1 as const),
      mode: fc.constantFrom(0 as const, 1 as const),
      micros: fc.integer({ min: 1, max: 10_000_000 }),
      // Most usage counts in full everywhere; some holds a part back from shared limits.
      held: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000_000 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('adjust' as const),
      pick: fc.nat(),
      delta: fc.integer({ min: -5_000_000, max: 0 }),
      sharedOnly: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('read' as const),
      scope: fc.nat({ max: SCOPES.length - 1 }),
      spec: fc.nat({ max: SPECS.length - 1 }),
      persist: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      // Window edges are where sums go wrong: land on them exactly, and one ms either side.
      ms: fc.oneof(
        fc.integer({ min: 0, max: 10 * 60_000 }),
        fc.integer({ min: 0, max: 3 * DAY_MS }),
        fc.constantFrom(
          0,
          1,
          -1,
          HOUR_MS - 1,
          HOUR_MS,
          HOUR_MS + 1,
          DAY_MS - 1,
          DAY_MS,
          DAY_MS + 1,
          7 * DAY_MS - 1,
          7 * DAY_MS,
        ),
        fc.integer({ min: -2 * HOUR_MS, max: 0 }),
      ),
    }),
  },
);

describe('Meters', () => {
  it('every reading equals a brute-force sum, for any sequence of usage, settlements and clock moves', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 120 }), (ops) => {
        const db = openMemoryDatabase();
        const meters = new Meters(db);
        const usage: ModelUsage[] = [];
        let now = T0;
        for (const o of ops) {
          if (o.op === 'advance') now += o.ms;
          else if (o.op === 'record') {
            const micros = BigInt(o.micros);
            const held = BigInt(o.held) > micros ? micros : BigInt(o.held);
            const u = {
              ts: now,
              micros,
              shared: micros - held,
              agentId: o.agent ? 'agt_b' : 'agt_a',
              fundingSourceId: o.funding ? 'fs_2' : 'fs_1',
              mode: o.mode ? 'test' : 'live',
            } as const;
            const id = meters.record({ ...u, originId: `req_${usage.length}` }, now);
            usage.push({ id, ...u });
          } else if (o.op === 'adjust') {
            const target = usage[o.pick % Math.max(1, usage.length)];
            if (!target) continue;
            if (o.sharedOnly) {
              // The owner accepts a held part: the shared part grows, up to the whole.
              const room = target.micros - target.shared;
              const grow = BigInt(-o.delta) > room ? room : BigInt(-o.delta);
              meters.adjust(target.id, { micros: 0n, shared: grow });
              target.shared += grow;
            } else {
              // A release: both parts shrink, the shared one no lower than zero.
              const cut = BigInt(o.delta) < -target.micros ? -target.micros : BigInt(o.delta);
              const sharedAfter =
                target.shared < target.micros + cut ? target.shared : target.micros + cut;
              meters.adjust(target.id, { micros: cut, shared: sharedAfter - target.shared });
              target.micros += cut;
              target.shared = sharedAfter;
            }
          } else {
            const scope = SCOPES[o.scope] as MeterScope;
            const spec = SPECS[o.spec] as WindowSpec;
            const reading = o.persist
              ? meters.read(scope, spec, now)
              : meters.peek(scope, spec, now);
            const expected = bruteForce(usage, scope, spec, now);
            expect({ sum: reading.sum, count: reading.count }).toEqual(expected);
          }
        }
        // Finally, every meter read now agrees.
        for (const scope of SCOPES) {
          for (const spec of SPECS)
            expect(meters.read(scope, spec, now).sum).toBe(bruteForce(usage, scope, spec, now).sum);
        }
        db.close();
      }),
      { numRuns: 500 },
    );
  });

  it('usage at the very instant a calendar window ends belongs to the next one', () => {
    // The closing window is [start, end): a usage at `end` is the next window's, even when
    // the meter was last read (persisted) in the closing window and the clock then steps
    // back a moment (NTP), so that the closing window is read again.
    const db = openMemoryDatabase();
    const meters = new Meters(db);
    const spec: WindowSpec = { period: 'daily', kind: 'calendar', timeZone: 'UTC' };
    const scope: MeterScope = { kind: 'agent', id: 'agt_a' };
    const end = currentWindow(spec, T0).end as number;
    const usage = { agentId: 'agt_a', fundingSourceId: 'fs_1', mode: 'live' as const };
    meters.record({ ...usage, micros: 1n, shared: 1n, originId: 'before' }, end - 1);
    expect(meters.read(scope, spec, end - 1).sum).toBe(1n);
    meters.record({ ...usage, micros: 7n, shared: 7n, originId: 'at-end' }, end);
    expect(meters.read(scope, spec, end - 1)).toMatchObject({ sum: 1n, count: 1 });
    expect(meters.read(scope, spec, end)).toMatchObject({ sum: 7n, count: 1 });
    db.close();
  });

  it('refuses, inside the write, a usage or change that breaks its money invariants', () => {
    const db = openMemoryDatabase();
    const meters = new Meters(db);
    const base = {
      agentId: 'agt_a',
      fundingSourceId: 'fs_1',
      mode: 'live' as const,
      originId: 'o',
    };
    expect(() => meters.record({ ...base, micros: -1n, shared: -1n }, T0)).toThrow(/invariant/);
    expect(() => meters.record({ ...base, micros: 5n, shared: 6n }, T0)).toThrow(/invariant/);
    const id = meters.record({ ...base, micros: 5n, shared: 3n }, T0);
    // More released than the usage holds, or a shared part past the whole: the table refuses.
    expect(() => meters.adjust(id, { micros: -6n, shared: -3n })).toThrow();
    expect(() => meters.adjust(id, { micros: 0n, shared: 3n })).toThrow();
    expect(meters.usage(id)).toEqual({ micros: 5n, shared: 3n });
    db.close();
  });

  it('window sums are index range scans on the scope, never a table scan', () => {
    const db = openMemoryDatabase();
    const meters = new Meters(db);
    const spec: WindowSpec = { period: 'daily', kind: 'rolling', timeZone: 'UTC' };
    const scope: MeterScope = { kind: 'agent', id: 'agt_a' };
    let now = T0;
    for (let i = 0; i < 2_000; i += 1) {
      meters.record(
        {
          agentId: 'agt_a',
          fundingSourceId: 'fs_1',
          mode: 'live',
          micros: 1n,
          shared: 1n,
          originId: `o${i}`,
        },
        now,
      );
      now += 60_000;
    }
    meters.read(scope, spec, now);
    const before = db.prepare('SELECT count(*) AS n FROM usage').get() as { n: bigint };
    expect(before.n).toBe(2_000n);
    now += 5 * 60_000;
    const evictSql = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT coalesce(sum(micros), 0) AS s, count(*) AS c FROM usage WHERE agent_id = ? AND ts >= ? AND ts < ?',
      )
      .all('agt_a', 0, 1) as Array<{ detail: string }>;
    expect(evictSql.map((r) => r.detail).join(' ')).toMatch(/USING (COVERING )?INDEX usage_agent/);
    // Entries 566…1999 are within the last 24 hours.
    expect(meters.read(scope, spec, now)).toMatchObject({ sum: 1_434n, count: 1_434 });
    db.close();
  });
});
