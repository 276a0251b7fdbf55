import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { Address } from './chain-config';

/** A token Transfer seen in the chain's logs, with who sent the transaction. */
export interface Transfer {
  chain: string;
  txHash: `0x${string}`;
  logIndex: number;
  block: number;
  from: Address;
  to: Address;
  /** The transaction's sender: for a transferFrom, the spender of an allowance. */
  sender: Address;
  units: bigint;
  agentId: string | null;
  /** The x402 payment or spend request it settled; null when it matched nothing. */
  matched: string | null;
}

interface Row {
  chain: string;
  tx_hash: `0x${string}`;
  log_index: bigint;
  block: bigint;
  from_address: Address;
  to_address: Address;
  sender: Address;
  value_units: string;
  agent_id: string | null;
  matched: string | null;
}

const fromRow = (r: Row): Transfer => ({
  chain: r.chain,
  txHash: r.tx_hash,
  logIndex: Number(r.log_index),
  block: Number(r.block),
  from: r.from_address,
  to: r.to_address,
  sender: r.sender,
  units: BigInt(r.value_units),
  agentId: r.agent_id,
  matched: r.matched,
});

/** SQL for reconciled transfers; the primary key makes a re-read log a no-op. */
export class TransferRepository {
  private readonly insertStmt: Statement;
  private readonly matchedStmt: Statement<[string], { n: bigint }>;
  private readonly bySpenderStmt: Statement<[string, string], Row>;
  private readonly recentStmt: Statement<[number], Row>;
  private readonly openSpendStmt: Statement<[string, bigint], { id: string }>;
  private readonly unmatchedWaitingStmt: Statement<[], { n: bigint }>;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO chain_transfers (chain, tx_hash, log_index, block, from_address, to_address, sender, value_units, agent_id, matched)
       VALUES (@chain, @txHash, @logIndex, @block, @from, @to, @sender, @units, @agentId, @matched)
       ON CONFLICT DO NOTHING`,
    );
    this.matchedStmt = db.prepare<[string], { n: bigint }>(
      'SELECT count(*) AS n FROM chain_transfers WHERE matched = ?',
    );
    this.bySpenderStmt = db.prepare<[string, string], Row>(
      'SELECT * FROM chain_transfers WHERE from_address = ? AND sender = ? ORDER BY block',
    );
    // An approved request that nothing has settled yet: no transfer, receipt or x402 payment.
    this.openSpendStmt = db.prepare<[string, bigint], { id: string }>(
      `SELECT s.id FROM spend_requests s
       WHERE s.agent_id = ? AND s.status = 'approved' AND s.amount_micros = ?
         AND NOT EXISTS (SELECT 1 FROM chain_transfers t WHERE t.matched = s.id)
         AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.spend_request_id = s.id)
         AND NOT EXISTS (SELECT 1 FROM x402_payments p WHERE p.spend_request_id = s.id)
       ORDER BY s.created_at LIMIT 1`,
    );
    // Through the partial index of unmatched transfers (migration 0010): as cheap with a
    // million settled transfers as with none.
    this.unmatchedWaitingStmt = db.prepare<[], { n: bigint }>(
      `SELECT count(*) AS n FROM chain_transfers t INDEXED BY chain_transfers_unmatched
       LEFT JOIN agents a ON a.id = t.agent_id
       WHERE t.matched IS NULL AND (t.agent_id IS NULL OR a.status = 'paused')`,
    );
    this.recentStmt = db.prepare<[number], Row>(
      'SELECT * FROM chain_transfers ORDER BY block DESC, log_index DESC LIMIT ?',
    );
  }

  /** False if this log was already reconciled. */
  insert(t: Transfer): boolean {
    return this.insertStmt.run({ ...t, units: t.units.toString() }).changes === 1;
  }

  isMatched(objectId: string): boolean {
    return (this.matchedStmt.get(objectId)?.n ?? 0n) > 0n;
  }

  /** What a spender moved out of `owner` through its allowance. */
  spentBy(owner: Address, spender: Address): Transfer[] {
    return this.bySpenderStmt.all(owner, spender).map(fromRow);
  }

  /** The oldest approved, unsettled request of this agent for exactly this amount. */
  openApprovedSpend(agentId: string, micros: bigint): string | undefined {
    return this.openSpendStmt.get(agentId, micros)?.id;
  }

  /**
   * Unmatched transfers that still wait for the owner: the reconciler paused their agent
   * "until the owner looks", so resuming (or revoking) the agent is acting on one; a
   * transfer no agent accounts for (an unknown spender of the owner's account) has no
   * agent to resume and stays listed.
   */
  unmatchedWaiting(): number {
    return Number(this.unmatchedWaitingStmt.get()?.n ?? 0n);
  }

  recent(limit: number): Transfer[] {
    return this.recentStmt.all(limit).map(fromRow);
  }
}
