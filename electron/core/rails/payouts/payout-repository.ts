import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/types';
import type { PayoutStatus } from '../../../../shared/domain';
import type { Micros } from '../../../../shared/money';
import type { Address } from '../../chain/chain-config';

export interface PayoutIntent {
  id: string;
  agentId: string;
  spendRequestId: string;
  /** The address book entry the agent named, if it named one. */
  recipientId: string | null;
  /** The payee, checksummed. */
  address: Address;
  chain: string;
  network: string;
  asset: Address;
  /** The agent's Purser-held wallet. */
  payer: Address;
  units: bigint;
  micros: Micros;
  reason: string;
  metadata: Record<string, unknown> | null;
  status: PayoutStatus;
  pendingReason: string | null;
  failureReason: string | null;
  /** The EIP-3009 nonce, stored with its signature before anything is sent. */
  nonce: `0x${string}` | null;
  validBefore: number | null;
  signature: `0x${string}` | null;
  /** The owner's account that sends the transaction and pays its gas. */
  submitter: Address | null;
  /** The signed transaction, stored before it is sent. */
  rawTx: `0x${string}` | null;
  txHash: `0x${string}` | null;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  agent_id: string;
  spend_request_id: string;
  recipient_id: string | null;
  address: Address;
  chain: string;
  network: string;
  asset: Address;
  payer: Address;
  amount_units: string;
  amount_micros: bigint;
  reason: string;
  metadata: string | null;
  status: PayoutStatus;
  pending_reason: string | null;
  failure_reason: string | null;
  nonce: `0x${string}` | null;
  valid_before: bigint | null;
  signature: `0x${string}` | null;
  submitter: Address | null;
  raw_tx: `0x${string}` | null;
  tx_hash: `0x${string}` | null;
  created_at: bigint;
  updated_at: bigint;
}

