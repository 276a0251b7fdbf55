import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import { assertMoney } from '../invariants';
import { entryHash, GENESIS_HASH, type HashedFields } from './canonical';
import {
  rowFromRaw,
  type LedgerEntryInput,
  type LedgerRow,
  type RawLedgerRow,
} from './ledger-rows';
import {
  LedgerVerifier,
  VERIFY_PAGE,
  type VerifyProgress,
  type VerifyResult,
} from './ledger-verify';

export {
  rowFromRaw,
  type LedgerEntryInput,
  type LedgerRow,
  type RawLedgerRow,
} from './ledger-rows';
export type { VerifyProblem, VerifyProgress, VerifyResult } from './ledger-verify';

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
  private readonly countAll: Statement<[], { n: bigint }>;
  /** The verify walk, with its own statements and buffer (ledger-verify.ts). */
  private readonly verifier: LedgerVerifier;
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
    this.verifier = new LedgerVerifier(db, this.readHead);
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
    assertEntry(fields);
    const hash = entryHash(prevHash, fields);
    const f = fields;
    const written = this.insert.run(
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
    // Pair assertion: one row, at the sequence just after the head it was chained to.
    assertMoney(
      written.changes === 1 && Number(written.lastInsertRowid) === head.seq + 1,
      `ledger entry ${fields.seq} did not land right after ${head.seq}`,
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

  /**
   * Verifies the whole chain in one go (the CLI, tests). `reference` walks it the plain way
   * only, every row's canonical form built in JavaScript (see `LedgerVerifier.walk`).
   */
  verify(options: { reference?: boolean } = {}): VerifyResult {
    const walk = this.verifier.walk(options.reference === true);
    for (;;) {
      const step = walk.next();
      if (step.done) return step.value;
    }
  }

  /**
   * Verifies the chain without holding the event loop: it yields after every page of 5,000
   * entries, so a running server keeps deciding while a million entries are checked, and
   * says how far it got after each page.
   */
  async verifyInBackground(onProgress?: (progress: VerifyProgress) => void): Promise<VerifyResult> {
    const walk = this.verifier.walk(false, VERIFY_PAGE, onProgress);
    for (;;) {
      const step = walk.next();
      if (step.done) return step.value;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The last entry the chain's head names: what a verify starting now will check at least. */
  headSeq(): number {
    return this.verifier.headSeq();
  }
}

/**
 * What every entry must say of money before it is chained (docs/money-integrity.md): an
 * amount is never negative; what it counts is within its amount (a release counts at most
 * the amount it gives back) and names an amount; and nothing an agent's key does releases
 * money: only the owner and the system (a verified chain fact) count negative.
 */
function assertEntry(f: HashedFields): void {
  const { amount, counted } = f;
  assertMoney(amount === null || amount >= 0n, `${f.type} with a negative amount ${amount}`);
  if (counted === 0n) return;
  assertMoney(amount !== null, `${f.type} counts ${counted} but has no amount`);
  const magnitude = counted < 0n ? -counted : counted;
  assertMoney(magnitude <= amount, `${f.type} counts ${counted} of an amount of ${amount}`);
  assertMoney(
    counted > 0n || !f.actor.startsWith('key:'),
    `${f.type} by ${f.actor} releases ${-counted}: an agent's word never gives money back`,
  );
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
