import { receiptCreateBody, receiptResult } from '../../../../shared/schemas/receipts';
import { agentRoute } from '../../agent-route';
import { claimOf, receiptCommandOf } from '../../commands';
import type { RouteContext, ZodApp } from '../../context';
import { receiptView as view, remainingFields } from '../../views';
import { standing } from '../../standing';

/** `POST /v1/receipts`: report a payment made elsewhere; it always counts. */
export function receiptRoutes(app: ZodApp, { wallet }: RouteContext): void {
  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: ['/v1/receipts'],
      scope: 'spend.write',
      summary:
        'Report a payment made elsewhere (x402, card, MPP, on chain); answered with the budget after it',
      schemas: { body: receiptCreateBody, response: receiptResult },
      idempotent: true,
    },
    async ({ auth, body, key, replayed }) => {
      const recorded = await wallet.receipts.record(
        auth,
        receiptCommandOf(body),
        claimOf(key, body),
      );
      if (recorded.replayed) replayed();
      return {
        ...view(recorded.result.receipt),
        ...remainingFields(recorded.result.budget),
        budget: standing(wallet, auth.agentId).view,
      };
    },
  );
}
