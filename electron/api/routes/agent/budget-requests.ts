import { z } from 'zod';
import {
  agentBudgetRequestView,
  budgetRequestCreateBody,
  budgetRequestList,
  budgetRequestListQuery,
} from '../../../../shared/schemas/budget-requests';
import { errorEnvelope, idempotencyKey, waitQuery } from '../../../../shared/schemas/common';
import { agentAuthOf } from '../../auth';
import { budgetRequestCommandOf, claimOf } from '../../commands';
import type { RouteContext, ZodApp } from '../../context';
import { abortOnClose, idempotencyKeyOf } from '../../idempotency';
import { budgetRequestView as view } from '../../views';
import { standing } from '../../standing';

const errors = { '4XX': errorEnvelope };

/** `POST /v1/budget-requests`, `GET /v1/budget-requests` and `GET /v1/budget-requests/:id`. */
export function budgetRequestRoutes(app: ZodApp, { wallet }: RouteContext): void {
  // Every answer to an agent says what it has left of its budget (docs/decision-order.md).
  const withRemaining = <T extends object>(agentId: string, body: T) => ({
    ...body,
    remaining_budget_cents: standing(wallet, agentId).view.remaining_budget_cents,
  });

  app.post(
    '/v1/budget-requests',
    {
      config: { scope: 'spend.write' },
      schema: {
        summary: 'Ask the owner for a budget for a purpose; one active request per agent',
        body: budgetRequestCreateBody,
        headers: z.object({ 'idempotency-key': idempotencyKey.optional() }),
        response: { 200: agentBudgetRequestView, ...errors },
      },
    },
    async (request, reply) => {
      const auth = agentAuthOf(request);
      const key = idempotencyKeyOf(request, request.body.idempotency_key);
      const { replayed, result } = await wallet.budgets.create(
        auth,
        budgetRequestCommandOf(request.body),
        claimOf(key, request.body),
      );
      if (replayed) reply.header('Idempotent-Replayed', 'true');
      return withRemaining(auth.agentId, view(result));
    },
  );

  app.get(
    '/v1/budget-requests',
    {
      config: { scope: 'spend.read' },
      schema: {
        summary: "This agent's budget requests, newest first",
        querystring: budgetRequestListQuery,
        response: { 200: budgetRequestList, ...errors },
      },
    },
    async (request) => {
      const auth = agentAuthOf(request);
      wallet.spend.checkRate(auth);
      return wallet.read(() => ({
        object: 'list' as const,
        data: wallet.budgets.list(auth, request.query.status).map(view),
        remaining_budget_cents: standing(wallet, auth.agentId).view.remaining_budget_cents,
      }));
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
        response: { 200: agentBudgetRequestView, ...errors },
      },
    },
    async (request, reply) => {
      const auth = agentAuthOf(request);
      wallet.spend.checkRate(auth);
      const wait = request.query.wait ?? 0;
      const record = await wallet.budgets.waitFor(
        auth,
        request.params.id,
        wait,
        abortOnClose(reply, wait),
      );
      return withRemaining(auth.agentId, view(record));
    },
  );
}
