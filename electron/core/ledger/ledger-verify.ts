/**
 * Verifying the ledger's hash chain: the walk behind `Ledger.verify` and
 * `Ledger.verifyInBackground`, and the statements and buffer it reads with.
 */
import type { Statement } from 'better-sqlite3';
import { hash } from 'node:crypto';
import type { Db } from '../db/types';
import { entryHash, GENESIS_HASH, type HashedFields } from './canonical';

export type VerifyProblem = 'missing_entry' | 'broken_link' | 'edited_entry' | 'truncated';

/** How far a verify has got: entries checked, of at least `total`. */
export interface VerifyProgress {
  checked: number;
  /** The head's entry when the walk began, or what has been checked if more came since. */
  total: number;
}

/** Entries a verify reads at a time; it yields to other work between pages. */
export const VERIFY_PAGE = 5000;
const GENESIS_HEX = GENESIS_HASH.toString('hex');
const VERIFY_COLUMNS = `seq, ts, type, actor, mode, agent_id, object_id, amount_micros, counted_micros, status,
  merchant, rail, data, prev_hash, hash`;

export interface VerifyResult {
  ok: boolean;
  entries: number;
  headSeq: number;
  headHash: string;
  firstBad?: { seq: number; problem: VerifyProblem; message: string };
}

/** The verify half of a `Ledger`: one per Ledger, reading the same database and head. */
export class LedgerVerifier {
  private readonly afterRaw: Statement<[number, number], unknown[]>;
  private readonly rawAt: Statement<[number], unknown[]>;
  private readonly afterCanonical: Statement<[number, number], unknown[]>;
  /** The SHA-256 input of the fast verify, reused row after row. */
  private scratch = Buffer.allocUnsafe(64 * 1024);
  /** Whether `json_array` writes the canonical form exactly (asked once: `sqlCanonical`). */
  private canonicalInSql: boolean | undefined;

  constructor(
    private readonly db: Db,
    private readonly readHead: Statement<[], { seq: bigint; hash: Buffer }>,
  ) {
    // Verification reads rows as plain arrays of plain numbers: every amount in a ledger
    // row is a single amount (at most 10^15), exact as a double, and it is twice as fast.
    this.afterRaw = db
      .prepare<[number, number], unknown[]>(
        `SELECT ${VERIFY_COLUMNS} FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?`,
      )
      .raw(true)
      .safeIntegers(false);
    this.rawAt = db
      .prepare<[number], unknown[]>(`SELECT ${VERIFY_COLUMNS} FROM ledger WHERE seq = ?`)
      .raw(true)
      .safeIntegers(false);
    // The fast verify's rows: the canonical form as SQLite writes it, the hashes in hex.
    this.afterCanonical = db
      .prepare<[number, number], unknown[]>(
        `SELECT seq,
           json_array(seq, ts, type, actor, mode, agent_id, object_id, CAST(amount_micros AS TEXT),
             CAST(counted_micros AS TEXT), status, merchant, rail, data),
           lower(hex(prev_hash)), lower(hex(hash))
         FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?`,
      )
      .raw(true)
      .safeIntegers(false);
  }

  /** The seq `ledger_head` names, 0 before the first entry (`Ledger.headSeq`). */
  headSeq(): number {
    const head = this.readHead.get();
    return head ? Number(head.seq) : 0;
  }

