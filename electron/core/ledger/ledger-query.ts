import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { LedgerRow } from './ledger';
import { rowFromRaw, type RawLedgerRow } from './ledger';

export interface LedgerFilter {
  agentId?: string;
  type?: string;
  status?: string;
  merchant?: string;
  rail?: string;
  /** Inclusive lower bound, ms. */
  from?: number;
  /** Exclusive upper bound, ms. */
  to?: number;
  /** Page backwards: entries with seq below this. */
  beforeSeq?: number;
}

/** Each filter is a fixed clause with a parameter; no identifier ever comes from input. */
const CLAUSES: Record<keyof LedgerFilter, string> = {
  agentId: 'agent_id = @agentId',
  type: 'type = @type',
  status: 'status = @status',
  merchant: 'merchant = @merchant COLLATE NOCASE',
  rail: 'rail = @rail',
  from: 'ts >= @from',
  to: 'ts < @to',
  beforeSeq: 'seq < @beforeSeq',
};

/**
 * Filtered reads of the ledger, newest first. A statement is prepared once per set of
 * filters in use and kept.
 */
export class LedgerQuery {
  private readonly statements = new Map<
    string,
    Statement<[Record<string, unknown>], RawLedgerRow>
  >();

  constructor(private readonly db: Db) {}

  page(filter: LedgerFilter, limit: number): LedgerRow[] {
    return this.statement(filter, 'DESC')
      .all({ ...params(filter), limit })
      .map(rowFromRaw);
  }

  /**
   * Every matching entry, oldest first, a page at a time (exports of any size). No
   * iterator stays open between pages: that would keep the connection busy and stall
   * every decision until the export finished.
   */
  *all(filter: LedgerFilter, pageSize = 2000): IterableIterator<LedgerRow> {
    let afterSeq = 0;
    for (;;) {
      const page = this.statement(filter, 'ASC').all({
        ...params(filter),
        afterSeq,
        limit: pageSize,
      });
      for (const raw of page) yield rowFromRaw(raw);
      if (page.length < pageSize) return;
      afterSeq = Number(page[page.length - 1]?.seq ?? 0n);
    }
  }

  private statement(filter: LedgerFilter, order: 'ASC' | 'DESC') {
    const used = (Object.keys(CLAUSES) as Array<keyof LedgerFilter>).filter(
      (k) => filter[k] !== undefined,
    );
    const key = `${used.join(',')}|${order}`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      const clauses = used.map((k) => CLAUSES[k]);
      if (order === 'ASC') clauses.push('seq > @afterSeq');
      const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
      stmt = this.db.prepare(`SELECT * FROM ledger ${where} ORDER BY seq ${order} LIMIT @limit`);
      this.statements.set(key, stmt);
    }
    return stmt;
  }
}

function params(filter: LedgerFilter): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}
