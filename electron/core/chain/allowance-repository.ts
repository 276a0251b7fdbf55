import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { Address } from './chain-config';

/** The allowance Purser last set for an agent that holds its own key. */
export interface Allowance {
  agentId: string;
  chain: string;
  spender: Address;
  units: bigint;
  status: 'active' | 'revoked';
  resetEachWindow: boolean;
  /** The budget window the allowance was last reset for. */
  windowStart: number | null;
  txHash: string | null;
  updatedAt: number;
}

interface Row {
  agent_id: string;
  chain: string;
  spender: Address;
  amount_units: string;
  status: 'active' | 'revoked';
  reset_each_window: bigint;
  window_start: bigint | null;
  tx_hash: string | null;
  updated_at: bigint;
}

const fromRow = (r: Row): Allowance => ({
  agentId: r.agent_id,
  chain: r.chain,
  spender: r.spender,
  units: BigInt(r.amount_units),
  status: r.status,
  resetEachWindow: r.reset_each_window === 1n,
  windowStart: r.window_start === null ? null : Number(r.window_start),
  txHash: r.tx_hash,
  updatedAt: Number(r.updated_at),
});

export class AllowanceRepository {
  private readonly upsertStmt: Statement;
  private readonly oneStmt: Statement<[string], Row>;
  private readonly allStmt: Statement<[], Row>;
  private readonly bySpenderStmt: Statement<[string], Row>;

  constructor(db: Db) {
    this.upsertStmt = db.prepare(
      `INSERT INTO allowances (agent_id, chain, spender, amount_units, status, reset_each_window, window_start, tx_hash, updated_at)
       VALUES (@agentId, @chain, @spender, @units, @status, @reset, @windowStart, @txHash, @updatedAt)
       ON CONFLICT (agent_id) DO UPDATE SET chain = excluded.chain, spender = excluded.spender,
         amount_units = excluded.amount_units, status = excluded.status,
         reset_each_window = excluded.reset_each_window, window_start = excluded.window_start,
         tx_hash = excluded.tx_hash, updated_at = excluded.updated_at`,
    );
    this.oneStmt = db.prepare<[string], Row>('SELECT * FROM allowances WHERE agent_id = ?');
    this.allStmt = db.prepare<[], Row>('SELECT * FROM allowances ORDER BY agent_id');
    this.bySpenderStmt = db.prepare<[string], Row>('SELECT * FROM allowances WHERE spender = ?');
  }

  put(a: Allowance): void {
    this.upsertStmt.run({
      ...a,
      units: a.units.toString(),
      reset: a.resetEachWindow ? 1 : 0,
    });
  }

  get(agentId: string): Allowance | undefined {
    const row = this.oneStmt.get(agentId);
    return row ? fromRow(row) : undefined;
  }

  bySpender(spender: Address): Allowance | undefined {
    const row = this.bySpenderStmt.get(spender);
    return row ? fromRow(row) : undefined;
  }

  list(): Allowance[] {
    return this.allStmt.all().map(fromRow);
  }
}
