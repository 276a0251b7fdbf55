import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { Mode } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';
import { assertMoney } from '../invariants';
import { currentWindow, specKey, type TimeWindow, type WindowSpec } from '../policy/windows';

/** What a sum is over: one agent, one funding source, or every agent of one mode. */
export type MeterScope =
  { kind: 'agent'; id: string } | { kind: 'funding'; id: string } | { kind: 'global'; mode: Mode };

export interface MeterReading {
  sum: Micros;
  count: number;
  window: TimeWindow;
}

export interface UsageInput {
  agentId: string;
  fundingSourceId: string;
  mode: Mode;
  /** What counts against the agent's own limits. */
  micros: Micros;
  /**
   * What counts against the limits it shares with other agents (its funding source and the
   * global cap): the whole amount for every decision; for a receipt, no more than the agent
   * could have spent on its own, the rest waiting for the owner (docs/money-integrity.md).
   */
  shared: Micros;
  /** The spend request or receipt this money belongs to. */
  originId: string;
}

/** A change to a counted usage, per part; each is checked where it is written. */
export interface UsageDelta {
  micros: Micros;
  shared: Micros;
}

interface MeterRow {
  window_start: bigint;
  width: bigint | null;
  as_of: bigint;
  sum_micros: bigint;
  count: bigint;
}

const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

function scopeKey(scope: MeterScope): string {
  return scope.kind === 'global' ? `global:${scope.mode}` : `${scope.kind}:${scope.id}`;
}

function scopeValue(scope: MeterScope): string {
  return scope.kind === 'global' ? scope.mode : scope.id;
}

/**
 * Window sums that cost the same whatever the size of the history.
 *
 * Each (scope, window spec) has a row in `meters` holding the sum and count of usage in
 * its window. Recording usage adds to every meter of its three scopes whose window holds
 * it. A calendar meter is recomputed once per window (a range scan of that window only);
 * a rolling meter subtracts what slid out since it was last read, so each usage row is
 * read at most once more when it leaves the window. Only a clock that runs backwards, or
 * a spec seen for the first time, costs a rescan of the current window.
 */
export class Meters {
  private readonly get: Statement<[string, string], MeterRow>;
  private readonly put: Statement;
  private readonly bump: Statement<[Micros, number, string, number, number, number]>;
  private readonly bumpDown: Statement<[Micros, number, string, number, number, number], bigint>;
  private readonly insertUsage: Statement;
  private readonly usageById: Statement<
    [number | bigint],
    {
      ts: bigint;
      agent_id: string;
      funding_source_id: string;
      mode: Mode;
      micros: bigint;
      shared_micros: bigint;
    }
  >;
  private readonly adjustUsage: Statement<
    [Micros, Micros, number],
    { micros: bigint; shared_micros: bigint }
  >;
  private readonly scopesWithRows: Statement<[], unknown>;
  private metered: Set<string> | undefined;
  private readonly sumRange: Record<
    MeterScope['kind'],
    Statement<[string, number, number], { s: bigint; c: bigint }>
  >;

