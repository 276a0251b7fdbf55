import { z } from 'zod';
import {
  agentBudgetRequestView,
  budgetRequestCreateBody,
  budgetRequestList,
  budgetRequestListQuery,
} from '../../../../shared/schemas/budget-requests';
import { waitQuery } from '../../../../shared/schemas/common';
import { agentRoute } from '../../agent-route';
import { budgetRequestCommandOf, claimOf } from '../../commands';
import type { RouteContext, ZodApp } from '../../context';
import { abortOnClose } from '../../idempotency';
import { budgetRequestView as view } from '../../views';
import { standing } from '../../standing';

/** `POST /v1/budget-requests`, `GET /v1/budget-requests` and `GET /v1/budget-requests/:id`. */
export function budgetRequestRoutes(app: ZodApp, { wallet }: RouteContext): void {
  // Every answer to an agent says what it has left of its budget (docs/decision-order.md).
  const remaining = (agentId: string) => standing(wallet, agentId).view.remaining_budget_cents;
  const withRemaining = <T extends object>(agentId: string, body: T) => ({
    ...body,
    remaining_budget_cents: remaining(agentId),
  });

  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: ['/v1/budget-requests'],
      scope: 'spend.write',
      summary: 'Ask the owner for a budget for a purpose; one active request per agent',
      schemas: { body: budgetRequestCreateBody, response: agentBudgetRequestView },
      idempotent: true,
    },
    async ({ auth, body, key, replayed }) => {
      const created = await wallet.budgets.create(
        auth,
        budgetRequestCommandOf(body),
        claimOf(key, body),
      );
      if (created.replayed) replayed();
      return withRemaining(auth.agentId, view(created.result));
    },
  );

  agentRoute(
    app,
    wallet,
    {
      method: 'GET',
      urls: ['/v1/budget-requests'],
      scope: 'spend.read',
      summary: "This agent's budget requests, newest first",
      schemas: { query: budgetRequestListQuery, response: budgetRequestList },
    },
    ({ auth, query }) =>
      wallet.read(() => ({
        object: 'list' as const,
        data: wallet.budgets.list(auth, query.status).map(view),
        remaining_budget_cents: remaining(auth.agentId),
      })),
  );

  agentRoute(
    app,
    wallet,
    {
      method: 'GET',
      urls: ['/v1/budget-requests/:id'],
      scope: 'spend.read',
      summary: 'Read a budget request; ?wait=N holds the call until it leaves pending',
      schemas: {
        params: z.strictObject({ id: z.string().max(64) }),
        query: waitQuery,
        response: agentBudgetRequestView,
      },
    },
    async ({ auth, params, query, reply }) => {
      const wait = query.wait ?? 0;
      const record = await wallet.budgets.waitFor(auth, params.id, wait, abortOnClose(reply, wait));
      return withRemaining(auth.agentId, view(record));
    },
  );
}