const fromRow = (r: Row): PayoutIntent => ({
  id: r.id,
  agentId: r.agent_id,
  spendRequestId: r.spend_request_id,
  recipientId: r.recipient_id,
  address: r.address,
  chain: r.chain,
  network: r.network,
  asset: r.asset,
  payer: r.payer,
  units: BigInt(r.amount_units),
  micros: r.amount_micros,
  reason: r.reason,
  metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
  status: r.status,
  pendingReason: r.pending_reason,
  failureReason: r.failure_reason,
  nonce: r.nonce,
  validBefore: r.valid_before === null ? null : Number(r.valid_before),
  signature: r.signature,
  submitter: r.submitter,
  rawTx: r.raw_tx,
  txHash: r.tx_hash,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export type NewPayout = Pick<
  PayoutIntent,
  | 'id'
  | 'agentId'
  | 'spendRequestId'
  | 'recipientId'
  | 'address'
  | 'chain'
  | 'network'
  | 'asset'
  | 'payer'
  | 'units'
  | 'micros'
  | 'reason'
  | 'metadata'
  | 'status'
  | 'pendingReason'
  | 'createdAt'
>;

/**
 * SQL for payout intents. Every status change is a guarded UPDATE (`… AND status = ?`), so
 * each transition happens once however many callers race (docs/payouts.md).
 */
export class PayoutRepository {
  private readonly insertStmt: Statement;
  private readonly byId: Statement<[string], Row>;
  private readonly bySpend: Statement<[string], Row>;
  private readonly byNonce: Statement<[string], Row>;
  private readonly openStmt: Statement<[], Row>;
  private readonly moveStmt: Statement;
  private readonly authorizeStmt: Statement;
  private readonly submitStmt: Statement;
  private readonly completeStmt: Statement;
  private readonly failStmt: Statement;
  private readonly paidBeforeStmt: Statement<[string, string, string], { n: bigint }>;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO payout_intents (id, agent_id, spend_request_id, recipient_id, address, chain,
         network, asset, payer, amount_units, amount_micros, reason, metadata, status, pending_reason,
         created_at, updated_at)
       VALUES (@id, @agentId, @spendRequestId, @recipientId, @address, @chain, @network, @asset,
         @payer, @units, @micros, @reason, @metadata, @status, @pendingReason, @createdAt, @createdAt)`,
    );
    this.byId = db.prepare<[string], Row>('SELECT * FROM payout_intents WHERE id = ?');
    this.bySpend = db.prepare<[string], Row>(
      'SELECT * FROM payout_intents WHERE spend_request_id = ?',
    );
    this.byNonce = db.prepare<[string], Row>('SELECT * FROM payout_intents WHERE nonce = ?');
    this.openStmt = db.prepare<[], Row>(
      `SELECT * FROM payout_intents
       WHERE status IN ('needs_approval', 'approved', 'awaiting_signature', 'submitted')
       ORDER BY created_at`,
    );
    this.moveStmt = db.prepare(
      `UPDATE payout_intents SET status = ?, pending_reason = ?, updated_at = ?
       WHERE id = ? AND status = ?`,
    );
    this.authorizeStmt = db.prepare(
      `UPDATE payout_intents SET nonce = ?, valid_before = ?, signature = ?, pending_reason = NULL,
         updated_at = ?
       WHERE id = ? AND status IN ('approved', 'awaiting_signature') AND nonce IS NULL`,
    );
    this.submitStmt = db.prepare(
      `UPDATE payout_intents SET status = 'submitted', submitter = ?, raw_tx = ?, tx_hash = ?,
         pending_reason = NULL, updated_at = ?
       WHERE id = ? AND status IN ('approved', 'awaiting_signature', 'submitted') AND nonce IS NOT NULL`,
    );
    this.completeStmt = db.prepare(
      `UPDATE payout_intents SET status = 'completed', tx_hash = ?, failure_reason = NULL,
         pending_reason = NULL, updated_at = ?
       WHERE id = ? AND status IN ('approved', 'awaiting_signature', 'submitted', 'failed')`,
    );
    this.failStmt = db.prepare(
      `UPDATE payout_intents SET status = 'failed', failure_reason = ?, pending_reason = NULL,
         updated_at = ?
       WHERE id = ? AND status IN ('approved', 'awaiting_signature', 'submitted')`,
    );
    this.paidBeforeStmt = db.prepare<[string, string, string], { n: bigint }>(
      `SELECT count(*) AS n FROM payout_intents
       WHERE agent_id = ? AND address = ? AND status = 'completed' AND id != ?`,
    );
  }

  insert(p: NewPayout): void {
    this.insertStmt.run({
      ...p,
      units: p.units.toString(),
      metadata: p.metadata === null ? null : JSON.stringify(p.metadata),
    });
  }

  get(id: string): PayoutIntent | undefined {
    const row = this.byId.get(id);
    return row ? fromRow(row) : undefined;
  }

  ofSpendRequest(id: string): PayoutIntent | undefined {
    const row = this.bySpend.get(id);
    return row ? fromRow(row) : undefined;
  }

  byNonceOf(nonce: string): PayoutIntent | undefined {
    const row = this.byNonce.get(nonce.toLowerCase());
    return row ? fromRow(row) : undefined;
  }

  /** Payouts not yet at an end: waiting for the owner, to be signed, or sent. */
  open(): PayoutIntent[] {
    return this.openStmt.all().map(fromRow);
  }

  /** Moves a payout between two statuses; false if it was no longer in `from`. */
  move(
    id: string,
    from: PayoutStatus,
    to: PayoutStatus,
    pendingReason: string | null,
    now: number,
  ): boolean {
    return this.moveStmt.run(to, pendingReason, now, id, from).changes === 1;
  }

  /** Stores the signed authorization; once only (a second signing finds the nonce set). */
  authorize(
    id: string,
    nonce: string,
    validBefore: number,
    signature: string,
    now: number,
  ): boolean {
    return (
      this.authorizeStmt.run(nonce.toLowerCase(), validBefore, signature, now, id).changes === 1
    );
  }

  /** Stores the signed transaction and its hash, before it is sent. */
  submit(id: string, submitter: Address, rawTx: string, txHash: string, now: number): boolean {
    return this.submitStmt.run(submitter, rawTx, txHash, now, id).changes === 1;
  }

  complete(id: string, txHash: string, now: number): boolean {
    return this.completeStmt.run(txHash, now, id).changes === 1;
  }

  fail(id: string, reason: string, now: number): boolean {
    return this.failStmt.run(reason, now, id).changes === 1;
  }

  /** Whether this agent has paid `address` before (the approval prompt says so). */
  paidBefore(agentId: string, address: string, exceptId: string): boolean {
    return (this.paidBeforeStmt.get(agentId, address, exceptId)?.n ?? 0n) > 0n;
  }
}
