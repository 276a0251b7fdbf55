import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { Rail } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';
import type { OVER_LIMITS, RECEIPT_FLAGS } from '../../../shared/schemas/receipts';

export type ReceiptFlag = (typeof RECEIPT_FLAGS)[number];
export type OverLimit = (typeof OVER_LIMITS)[number];

export interface ReceiptRecord {
  id: string;
  agentId: string;
  keyId: string;
  amount: Micros;
  merchant: string;
  host: string | null;
  rail: Rail;
  spendRequestId: string | null;
  budgetRequestId: string | null;
  txHash: string | null;
  network: string | null;
  occurredAt: number | null;
  counted: Micros;
  usageId: number | null;
  overLimits: OverLimit[];
  flags: ReceiptFlag[];
  metadata: Record<string, unknown> | null;
  createdAt: number;
}

interface Row {
  id: string;
  agent_id: string;
  key_id: string;
  amount_micros: bigint;
  merchant: string;
  host: string | null;
  rail: Rail;
  spend_request_id: string | null;
  budget_request_id: string | null;
  tx_hash: string | null;
  network: string | null;
  occurred_at: bigint | null;
  counted_micros: bigint;
  usage_id: bigint | null;
  over_budget: bigint;
  flags: string;
  metadata: string | null;
  created_at: bigint;
}

const fromRow = (r: Row): ReceiptRecord => {
  const stored = JSON.parse(r.flags) as { flags: ReceiptFlag[]; over: OverLimit[] };
  return {
    id: r.id,
    agentId: r.agent_id,
    keyId: r.key_id,
    amount: r.amount_micros,
    merchant: r.merchant,
    host: r.host,
    rail: r.rail,
    spendRequestId: r.spend_request_id,
    budgetRequestId: r.budget_request_id,
    txHash: r.tx_hash,
    network: r.network,
    occurredAt: r.occurred_at === null ? null : Number(r.occurred_at),
    counted: r.counted_micros,
    usageId: r.usage_id === null ? null : Number(r.usage_id),
    overLimits: stored.over,
    flags: stored.flags,
    metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
    createdAt: Number(r.created_at),
  };
};

/** SQL for receipts. */
export class ReceiptRepository {
  private readonly insertStmt: Statement;
  private readonly byId: Statement<[string], Row>;
  private readonly bySpend: Statement<[string], Row>;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO receipts (id, agent_id, key_id, amount_micros, merchant, host, rail, spend_request_id,
         budget_request_id, tx_hash, network, occurred_at, counted_micros, usage_id, over_budget, flags, metadata, created_at)
       VALUES (@id, @agentId, @keyId, @amount, @merchant, @host, @rail, @spendRequestId, @budgetRequestId, @txHash,
         @network, @occurredAt, @counted, @usageId, @overBudget, @flags, @metadata, @createdAt)`,
    );
    this.byId = db.prepare('SELECT * FROM receipts WHERE id = ?');
    this.bySpend = db.prepare('SELECT * FROM receipts WHERE spend_request_id = ?');
  }

  insert(r: ReceiptRecord): void {
    this.insertStmt.run({
      ...r,
      overBudget: r.overLimits.length > 0 ? 1 : 0,
      flags: JSON.stringify({ flags: r.flags, over: r.overLimits }),
      metadata: r.metadata === null ? null : JSON.stringify(r.metadata),
    });
  }

  get(id: string): ReceiptRecord | undefined {
    const row = this.byId.get(id);
    return row && fromRow(row);
  }

  /** The receipt that settled a spend request, if one did. */
  settling(spendRequestId: string): ReceiptRecord | undefined {
    const row = this.bySpend.get(spendRequestId);
    return row && fromRow(row);
  }
}
