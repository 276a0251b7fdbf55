import { z } from 'zod';
import { spendCreateBody, spendRequest } from '../../../../shared/schemas/agent-api';
import { errorEnvelope, idempotencyKey, waitQuery } from '../../../../shared/schemas/common';
import { PurserError } from '../../../core/errors';
import { agentAuthOf } from '../../auth';
import { spendClaimOf, spendCommandOf } from '../../commands';
import { abortOnClose, idempotencyKeyOf } from '../../idempotency';
import type { RouteContext, ZodApp } from '../../context';
import { remainingFields, spendView } from '../../views';

const idParams = z.strictObject({ id: z.string().max(64) });
const errors = { '4XX': errorEnvelope };

/** `POST /v1/spend`, `GET /v1/spend/:id`, `POST /v1/spend/:id/cancel`, with their Dino aliases. */
export function spendRoutes(app: ZodApp, { wallet, baseUrl }: RouteContext): void {
  const approvalUrl = (id: string) => `${baseUrl()}/app/#/approvals/${id}`;
  const view = (record: Parameters<typeof spendView>[0]) =>
    wallet.read(() => {
      const { budget } = wallet.agents.budgetOf(wallet.agents.require(record.agentId));
      return spendView(record, budget, approvalUrl);
    });

  for (const base of ['/v1/spend', '/v1/spend-requests']) {
    app.post(
      base,
      {
        config: { scope: 'spend.write' },
        schema: {
          summary: 'Ask to spend: approved, declined or needs_approval, decided against the policy',
          body: spendCreateBody,
          headers: z.object({ 'idempotency-key': idempotencyKey.optional() }),
          response: { 200: spendRequest, ...errors },
        },
      },
      async (request, reply) => {
        const auth = agentAuthOf(request);
        const key = idempotencyKeyOf(request, request.body.idempotency_key);
        const result = await wallet.spend.create(
          auth,
          spendCommandOf(request.body),
          spendClaimOf(key, request.body),
        );
        if (result.kind === 'refused') {
          const { refusal, budget } = result;
          throw new PurserError(refusal.code, refusal.reason, {
            ...refusal.details,
            ...remainingFields(budget),
          });
        }
        if (result.kind === 'replayed') reply.header('Idempotent-Replayed', 'true');
        return spendView(result.record, result.budget, approvalUrl);
      },
    );

    app.get(
      `${base}/:id`,
      {
        config: { scope: 'spend.read' },
        schema: {
          summary: 'Read a spend request; ?wait=N holds the call until it leaves needs_approval',
          params: idParams,
          querystring: waitQuery,
          response: { 200: spendRequest, ...errors },
        },
      },
      async (request, reply) => {
        const auth = agentAuthOf(request);
        wallet.spend.checkRate(auth);
        const wait = request.query.wait ?? 0;
        const record = await wallet.spend.waitFor(
          auth,
          request.params.id,
          wait,
          abortOnClose(reply, wait),
        );
        return view(record);
      },
    );

    app.post(
      `${base}/:id/cancel`,
      {
        config: { scope: 'spend.write' },
        schema: {
          summary: 'Withdraw a pending spend request',
          params: idParams,
          response: { 200: spendRequest, ...errors },
        },
      },
      async (request) => {
        const auth = agentAuthOf(request);
        wallet.spend.checkRate(auth);
        return view(await wallet.spend.cancel(auth, request.params.id));
      },
    );
  }
}
