import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { Micros } from '../../../shared/money';
import type { Mode } from '../../../shared/domain';
import type { Actor, LedgerType } from '../../../shared/ledger';
import { entryHash, GENESIS_HASH, type HashedFields } from './canonical';

export interface LedgerEntryInput {
  type: LedgerType;
  actor: Actor;
  mode?: Mode | null;
  agentId?: string | null;
  objectId?: string | null;
  amount?: Micros | null;
  /** What this entry adds to (or, negative, releases from) the money counted against limits. */
  counted?: Micros;
  status?: string | null;
  merchant?: string | null;
  rail?: string | null;
  data?: Record<string, unknown>;
}

export interface LedgerRow {
  seq: number;
  ts: number;
  type: LedgerType;
  actor: string;
  mode: Mode | null;
  agentId: string | null;
  objectId: string | null;
  amount: Micros | null;
  counted: Micros;
  status: string | null;
  merchant: string | null;
  rail: string | null;
  data: string;
  prevHash: Buffer;
  hash: Buffer;
}

export interface RawLedgerRow {
  seq: bigint;
  ts: bigint;
  type: LedgerType;
  actor: string;
  mode: Mode | null;
  agent_id: string | null;
  object_id: string | null;
  amount_micros: bigint | null;
  counted_micros: bigint;
  status: string | null;
  merchant: string | null;
  rail: string | null;
  data: string;
  prev_hash: Buffer;
  hash: Buffer;
}

export type VerifyProblem = 'missing_entry' | 'broken_link' | 'edited_entry' | 'truncated';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  headSeq: number;
  headHash: string;
  firstBad?: { seq: number; problem: VerifyProblem; message: string };
}

