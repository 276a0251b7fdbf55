import type { Statement } from 'better-sqlite3';
import type { Mode } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';
import type { SpendingGroup } from '../../../shared/spending';
import type { Db } from '../db/types';

/**
 * The entries the Spending view reads: every entry that counts money (its `counted_micros`
 * is not 0: approvals, receipts, settlements, releases, unmatched transfers), and every
 * spend attempt decided (approved, declined, refused). Word for word the condition of the
 * partial index `ledger_spending` (migration 0012): SQLite uses a partial index only for a
 * query that repeats its condition.
 */
export const SPENDING_ENTRIES =
  "(counted_micros <> 0 OR type IN ('spend.approved', 'spend.declined', 'spend.refused'))";

/**
 * What each group is, as a fixed expression over the entry's own columns (never text from
 * input): the agent, the merchant as the agent wrote it, the category the spend named (in
 * `data`), the rail.
 */
const GROUP_KEY: Record<SpendingGroup, string> = {
  agent: 'agent_id',
  merchant: 'merchant',
  category: "json_extract(data, '$.category')",
  rail: 'rail',
};

export interface Figures {
  spent: Micros;
  approved: number;
  declined: number;
  refused: number;
  declinedAmount: Micros;
  refusedAmount: Micros;
}

export interface GroupFigures extends Figures {
  key: string | null;
}

interface RawGroup {
  k: string | number | bigint | null;
  spent: bigint;
  approved: bigint;
  declined: bigint;
  refused: bigint;
  declined_micros: bigint;
  refused_micros: bigint;
}

/**
 * Sums of the ledger over `[from, to)`, per group: one read of the range's index entries
 * (`ledger_spending` holds every column summed or grouped by, but a category, which is read
 * from the entry's `data`). A statement is prepared once per grouping and mode filter.
 */
export class SpendingQuery {
  private readonly statements = new Map<string, Statement<[Record<string, unknown>], RawGroup>>();

  constructor(private readonly db: Db) {}

  groups(group: SpendingGroup, from: number, to: number, mode: Mode | null): GroupFigures[] {
    const params: Record<string, unknown> = { from, to };
    if (mode !== null) params.mode = mode;
    return this.statement(group, mode !== null)
      .all(params)
      .map((r) => ({
        key: r.k === null ? null : String(r.k),
        spent: r.spent,
        approved: Number(r.approved),
        declined: Number(r.declined),
        refused: Number(r.refused),
        declinedAmount: r.declined_micros,
        refusedAmount: r.refused_micros,
      }));
  }

  private statement(group: SpendingGroup, byMode: boolean) {
    const cacheKey = `${group}|${byMode}`;
    let stmt = this.statements.get(cacheKey);
    if (!stmt) {
      stmt = this.db.prepare(
        `SELECT ${GROUP_KEY[group]} AS k,
           sum(counted_micros) AS spent,
           sum(type = 'spend.approved') AS approved,
           sum(type = 'spend.declined') AS declined,
           sum(type = 'spend.refused') AS refused,
           sum(CASE WHEN type = 'spend.declined' THEN coalesce(amount_micros, 0) ELSE 0 END) AS declined_micros,
           sum(CASE WHEN type = 'spend.refused' THEN coalesce(amount_micros, 0) ELSE 0 END) AS refused_micros
         FROM ledger INDEXED BY ledger_spending
         WHERE ts >= @from AND ts < @to AND ${SPENDING_ENTRIES}${byMode ? ' AND mode = @mode' : ''}
         GROUP BY k`,
      );
      this.statements.set(cacheKey, stmt);
    }
    return stmt;
  }
}
