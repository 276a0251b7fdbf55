import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/types';
import type { X402Status } from '../../../../shared/domain';
import type { Micros } from '../../../../shared/money';
import type { PaymentRequired, PaymentRequirements } from '@x402/core/types';
import type { Address } from '../../chain/chain-config';

export interface X402Payment {
  id: string;
  /** x402, or MPP's `evm` charge (docs/mpp.md): the same kind of authorization. */
  protocol: 'x402' | 'mpp';
  agentId: string;
  spendRequestId: string;
  chain: string;
  network: string;
  asset: Address;
  payTo: Address;
  payer: Address;
  units: bigint;
  micros: Micros;
  resourceUrl: string;
  x402Version: number;
  paymentRequired: PaymentRequired;
  /** Exactly the requirement judged and signed. */
  requirement: PaymentRequirements;
  status: X402Status;
  /** The EIP-3009 nonce, stored with the idempotency key before the signature leaves. */
  nonce: `0x${string}` | null;
  validBefore: number | null;
  /** The PAYMENT-SIGNATURE (v2) or X-PAYMENT (v1) header value. */
  header: string | null;
  txHash: string | null;
  /** What the chain showed moving: the amount for `exact`, at most the maximum for `upto`. */
  settledUnits: bigint | null;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  protocol: 'x402' | 'mpp';
  agent_id: string;
  spend_request_id: string;
  chain: string;
  network: string;
  asset: Address;
  pay_to: Address;
  payer: Address;
  amount_units: string;
  amount_micros: bigint;
  resource_url: string;
  x402_version: bigint;
  payment_required: string;
  requirement: string;
  status: X402Status;
  nonce: `0x${string}` | null;
  valid_before: bigint | null;
  payment_header: string | null;
  tx_hash: string | null;
  settled_units: string | null;
  created_at: bigint;
  updated_at: bigint;
}