export function rowFromRaw(r: RawLedgerRow): LedgerRow {
  return {
    seq: Number(r.seq),
    ts: Number(r.ts),
    type: r.type,
    actor: r.actor,
    mode: r.mode,
    agentId: r.agent_id,
    objectId: r.object_id,
    amount: r.amount_micros,
    counted: r.counted_micros,
    status: r.status,
    merchant: r.merchant,
    rail: r.rail,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * The append-only, hash-chained ledger. Appends must run inside the caller's write
 * transaction. The head is followed in memory and written to `ledger_head` once per
 * transaction (`persistHead`, before COMMIT); after any rollback `forgetHead` makes the
 * next append read it again.
 */
export class Ledger {
  private readonly insert: Statement;
  private readonly readHead: Statement<[], { seq: bigint; hash: Buffer }>;
  private readonly newestAfter: Statement<[number], { seq: bigint; hash: Buffer }>;
  /** The head moved in this transaction and `ledger_head` does not say so yet. */
  private headDirty = false;
  private readonly writeHead: Statement;
  private readonly after: Statement<[number, number], RawLedgerRow>;
  private readonly afterRaw: Statement<[number, number], unknown[]>;
  private readonly countAll: Statement<[], { n: bigint }>;
  private head: { seq: number; hash: Buffer } | undefined;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO ledger (seq, ts, type, actor, mode, agent_id, object_id, amount_micros, counted_micros,
         status, merchant, rail, data, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.readHead = db.prepare('SELECT seq, hash FROM ledger_head WHERE id = 1');
    this.newestAfter = db.prepare(
      'SELECT seq, hash FROM ledger WHERE seq > ? ORDER BY seq DESC LIMIT 1',
    );
    this.writeHead = db.prepare(
      `INSERT INTO ledger_head (id, seq, hash) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
    );
    this.after = db.prepare('SELECT * FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?');
    // Verification reads rows as plain arrays of plain numbers: every amount in a ledger
    // row is a single amount (at most 10^15), exact as a double, and it is twice as fast.
    this.afterRaw = db
      .prepare<[number, number], unknown[]>(
        `SELECT seq, ts, type, actor, mode, agent_id, object_id, amount_micros, counted_micros, status,
           merchant, rail, data, prev_hash, hash FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?`,
      )
      .raw(true)
      .safeIntegers(false);
    this.countAll = db.prepare('SELECT count(*) AS n FROM ledger');
  }

  append(entry: LedgerEntryInput, ts: number): LedgerRow {
    if (!this.db.inTransaction)
      throw new Error('ledger appends must run inside a write transaction');
    const head = this.head ?? this.loadHead();
    const prevHash = head.hash;
    const fields: HashedFields = {
      seq: head.seq + 1,
      ts,
      type: entry.type,
      actor: entry.actor,
      mode: entry.mode ?? null,
      agentId: entry.agentId ?? null,
      objectId: entry.objectId ?? null,
      amount: entry.amount ?? null,
      counted: entry.counted ?? 0n,
      status: entry.status ?? null,
      merchant: entry.merchant ?? null,
      rail: entry.rail ?? null,
      data: stringifyData(entry.data),
    };
    const hash = entryHash(prevHash, fields);
    const f = fields;
    this.insert.run(
      f.seq,
      f.ts,
      f.type,
      f.actor,
      f.mode,
      f.agentId,
      f.objectId,
      f.amount,
      f.counted,
      f.status,
      f.merchant,
      f.rail,
      f.data,
      prevHash,
      hash,
    );
    this.head = { seq: fields.seq, hash };
    this.headDirty = true;
    return { ...fields, prevHash, hash } as LedgerRow;
  }

  /**
   * The head is read once and then followed in memory. A rollback (of a job or a batch)
   * must call this, so the next append reads the head the database kept.
   */
  forgetHead(): void {
    this.head = undefined;
    this.headDirty = false;
  }

  /**
   * Records the head in `ledger_head`, once per transaction rather than once per entry:
   * the committer calls it just before COMMIT. The row is what lets verify notice a tail
   * cut off the chain.
   */
  persistHead(): void {
    if (!this.headDirty || !this.head) return;
    this.writeHead.run(this.head.seq, this.head.hash);
    this.headDirty = false;
  }

  /**
   * The head as committed, followed past any entry this transaction already appended
   * (after a job's savepoint is rolled back, its neighbours' entries stay). Never from the
   * last row alone: a chain cut short must not be silently continued.
   */
  private loadHead(): { seq: number; hash: Buffer } {
    const row = this.readHead.get();
    const committed = row
      ? { seq: Number(row.seq), hash: row.hash }
      : { seq: 0, hash: GENESIS_HASH };
    const newer = this.newestAfter.get(committed.seq);
    return newer ? { seq: Number(newer.seq), hash: newer.hash } : committed;
  }

  count(): number {
    return Number(this.countAll.get()?.n ?? 0n);
  }

  /**
   * Every entry in order, read a page at a time: better-sqlite3 keeps a connection busy
   * while an iterator is open, so nothing here holds one across pages.
   */
  *rows(pageSize = 2000): IterableIterator<LedgerRow> {
    let last = 0;
    for (;;) {
      const page = this.after.all(last, pageSize);
      for (const raw of page) yield rowFromRaw(raw);
      if (page.length < pageSize) return;
      last = Number(page[page.length - 1]?.seq ?? 0n);
    }
  }

  /** Verifies the whole chain in one go (the CLI, tests). */
  verify(): VerifyResult {
    const walk = this.verifyWalk();
    for (;;) {
      const step = walk.next();
      if (step.done) return step.value;
    }
  }

  /**
   * Verifies the chain without holding the event loop: it yields every few thousand
   * entries, so a running server keeps deciding while a million entries are checked.
   */
  async verifyInBackground(): Promise<VerifyResult> {
    const walk = this.verifyWalk();
    for (;;) {
      const step = walk.next();
      if (step.done) return step.value;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Walks the whole chain and names the first entry that is missing, out of place or
   * edited, then checks that nothing was cut off the end. One pass, constant memory;
   * yields between pages.
   */
  private *verifyWalk(pageSize = 5000): Generator<void, VerifyResult> {
    let prevHash: Buffer = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    const bad = (seq: number, problem: VerifyProblem, message: string): VerifyResult => ({
      ok: false,
      entries,
      headSeq: expectedSeq - 1,
      headHash: prevHash.toString('hex'),
      firstBad: { seq, problem, message },
    });
    for (;;) {
      const page = this.afterRaw.all(expectedSeq - 1, pageSize);
      for (const r of page) {
        const seq = r[0] as number;
        if (seq !== expectedSeq) {
          return bad(
            expectedSeq,
            'missing_entry',
            `entry ${expectedSeq} is missing (next is ${seq})`,
          );
        }
        const rowPrev = r[13] as Buffer;
        if (!rowPrev.equals(prevHash)) {
          return bad(seq, 'broken_link', `entry ${seq} does not follow entry ${seq - 1}`);
        }
        const fields: HashedFields = {
          seq,
          ts: r[1] as number,
          type: r[2] as string,
          actor: r[3] as string,
          mode: r[4] as string | null,
          agentId: r[5] as string | null,
          objectId: r[6] as string | null,
          amount: r[7] as number | null,
          counted: r[8] as number,
          status: r[9] as string | null,
          merchant: r[10] as string | null,
          rail: r[11] as string | null,
          data: r[12] as string,
        };
        const hash = r[14] as Buffer;
        if (!entryHash(prevHash, fields).equals(hash)) {
          return bad(seq, 'edited_entry', `entry ${seq} was changed after it was written`);
        }
        prevHash = hash;
        expectedSeq += 1;
        entries += 1;
      }
      if (page.length < pageSize) break;
      yield;
    }
    // Checked in the same tick as the last page, so no append can slip in between.
    const head = this.readHead.get();
    const headSeq = head ? Number(head.seq) : 0;
    if (headSeq !== entries || (head && !head.hash.equals(prevHash))) {
      return bad(
        entries + 1,
        'truncated',
        `the chain ends at entry ${entries} but its head says ${headSeq}`,
      );
    }
    return { ok: true, entries, headSeq, headHash: prevHash.toString('hex') };
  }
}

/**
 * Entry data as JSON. Most data holds no bigint, and JSON.stringify without a replacer is
 * much faster; the rare bigint makes it throw, and the replacer writes it as a string.
 */
function stringifyData(data: Record<string, unknown> | undefined): string {
  if (data === undefined) return '{}';
  try {
    return JSON.stringify(data);
  } catch {
    return JSON.stringify(data, bigintToString);
  }
}

export function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