  /**
   * Walks the whole chain and names the first entry that is missing, out of place or
   * edited, then checks that nothing was cut off the end. One pass, constant memory;
   * yields between pages.
   *
   * The fast way (the default) has SQLite write each row's canonical form (`json_array`,
   * which escapes exactly as `JSON.stringify` does: checked once per Ledger by `sqlCanonical`
   * on every character that JSON escapes, else the plain way is used) and the hashes as hex,
   * so a row crosses into JavaScript as four strings rather than thirteen values and two
   * Buffers; the SHA-256 input is written into one reused buffer. A row whose hash does not
   * match is checked again the plain way before it is called edited, so no entry the plain
   * way accepts is ever reported. The plain way builds the canonical form from the columns in
   * JavaScript, as `append` does; the bench and the tests check that both give one answer.
   */
  *walk(
    reference: boolean,
    pageSize = VERIFY_PAGE,
    onProgress?: (progress: VerifyProgress) => void,
  ): Generator<void, VerifyResult> {
    const fast = !reference && this.sqlCanonical();
    const total = this.headSeq();
    /** The previous entry's hash, in hex (the fast way) and as bytes (the plain way). */
    let prevHex = GENESIS_HEX;
    let prevHash: Buffer = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    const bad = (seq: number, problem: VerifyProblem, message: string): VerifyResult => ({
      ok: false,
      entries,
      headSeq: expectedSeq - 1,
      headHash: fast ? prevHex : prevHash.toString('hex'),
      firstBad: { seq, problem, message },
    });
    const missing = (seq: number) =>
      bad(expectedSeq, 'missing_entry', `entry ${expectedSeq} is missing (next is ${seq})`);
    const broken = (seq: number) =>
      bad(seq, 'broken_link', `entry ${seq} does not follow entry ${seq - 1}`);
    const edited = (seq: number) =>
      bad(seq, 'edited_entry', `entry ${seq} was changed after it was written`);
    for (;;) {
      if (fast) {
        // [seq, canonical form, prev_hash hex, hash hex]
        const page = this.afterCanonical.all(expectedSeq - 1, pageSize);
        for (const r of page) {
          const seq = r[0] as number;
          if (seq !== expectedSeq) return missing(seq);
          if (r[2] !== prevHex) return broken(seq);
          const hash = r[3] as string;
          if (this.chainedHex(prevHex, r[1] as string) !== hash && !this.matchesPlainly(seq))
            return edited(seq);
          prevHex = hash;
          expectedSeq += 1;
          entries += 1;
        }
        onProgress?.({ checked: entries, total: Math.max(total, entries) });
        if (page.length < pageSize) break;
      } else {
        const page = this.afterRaw.all(expectedSeq - 1, pageSize);
        for (const r of page) {
          const seq = r[0] as number;
          if (seq !== expectedSeq) return missing(seq);
          if (!(r[13] as Buffer).equals(prevHash)) return broken(seq);
          const hash = r[14] as Buffer;
          if (!entryHash(prevHash, hashedFieldsOf(r)).equals(hash)) return edited(seq);
          prevHash = hash;
          expectedSeq += 1;
          entries += 1;
        }
        onProgress?.({ checked: entries, total: Math.max(total, entries) });
        if (page.length < pageSize) break;
      }
      yield;
    }
    // Checked in the same tick as the last page, so no append can slip in between.
    const head = this.readHead.get();
    const headSeq = head ? Number(head.seq) : 0;
    const lastHash = fast ? prevHex : prevHash.toString('hex');
    if (headSeq !== entries || (head && head.hash.toString('hex') !== lastHash)) {
      return bad(
        entries + 1,
        'truncated',
        `the chain ends at entry ${entries} but its head says ${headSeq}`,
      );
    }
    return { ok: true, entries, headSeq, headHash: lastHash };
  }

  /** SHA-256(prev_hash ‖ UTF-8(canonical)) in hex, through one reused buffer. */
  private chainedHex(prevHex: string, canonical: string): string {
    // UTF-8 takes at most three bytes per UTF-16 unit, so the buffer never cuts it short.
    const need = 32 + canonical.length * 3;
    if (need > this.scratch.length) this.scratch = Buffer.allocUnsafe(need * 2);
    this.scratch.write(prevHex, 0, 32, 'hex');
    const n = this.scratch.write(canonical, 32, 'utf8');
    return hash('sha256', this.scratch.subarray(0, 32 + n), 'hex');
  }

  /**
   * The plain check of one row (`prev_hash` already known to follow): the canonical form
   * built from its columns in JavaScript. Only rows that failed the fast check come here.
   */
  private matchesPlainly(seq: number): boolean {
    const r = this.rawAt.get(seq);
    if (!r) return false;
    return entryHash(r[13] as Buffer, hashedFieldsOf(r)).equals(r[14] as Buffer);
  }

  /**
   * Whether this SQLite's `json_array` writes what `JSON.stringify` writes, on a probe of
   * every character JSON treats specially (controls, quote, backslash, DEL, the line and
   * paragraph separators, a BOM, non-ASCII and a surrogate pair), integers, a negative
   * amount and null. Asked once; if a future SQLite escapes differently, verify goes the
   * plain way.
   */
  sqlCanonical(): boolean {
    if (this.canonicalInSql === undefined) {
      let probe = '';
      for (let c = 0; c < 0x100; c += 1) probe += String.fromCharCode(c);
      probe += '\u2028\u2029\ufeff\uffff\u00e9\u4e2d\u{1f600}\u{10ffff}';
      const values = [
        9_007_199_254_740_991n,
        1_700_000_000_000n,
        probe,
        null,
        '-25000',
        '{"a":"\\n"}',
      ];
      try {
        const sql = this.db
          .prepare<unknown[], string>('SELECT json_array(?, ?, ?, ?, ?, ?)')
          .pluck()
          .get(...values);
        const js = JSON.stringify(values.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
        this.canonicalInSql = sql === js;
      } catch {
        this.canonicalInSql = false;
      }
    }
    return this.canonicalInSql;
  }
}

/** The thirteen hashed columns of a row read as a plain array (`afterRaw`, `rawAt`). */
function hashedFieldsOf(r: unknown[]): HashedFields {
  return {
    seq: r[0] as number,
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
}
