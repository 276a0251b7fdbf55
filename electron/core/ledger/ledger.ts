import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';
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

const hashedFields = (row: LedgerRow): HashedFields => row;

/**
 * The append-only, hash-chained ledger. Appends must run inside the caller's write
 * transaction (the head is read from the database each time, so a rolled-back batch can
 * never leave a stale head in memory).
 */
export class Ledger {
  private readonly insert: Statement;
  private readonly readHead: Statement<[], { seq: bigint; hash: Buffer }>;
  private readonly writeHead: Statement;
  private readonly after: Statement<[number, number], RawLedgerRow>;
  private readonly countAll: Statement<[], { n: bigint }>;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO ledger (seq, ts, type, actor, mode, agent_id, object_id, amount_micros, counted_micros,
         status, merchant, rail, data, prev_hash, hash)
       VALUES (@seq, @ts, @type, @actor, @mode, @agentId, @objectId, @amount, @counted,
         @status, @merchant, @rail, @data, @prevHash, @hash)`,
    );
    this.readHead = db.prepare('SELECT seq, hash FROM ledger_head WHERE id = 1');
    this.writeHead = db.prepare(
      `INSERT INTO ledger_head (id, seq, hash) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
    );
    this.after = db.prepare('SELECT * FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?');
    this.countAll = db.prepare('SELECT count(*) AS n FROM ledger');
  }

  append(entry: LedgerEntryInput, ts: number): LedgerRow {
    if (!this.db.inTransaction)
      throw new Error('ledger appends must run inside a write transaction');
    const head = this.readHead.get();
    const prevHash = head?.hash ?? GENESIS_HASH;
    const fields: HashedFields = {
      seq: head ? Number(head.seq) + 1 : 1,
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
      data: JSON.stringify(entry.data ?? {}, bigintToString),
    };
    const hash = entryHash(prevHash, fields);
    this.insert.run({ ...fields, prevHash, hash });
    this.writeHead.run(fields.seq, hash);
    return { ...fields, prevHash, hash } as LedgerRow;
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
      const page = this.after.all(expectedSeq - 1, pageSize).map(rowFromRaw);
      for (const row of page) {
        if (row.seq !== expectedSeq) {
          return bad(
            expectedSeq,
            'missing_entry',
            `entry ${expectedSeq} is missing (next is ${row.seq})`,
          );
        }
        if (!row.prevHash.equals(prevHash)) {
          return bad(
            row.seq,
            'broken_link',
            `entry ${row.seq} does not follow entry ${row.seq - 1}`,
          );
        }
        if (!entryHash(prevHash, hashedFields(row)).equals(row.hash)) {
          return bad(row.seq, 'edited_entry', `entry ${row.seq} was changed after it was written`);
        }
        prevHash = row.hash;
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

export function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
