import { z } from 'zod';
import { spendCreateBody, spendRequest } from '../../../../shared/schemas/agent-api';
import { waitQuery } from '../../../../shared/schemas/common';
import { PurserError } from '../../../core/errors';
import { agentRoute } from '../../agent-route';
import { spendClaimOf, spendCommandOf } from '../../commands';
import { abortOnClose } from '../../idempotency';
import type { RouteContext, ZodApp } from '../../context';
import { remainingFields, spendView } from '../../views';

const idParams = z.strictObject({ id: z.string().max(64) });
/** Each path under Purser's name and Dino's. */
const bases = ['/v1/spend', '/v1/spend-requests'] as const;

/** `POST /v1/spend`, `GET /v1/spend/:id`, `POST /v1/spend/:id/cancel`, with their Dino aliases. */
export function spendRoutes(app: ZodApp, { wallet, baseUrl }: RouteContext): void {
  const approvalUrl = (id: string) => `${baseUrl()}/app/#/approvals/${id}`;
  const view = (record: Parameters<typeof spendView>[0]) =>
    wallet.read(() => {
      const { budget } = wallet.agents.budgetOf(wallet.agents.require(record.agentId));
      return spendView(record, budget, approvalUrl);
    });

  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: bases,
      scope: 'spend.write',
      summary: 'Ask to spend: approved, declined or needs_approval, decided against the policy',
      schemas: { body: spendCreateBody, response: spendRequest },
      idempotent: true,
    },
    async ({ auth, body, key, replayed }) => {
      const result = await wallet.spend.create(auth, spendCommandOf(body), spendClaimOf(key, body));
      if (result.kind === 'refused') {
        const { refusal, budget } = result;
        throw new PurserError(refusal.code, refusal.reason, {
          ...refusal.details,
          ...remainingFields(budget),
        });
      }
      if (result.kind === 'replayed') replayed();
      return spendView(result.record, result.budget, approvalUrl);
    },
  );

  agentRoute(
    app,
    wallet,
    {
      method: 'GET',
      urls: bases.map((base) => `${base}/:id`),
      scope: 'spend.read',
      summary: 'Read a spend request; ?wait=N holds the call until it leaves needs_approval',
      schemas: { params: idParams, query: waitQuery, response: spendRequest },
    },
    async ({ auth, params, query, reply }) => {
      const wait = query.wait ?? 0;
      const record = await wallet.spend.waitFor(auth, params.id, wait, abortOnClose(reply, wait));
      return view(record);
    },
  );

  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: bases.map((base) => `${base}/:id/cancel`),
      scope: 'spend.write',
      summary: 'Withdraw a pending spend request',
      schemas: { params: idParams, response: spendRequest },
    },
    async ({ auth, params }) => view(await wallet.spend.cancel(auth, params.id)),
  );
}
