import { ownerContract } from '../../../../shared/contract/owner';
import { errorEnvelope } from '../../../../shared/schemas/common';
import type { ReceiptRecord } from '../../../core/receipts/receipt-repository';
import type { RouteContext, ZodApp } from '../../context';
import { receiptView } from '../../views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

/** Receipts for the owner: payments agents reported making elsewhere, newest first. */
export function ownerReceiptRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const view = (r: ReceiptRecord) => ({
    ...receiptView(r),
    agent_id: r.agentId,
    agent_name: wallet.agents.nameOf(r.agentId),
    key_id: r.keyId,
    metadata: r.metadata,
  });

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
        },
        limit,
      );
      return {
        receipts: page.map(view),
        next_before: page.length === limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
}
