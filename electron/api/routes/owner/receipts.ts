import { ownerContract } from '../../../../shared/contract/owner';
import { errorEnvelope } from '../../../../shared/schemas/common';
import type { ReceiptRecord } from '../../../core/receipts/receipt-repository';
import type { RouteContext, ZodApp } from '../../context';
import { ownerReceiptView } from '../../owner-views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

/** Receipts for the owner: payments agents reported making elsewhere, newest first. */
export function ownerReceiptRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const view = (r: ReceiptRecord) => ownerReceiptView(r, wallet.agents.nameOf(r.agentId));

  app.get(
    ownerContract.listReceipts.path,
    {
      config: owner,
      schema: {
        hide: true,
        querystring: ownerContract.listReceipts.query,
        response: { 200: ownerContract.listReceipts.response, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
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
  );

  app.post(
    ownerContract.acceptReceipt.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.acceptReceipt.params,
        body: ownerContract.acceptReceipt.body,
        response: { 200: ownerContract.acceptReceipt.response, ...errors },
      },
    },
    async (request) =>
      view(await wallet.receiptReviews.accept(request.params.id, request.body.comment ?? null)),
  );

  app.post(
    ownerContract.disputeReceipt.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.disputeReceipt.params,
        body: ownerContract.disputeReceipt.body,
        response: { 200: ownerContract.disputeReceipt.response, ...errors },
      },
    },
    async (request) =>
      view(await wallet.receiptReviews.dispute(request.params.id, request.body.comment ?? null)),
  );
}
