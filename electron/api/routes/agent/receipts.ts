import { z } from 'zod';
import { errorEnvelope, idempotencyKey } from '../../../../shared/schemas/common';
import { receiptCreateBody, receiptResult } from '../../../../shared/schemas/receipts';
import { agentAuthOf } from '../../auth';
import { claimOf, receiptCommandOf } from '../../commands';
import type { RouteContext, ZodApp } from '../../context';
import { idempotencyKeyOf } from '../../idempotency';
import { receiptView as view, remainingFields } from '../../views';
import { standing } from '../../standing';

const errors = { '4XX': errorEnvelope };

/** `POST /v1/receipts`: report a payment made elsewhere; it always counts. */
export function receiptRoutes(app: ZodApp, { wallet }: RouteContext): void {
  app.post(
    '/v1/receipts',
    {
      config: { scope: 'spend.write' },
      schema: {
        summary:
          'Report a payment made elsewhere (x402, card, MPP, on chain); answered with the budget after it',
        body: receiptCreateBody,
        headers: z.object({ 'idempotency-key': idempotencyKey.optional() }),
        response: { 200: receiptResult, ...errors },
      },
    },
    async (request, reply) => {
      const auth = agentAuthOf(request);
      const key = idempotencyKeyOf(request, request.body.idempotency_key);
      const { replayed, result } = await wallet.receipts.record(
        auth,
        receiptCommandOf(request.body),
        claimOf(key, request.body),
      );
      if (replayed) reply.header('Idempotent-Replayed', 'true');
      return {
        ...view(result.receipt),
        ...remainingFields(result.budget),
        budget: standing(wallet, auth.agentId).view,
      };
    },
  );
}
