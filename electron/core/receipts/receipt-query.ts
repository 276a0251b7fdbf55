import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';

export interface ReceiptFilter {
  agentId?: string;
  rail?: string;
  overBudget?: 0 | 1;
  /** Inclusive lower bound, ms. */
  from?: number;
  /** Exclusive upper bound, ms. */
  to?: number;
  before?: string;
  /** Receipts whose claim waits for the owner, or was accepted or disputed. */
  review?: 'open' | 'accepted' | 'disputed';
}

/** Each filter is a fixed clause with a parameter; no identifier ever comes from input. */
const CLAUSES: Record<keyof ReceiptFilter, string> = {
  agentId: 'agent_id = @agentId',
  rail: 'rail = @rail',
  overBudget: 'over_budget = @overBudget',
  from: 'created_at >= @from',
  to: 'created_at < @to',
  // Ids start with their creation time, so id order is creation order and a stable cursor.
  before: 'id < @before',
  review: 'review = @review',
};

/**
 * The ids of matching receipts, newest first. Only ids: the repository turns each into a
 * record, so this listing and every other read of a receipt cannot drift apart.
 */
export class ReceiptQuery {
  private readonly statements = new Map<
    string,
    Statement<[Record<string, unknown>], { id: string }>
  >();

  constructor(private readonly db: Db) {}

  page(filter: ReceiptFilter, limit: number): string[] {
    const used = (Object.keys(CLAUSES) as Array<keyof ReceiptFilter>).filter(
      (k) => filter[k] !== undefined,
    );
    const key = used.join(',');
    let stmt = this.statements.get(key);
    if (!stmt) {
      const where = used.length > 0 ? `WHERE ${used.map((k) => CLAUSES[k]).join(' AND ')}` : '';
      stmt = this.db.prepare(`SELECT id FROM receipts ${where} ORDER BY id DESC LIMIT @limit`);
      this.statements.set(key, stmt);
    }
    const params = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    return stmt.all({ ...params, limit }).map((row) => row.id);
  }
}