const fromRow = (r: Row): X402Payment => ({
  id: r.id,
  protocol: r.protocol,
  agentId: r.agent_id,
  spendRequestId: r.spend_request_id,
  chain: r.chain,
  network: r.network,
  asset: r.asset,
  payTo: r.pay_to,
  payer: r.payer,
  units: BigInt(r.amount_units),
  micros: r.amount_micros,
  resourceUrl: r.resource_url,
  x402Version: Number(r.x402_version),
  paymentRequired: JSON.parse(r.payment_required) as PaymentRequired,
  requirement: JSON.parse(r.requirement) as PaymentRequirements,
  status: r.status,
  nonce: r.nonce,
  validBefore: r.valid_before === null ? null : Number(r.valid_before),
  header: r.payment_header,
  txHash: r.tx_hash,
  settledUnits: r.settled_units === null ? null : BigInt(r.settled_units),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** SQL for x402 payments. Every status change is a guarded UPDATE: it happens once. */
export class X402PaymentRepository {
  private readonly insertStmt: Statement;
  private readonly byId: Statement<[string], Row>;
  private readonly bySpend: Statement<[string], Row>;
  private readonly byNonce: Statement<[string], Row>;
  private readonly openStmt: Statement<[], Row>;
  private readonly moveStmt: Statement;
  private readonly signStmt: Statement;
  private readonly reserveNonceStmt: Statement;
  private readonly settleStmt: Statement;
  private readonly paidBeforeStmt: Statement<[string, string, string], { n: bigint }>;
  private readonly ofAgentStmt: Statement<[string, number], Row>;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO x402_payments (id, protocol, agent_id, spend_request_id, chain, network, asset, pay_to,
         payer, amount_units, amount_micros, resource_url, x402_version, payment_required, requirement,
         status, created_at, updated_at)
       VALUES (@id, @protocol, @agentId, @spendRequestId, @chain, @network, @asset, @payTo, @payer, @units,
         @micros, @resourceUrl, @x402Version, @paymentRequired, @requirement, @status, @createdAt,
         @createdAt)`,
    );
    this.byId = db.prepare<[string], Row>('SELECT * FROM x402_payments WHERE id = ?');
    this.bySpend = db.prepare<[string], Row>(
      'SELECT * FROM x402_payments WHERE spend_request_id = ?',
    );
    this.byNonce = db.prepare<[string], Row>('SELECT * FROM x402_payments WHERE nonce = ?');
    this.openStmt = db.prepare<[], Row>(
      "SELECT * FROM x402_payments WHERE status IN ('awaiting_approval', 'reserved', 'signed') ORDER BY created_at",
    );
    this.moveStmt = db.prepare(
      'UPDATE x402_payments SET status = ?, updated_at = ? WHERE id = ? AND status = ?',
    );
    this.signStmt = db.prepare(
      `UPDATE x402_payments SET status = 'signed', nonce = ?, valid_before = ?, payment_header = ?, updated_at = ?
       WHERE id = ? AND status = 'reserved'`,
    );
    this.reserveNonceStmt = db.prepare(
      'UPDATE x402_payments SET nonce = ?, valid_before = ? WHERE id = ? AND nonce IS NULL',
    );
    this.settleStmt = db.prepare(
      `UPDATE x402_payments SET status = 'settled', tx_hash = ?, settled_units = ?, updated_at = ?
       WHERE id = ? AND status IN ('signed', 'released')`,
    );
    this.paidBeforeStmt = db.prepare<[string, string, string], { n: bigint }>(
      "SELECT count(*) AS n FROM x402_payments WHERE agent_id = ? AND pay_to = ? AND status = 'settled' AND id != ?",
    );
    this.ofAgentStmt = db.prepare<[string, number], Row>(
      'SELECT * FROM x402_payments WHERE agent_id = ? ORDER BY created_at DESC LIMIT ?',
    );
  }

  insert(
    p: Omit<
      X402Payment,
      'nonce' | 'validBefore' | 'header' | 'txHash' | 'settledUnits' | 'updatedAt'
    >,
  ) {
    this.insertStmt.run({
      ...p,
      units: p.units.toString(),
      paymentRequired: JSON.stringify(p.paymentRequired),
      requirement: JSON.stringify(p.requirement),
    });
  }

  get(id: string): X402Payment | undefined {
    const row = this.byId.get(id);
    return row ? fromRow(row) : undefined;
  }

  ofSpendRequest(id: string): X402Payment | undefined {
    const row = this.bySpend.get(id);
    return row ? fromRow(row) : undefined;
  }

  byNonceOf(nonce: string): X402Payment | undefined {
    const row = this.byNonce.get(nonce.toLowerCase());
    return row ? fromRow(row) : undefined;
  }

  open(): X402Payment[] {
    return this.openStmt.all().map(fromRow);
  }

  recent(agentId: string, limit: number): X402Payment[] {
    return this.ofAgentStmt.all(agentId, limit).map(fromRow);
  }

  /** Moves a payment from one status to another; false if it was no longer in `from`. */
  move(id: string, from: X402Status, to: X402Status, now: number): boolean {
    return this.moveStmt.run(to, now, id, from).changes === 1;
  }

  sign(id: string, nonce: string, validBefore: number, header: string, now: number): boolean {
    return this.signStmt.run(nonce.toLowerCase(), validBefore, header, now, id).changes === 1;
  }

  /**
   * An MPP payment's nonce and deadline are its challenge's, known before signing: stored
   * with the reservation, so that the same challenge can never be reserved twice.
   */
  reserveNonce(id: string, nonce: string, validBefore: number): void {
    this.reserveNonceStmt.run(nonce.toLowerCase(), validBefore, id);
  }

  settle(id: string, txHash: string, units: bigint, now: number): boolean {
    return this.settleStmt.run(txHash, units.toString(), now, id).changes === 1;
  }

  /** Whether this agent's wallet has paid `payTo` before (shown in the approval prompt). */
  paidBefore(agentId: string, payTo: string, exceptId: string): boolean {
    return (this.paidBeforeStmt.get(agentId, payTo, exceptId)?.n ?? 0n) > 0n;
  }
}
