import { z } from 'zod';
import {
  budgetRequestCreateBody,
  budgetRequestListQuery,
  budgetRequestView,
} from '../../../../shared/schemas/budget-requests';
import { errorEnvelope, idempotencyKey, waitQuery } from '../../../../shared/schemas/common';
import { agentAuthOf } from '../../auth';
import type { RouteContext, ZodApp } from '../../context';
import { abortOnClose, idempotencyKeyOf } from '../../idempotency';
import { budgetRequestView as view } from '../../views';

const errors = { '4XX': errorEnvelope };

/** `POST /v1/budget-requests`, `GET /v1/budget-requests` and `GET /v1/budget-requests/:id`. */
export function budgetRequestRoutes(app: ZodApp, { wallet }: RouteContext): void {
  app.post(
    '/v1/budget-requests',
    {
      config: { scope: 'spend.write' },
      schema: {
        summary: 'Ask the owner for a budget for a purpose; one active request per agent',
        body: budgetRequestCreateBody,
        headers: z.object({ 'idempotency-key': idempotencyKey.optional() }),
        response: { 200: budgetRequestView, ...errors },
      },
    },
    async (request, reply) => {
      const auth = agentAuthOf(request);
      const key = idempotencyKeyOf(request, request.body.idempotency_key);
      const { replayed, result } = await wallet.budgets.create(auth, request.body, key);
      if (replayed) reply.header('Idempotent-Replayed', 'true');
      return view(result);
    },
  );

  app.get(
    '/v1/budget-requests',
    {
      config: { scope: 'spend.read' },
      schema: {
        summary: "This agent's budget requests, newest first",
        querystring: budgetRequestListQuery,
        response: {
          200: z.object({ object: z.literal('list'), data: z.array(budgetRequestView) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const auth = agentAuthOf(request);
      wallet.spend.checkRate(auth);
      return {
        object: 'list' as const,
        data: wallet.budgets.list(auth, request.query.status).map(view),
      };
    },
  );

  app.get(
    '/v1/budget-requests/:id',
    {
      config: { scope: 'spend.read' },
      schema: {
        summary: 'Read a budget request; ?wait=N holds the call until it leaves pending',
        params: z.strictObject({ id: z.string().max(64) }),
        querystring: waitQuery,
        response: { 200: budgetRequestView, ...errors },
      },
    },
    async (request, reply) => {
      const auth = agentAuthOf(request);
      wallet.spend.checkRate(auth);
      return view(
        await wallet.budgets.waitFor(
          auth,
          request.params.id,
          request.query.wait ?? 0,
          abortOnClose(reply),
        ),
      );
    },
  );
}