  constructor(db: Db) {
    this.get = db.prepare(
      'SELECT window_start, width, as_of, sum_micros, count FROM meters WHERE scope = ? AND spec = ?',
    );
    this.put = db.prepare(
      `INSERT INTO meters (scope, spec, window_start, window_end, width, as_of, sum_micros, count)
       VALUES (@scope, @spec, @start, @end, @width, @asOf, @sum, @count)
       ON CONFLICT (scope, spec) DO UPDATE SET window_start = excluded.window_start,
         window_end = excluded.window_end, width = excluded.width, as_of = excluded.as_of,
         sum_micros = excluded.sum_micros, count = excluded.count`,
    );
    // A usage at `ts` belongs to a calendar meter whose window holds ts, and to every
    // rolling meter that has not yet slid past it.
    const bump = `UPDATE meters SET sum_micros = sum_micros + ?, count = count + ?
         WHERE scope = ? AND (
           (width IS NULL AND window_start <= ? AND (window_end IS NULL OR ? < window_end))
           OR (width IS NOT NULL AND ? > as_of - width))`;
    this.bump = db.prepare<[Micros, number, string, number, number, number]>(bump);
    this.bumpDown = db
      .prepare<[Micros, number, string, number, number, number], bigint>(
        `${bump} RETURNING sum_micros`,
      )
      .pluck();
    this.scopesWithRows = db.prepare('SELECT DISTINCT scope FROM meters').pluck();
    this.insertUsage = db.prepare(
      `INSERT INTO usage (ts, agent_id, funding_source_id, mode, micros, shared_micros, origin_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.usageById = db.prepare(
      'SELECT ts, agent_id, funding_source_id, mode, micros, shared_micros FROM usage WHERE id = ?',
    );
    this.adjustUsage = db.prepare(
      `UPDATE usage SET micros = micros + ?, shared_micros = shared_micros + ? WHERE id = ?
       RETURNING micros, shared_micros`,
    );
    // An agent's own limits sum what counts against it; the shared ones what counts there.
    const range = (column: string, amount: 'micros' | 'shared_micros') =>
      db.prepare<[string, number, number], { s: bigint; c: bigint }>(
        `SELECT coalesce(sum(${amount}), 0) AS s, count(*) AS c FROM usage
         WHERE ${column} = ? AND ts >= ? AND ts < ?`,
      );
    // Identifiers come from this fixed map, never from input.
    this.sumRange = {
      agent: range('agent_id', 'micros'),
      funding: range('funding_source_id', 'shared_micros'),
      global: range('mode', 'shared_micros'),
    };
  }

  /** The current sum for `scope` over `spec`'s window at `now`, brought up to date on disk. */
  read(scope: MeterScope, spec: WindowSpec, now: number): MeterReading {
    return this.compute(scope, spec, now, true);
  }

  /** The same figure without writing anything (for read-only routes). */
  peek(scope: MeterScope, spec: WindowSpec, now: number): MeterReading {
    return this.compute(scope, spec, now, false);
  }

  /**
   * Counts `usage` at `ts`: its whole amount against every meter of its agent, its shared
   * part against those of its funding source and mode.
   */
  record(usage: UsageInput, ts: number): number {
    assertMoney(usage.micros >= 0n, `a usage of ${usage.micros} (negative)`);
    assertMoney(
      usage.shared >= 0n && usage.shared <= usage.micros,
      `a shared part of ${usage.shared} out of ${usage.micros}`,
    );
    const { lastInsertRowid } = this.insertUsage.run(
      ts,
      usage.agentId,
      usage.fundingSourceId,
      usage.mode,
      usage.micros,
      usage.shared,
      usage.originId,
    );
    this.bumpScopes(usage, { micros: usage.micros, shared: usage.shared }, 1, ts);
    return Number(lastInsertRowid);
  }

  /** What a recorded usage counts now, against the agent and against shared limits. */
  usage(usageId: number): UsageDelta | undefined {
    const row = this.usageById.get(usageId);
    return row && { micros: row.micros, shared: row.shared_micros };
  }

  /**
   * Changes what a recorded usage counts, in the window where it was first counted: a
   * release the chain or the owner vouches for (negative), a held part the owner accepts
   * (`shared` only), a reservation counted again. Never on an agent's word.
   */
  adjust(usageId: number, delta: UsageDelta): { fundingSourceId: string } {
    const row = this.usageById.get(usageId);
    if (!row) throw new Error(`no usage ${usageId}`);
    const after = this.adjustUsage.get(delta.micros, delta.shared, usageId);
    // Pair assertion: what the row holds now is what it held plus the change (the table's
    // CHECK keeps both parts non-negative and the shared part within the whole).
    assertMoney(
      after !== undefined &&
        after.micros === row.micros + delta.micros &&
        after.shared_micros === row.shared_micros + delta.shared,
      `usage ${usageId} did not move by ${delta.micros}/${delta.shared}`,
    );
    const usage = { agentId: row.agent_id, fundingSourceId: row.funding_source_id, mode: row.mode };
    this.bumpScopes(usage, delta, 0, Number(row.ts));
    return { fundingSourceId: row.funding_source_id };
  }

  private compute(
    scope: MeterScope,
    spec: WindowSpec,
    now: number,
    persist: boolean,
  ): MeterReading {
    const window = currentWindow(spec, now);
    const key = scopeKey(scope);
    const sk = specKey(spec);
    const row = this.get.get(key, sk);
    const sumOf = (lo: number, hi: number) =>
      this.sumRange[scope.kind].get(scopeValue(scope), lo, hi);

    if (row && now >= Number(row.as_of)) {
      if (window.width === null && Number(row.window_start) === window.start) {
        return { sum: row.sum_micros, count: Number(row.count), window };
      }
      if (window.width !== null && row.width !== null && Number(row.width) === window.width) {
        const from = Number(row.as_of) - window.width + 1;
        const to = now - window.width + 1;
        if (to <= from) return { sum: row.sum_micros, count: Number(row.count), window };
        const evicted = sumOf(from, to);
        const reading = {
          sum: row.sum_micros - (evicted?.s ?? 0n),
          count: Number(row.count - (evicted?.c ?? 0n)),
          window,
        };
        if (persist) this.save(key, sk, reading, now);
        return reading;
      }
    }
    // First sight of this spec, a new calendar window, or a clock that went backwards.
    const lo = window.width === null ? window.start : now - window.width + 1;
    const hi = window.width === null ? (window.end ?? FAR_FUTURE) : FAR_FUTURE;
    const fresh = sumOf(lo, hi);
    const reading = { sum: fresh?.s ?? 0n, count: Number(fresh?.c ?? 0n), window };
    if (persist) this.save(key, sk, reading, now);
    return reading;
  }

  /**
   * Adds to the meters of one scope. Most scopes have none (no funding limit set, no
   * global cap): the scopes that do are known, so the others cost no statement.
   */
  private bumpScope(scope: string, delta: Micros, inc: number, ts: number): void {
    this.metered ??= new Set(this.scopesWithRows.all() as string[]);
    if (!this.metered.has(scope) || (delta === 0n && inc === 0)) return;
    // Adding cannot take a non-negative sum below zero: only a release is read back.
    if (delta >= 0n) {
      this.bump.run(delta, inc, scope, ts, ts, ts);
      return;
    }
    for (const sum of this.bumpDown.all(delta, inc, scope, ts, ts, ts)) {
      // A window sums non-negative usage: below zero, something released what it never held.
      assertMoney(sum >= 0n, `meter ${scope} would hold ${sum}`);
    }
  }

  private bumpScopes(
    usage: Pick<UsageInput, 'agentId' | 'fundingSourceId' | 'mode'>,
    delta: UsageDelta,
    inc: number,
    ts: number,
  ): void {
    for (const scope of scopesOf(usage)) {
      this.bumpScope(
        scopeKey(scope),
        scope.kind === 'agent' ? delta.micros : delta.shared,
        inc,
        ts,
      );
    }
  }

  /** After a rollback the set of metered scopes is read again from the database. */
  forgetScopes(): void {
    this.metered = undefined;
  }

  private save(scope: string, spec: string, reading: MeterReading, now: number): void {
    this.metered?.add(scope);
    this.put.run({
      scope,
      spec,
      start: reading.window.start,
      end: reading.window.end,
      width: reading.window.width,
      asOf: now,
      sum: reading.sum,
      count: reading.count,
    });
  }
}

function scopesOf(u: Pick<UsageInput, 'agentId' | 'fundingSourceId' | 'mode'>): MeterScope[] {
  return [
    { kind: 'agent', id: u.agentId },
    { kind: 'funding', id: u.fundingSourceId },
    { kind: 'global', mode: u.mode },
  ];
}
