import type { BudgetService } from '../budgets/budget-service';
import type { TxContext } from '../db/committer';
import { invalidTransition, notFound } from '../errors';
import { settleForLess } from '../spend/settlement';
import { adjustUsage } from '../spend/usage';
import type { WalletDeps, WriterDeps } from '../wallet-deps';
import type { ReceiptRecord } from './receipt-repository';

/** What the review of receipts uses of the wallet: no more (wallet.ts wires it). */
export type ReceiptReviewDeps = Pick<
  WalletDeps,
  WriterDeps | 'funding' | 'meters' | 'payouts' | 'receipts' | 'spends' | 'x402Payments'
>;

/**
 * The owner's answer to what a receipt claims (docs/money-integrity.md, rule 2): accepting
 * counts a held part against the shared limits, or settles the request for what the receipt
 * said; disputing leaves the shared limits and the request as they were. Each is ledgered,
 * once. The agent stays as it is (a held receipt paused it): the owner resumes it by hand.
 */
export class ReceiptReviewService {
  constructor(
    private readonly d: ReceiptReviewDeps,
    private readonly budgets: Pick<BudgetService, 'draw'>,
  ) {}

  accept(id: string, comment: string | null): Promise<ReceiptRecord> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const receipt = this.open(id);
      const review = receipt.review as NonNullable<ReceiptRecord['review']>;
      let released = 0n;
      if (review.kind === 'shared_excess') {
        if (receipt.usageId === null) throw new Error(`held receipt ${id} has no usage`);
        adjustUsage(d, receipt.usageId, { micros: 0n, shared: review.micros });
      } else {
        released = this.settleRequest(tx, receipt, comment, now);
      }
      return this.close(tx, receipt, 'accepted', comment, now, {
        kind: review.kind,
        // Accepting a held part counts it against the shared limits (and the balance).
        shared_micros: review.kind === 'shared_excess' ? review.micros.toString() : '0',
        released_micros: released.toString(),
      });
    });
  }

  dispute(id: string, comment: string | null): Promise<ReceiptRecord> {
    return this.d.committer.run((tx) => {
      const receipt = this.open(id);
      return this.close(tx, receipt, 'disputed', comment, this.d.clock.now(), {
        kind: receipt.review?.kind,
      });
    });
  }

  /** Settles the receipt's request for the receipt's amount, if it still counts more. */
  private settleRequest(
    tx: TxContext,
    receipt: ReceiptRecord,
    comment: string | null,
    now: number,
  ): bigint {
    const request = receipt.spendRequestId ? this.d.spends.get(receipt.spendRequestId) : undefined;
    if (!request) throw new Error(`receipt ${receipt.id} settles no request`);
    const counted = request.usageId === null ? undefined : this.d.meters.usage(request.usageId);
    // Already settled lower (by the owner, or released by the chain): nothing more to give.
    if (!counted || counted.micros <= receipt.amount) return 0n;
    return settleForLess(this.d, this.budgets, tx, request, receipt.amount, now, {
      actor: 'owner',
      comment,
      data: { receipt_id: receipt.id },
    });
  }

  private open(id: string): ReceiptRecord {
    const receipt = this.d.receipts.get(id);
    if (!receipt) throw notFound('receipt', id);
    if (receipt.review?.status !== 'open') {
      throw invalidTransition(
        receipt.review
          ? `Receipt ${id} was already ${receipt.review.status}.`
          : `Receipt ${id} has nothing to review.`,
        { id, review: receipt.review?.status ?? null },
      );
    }
    return receipt;
  }

  private close(
    tx: TxContext,
    receipt: ReceiptRecord,
    status: 'accepted' | 'disputed',
    comment: string | null,
    now: number,
    data: Record<string, unknown>,
  ): ReceiptRecord {
    const { d } = this;
    if (!d.receipts.resolveReview(receipt.id, status, comment, now))
      throw new Error(`review of ${receipt.id} could not be closed`);
    const agent = d.agents.get(receipt.agentId);
    d.ledger.append(
      {
        type: `receipt.${status}`,
        actor: 'owner',
        mode: agent?.mode ?? null,
        agentId: receipt.agentId,
        objectId: receipt.id,
        amount: receipt.review?.micros ?? 0n,
        status,
        merchant: receipt.merchant,
        rail: receipt.rail,
        data: { ...data, usage_id: receipt.usageId, comment },
      },
      now,
    );
    const updated = d.receipts.get(receipt.id) as ReceiptRecord;
    tx.afterCommit(() => d.events.emit('receipt', updated));
    return updated;
  }
}
