import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { Rail } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';
import type {
  OVER_LIMITS,
  RECEIPT_FLAGS,
  REVIEW_KINDS,
  REVIEW_STATUSES,
} from '../../../shared/schemas/receipts';

export type ReceiptFlag = (typeof RECEIPT_FLAGS)[number];
export type OverLimit = (typeof OVER_LIMITS)[number];
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/**
 * A claim in a receipt that waits for the owner (docs/money-integrity.md): money it would
 * take from a shared limit beyond the agent's own headroom (`shared_excess`), or a
 * settlement for less than its request (`settled_for_less`), whose difference only the
 * owner can release.
 */
export interface ReceiptReview {
  kind: ReviewKind;
  status: ReviewStatus;
  micros: Micros;
  reviewedAt: number | null;
  comment: string | null;
}

export interface ReceiptRecord {
  id: string;
  agentId: string;
  keyId: string;
  amount: Micros;
  merchant: string;
  host: string | null;
  rail: Rail;
  spendRequestId: string | null;
  /** Whether it settled `spendRequestId` (an approved request), or only named it. */
  settles: boolean;
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
  review: ReceiptReview | null;
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
  settles: bigint;
  review: ReviewStatus | null;
  review_kind: ReviewKind | null;
  review_micros: bigint;
  reviewed_at: bigint | null;
  review_comment: string | null;
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
    settles: r.settles === 1n,
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
    review:
      r.review === null || r.review_kind === null
        ? null
        : {
            kind: r.review_kind,
            status: r.review,
            micros: r.review_micros,
            reviewedAt: r.reviewed_at === null ? null : Number(r.reviewed_at),
            comment: r.review_comment,
          },
  };
};

/** SQL for receipts. */
export class ReceiptRepository {
  private readonly insertStmt: Statement;
  private readonly byId: Statement<[string], Row>;
  private readonly settlingStmt: Statement<[string], Row>;
  private readonly closeReview: Statement<[string, number, string | null, string]>;
  private readonly openReviewsStmt: Statement<[string, number], Row>;
  private readonly openReviewIds: Statement<[string], string>;
  private readonly openReviewCounts: Statement<[], { agent_id: string; n: bigint }>;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO receipts (id, agent_id, key_id, amount_micros, merchant, host, rail, spend_request_id,
         settles, budget_request_id, tx_hash, network, occurred_at, counted_micros, usage_id, over_budget,
         flags, metadata, created_at, review, review_kind, review_micros)
       VALUES (@id, @agentId, @keyId, @amount, @merchant, @host, @rail, @spendRequestId, @settlesInt,
         @budgetRequestId, @txHash, @network, @occurredAt, @counted, @usageId, @overBudget, @flags,
         @metadata, @createdAt, @reviewStatus, @reviewKind, @reviewMicros)`,
    );
    this.byId = db.prepare('SELECT * FROM receipts WHERE id = ?');
    this.settlingStmt = db.prepare(
      'SELECT * FROM receipts WHERE spend_request_id = ? AND settles = 1',
    );
    // Guarded: a review is closed once.
    this.closeReview = db.prepare(
      `UPDATE receipts SET review = ?, reviewed_at = ?, review_comment = ?
       WHERE id = ? AND review = 'open'`,
    );
    this.openReviewsStmt = db.prepare(
      `SELECT * FROM receipts WHERE review = 'open' AND agent_id = ?
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    );
    this.openReviewIds = db
      .prepare<[string], string>(
        "SELECT id FROM receipts WHERE review = 'open' AND agent_id = ? ORDER BY created_at",
      )
      .pluck();
    this.openReviewCounts = db.prepare(
      "SELECT agent_id, count(*) AS n FROM receipts WHERE review = 'open' GROUP BY agent_id",
    );
  }

  insert(r: ReceiptRecord): void {
    this.insertStmt.run({
      ...r,
      settlesInt: r.settles ? 1 : 0,
      overBudget: r.overLimits.length > 0 ? 1 : 0,
      flags: JSON.stringify({ flags: r.flags, over: r.overLimits }),
      metadata: r.metadata === null ? null : JSON.stringify(r.metadata),
      reviewStatus: r.review?.status ?? null,
      reviewKind: r.review?.kind ?? null,
      reviewMicros: r.review?.micros ?? 0n,
    });
  }

  get(id: string): ReceiptRecord | undefined {
    const row = this.byId.get(id);
    return row && fromRow(row);
  }

  /** The receipt that settled a spend request, if one did. */
  settling(spendRequestId: string): ReceiptRecord | undefined {
    const row = this.settlingStmt.get(spendRequestId);
    return row && fromRow(row);
  }

  /** Closes an open review; false if it was not open any more. */
  resolveReview(
    id: string,
    status: Exclude<ReviewStatus, 'open'>,
    comment: string | null,
    now: number,
  ): boolean {
    return this.closeReview.run(status, now, comment, id).changes === 1;
  }

  /** One agent's open reviews, newest first. */
  openReviews(agentId: string, limit: number): ReceiptRecord[] {
    return this.openReviewsStmt.all(agentId, limit).map(fromRow);
  }

  /** Every open review of one agent, oldest first (for disputing them all). */
  openReviewIdsOf(agentId: string): string[] {
    return this.openReviewIds.all(agentId);
  }

  /** Open reviews per agent. */
  openReviewCountByAgent(): Map<string, number> {
    return new Map(this.openReviewCounts.all().map((r) => [r.agent_id, Number(r.n)]));
  }
}
