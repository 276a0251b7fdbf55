import type { ReceiptRecord } from '../../../core/receipts/receipt-repository';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';
import { ownerReceiptView } from '../../owner-views';

/** Receipts for the owner: payments agents reported making elsewhere, and their reviews. */
export function ownerReceiptHandlers({
  wallet,
}: RouteContext): OwnerHandlerGroup<'listReceipts' | 'acceptReceipt' | 'disputeReceipt'> {
  const view = (r: ReceiptRecord) => ownerReceiptView(r, wallet.agents.nameOf(r.agentId));
  return {
    listReceipts: ({ query: q }) => {
      const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
      const page = wallet.receipts.page(
        {
          agentId: q.agent_id,
          rail: q.rail,
          overBudget: q.over_budget === undefined ? undefined : q.over_budget ? 1 : 0,
          from: q.from === undefined ? undefined : Date.parse(q.from),
          to: q.to === undefined ? undefined : Date.parse(q.to),
          before: q.before,
          review: q.review,
        },
        limit,
      );
      return {
        receipts: page.map(view),
        next_before: page.length === limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
    acceptReceipt: async ({ params, body }) =>
      view(await wallet.receiptReviews.accept(params.id, body.comment ?? null)),
    disputeReceipt: async ({ params, body }) =>
      view(await wallet.receiptReviews.dispute(params.id, body.comment ?? null)),
  };
}
