import type { Migration } from '../types';

/**
 * The Spending view (docs/spending.md) sums the ledger's money entries and spend attempts
 * over a range of time. Without an index on `ts` that is a scan of the whole ledger. This
 * one holds only the entries the view reads (`SPENDING_ENTRIES` in
 * electron/core/spending/spending-query.ts repeats its condition word for word, which is
 * what lets SQLite use a partial index), and every column the view groups or sums by except
 * a category, so a range's read touches that range's index entries and nothing else. It
 * leaves the ledger's pages and export to the plans they had: no other query names its
 * condition.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'ledger-spending-by-time',
  up: `
    CREATE INDEX ledger_spending ON ledger
      (ts, mode, type, counted_micros, amount_micros, agent_id, merchant, rail)
      WHERE counted_micros <> 0 OR type IN ('spend.approved', 'spend.declined', 'spend.refused');
  `,
};
