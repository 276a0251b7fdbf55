import { z } from 'zod';
import { BUDGET_REQUEST_STATUSES, SPEND_STATUSES } from '../../../../shared/domain';
import { errorEnvelope } from '../../../../shared/schemas/common';
import {
  approveBudgetRequestBody,
  approveSpendBody,
  declineBody,
  ownerBudgetRequestView as budgetSchema,
  ownerSpendView as spendSchema,
  rejectBudgetRequestBody,
} from '../../../../shared/schemas/owner-api';
import { PurserError } from '../../../core/errors';
import type { SpendRecord } from '../../../core/spend/spend-repository';
import type { BudgetRequestRecord } from '../../../core/budgets/budget-repository';
import { ownerSpendOf } from '../../owner-spend';
import type { RouteContext, ZodApp } from '../../context';
import { ownerBudgetRequestView } from '../../owner-views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };
const idParams = z.strictObject({ id: z.string().max(64) });

/** The owner's approvals: pending spend and budget requests, and the decisions on them. */
export function ownerApprovalRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const { deps } = wallet;
  const name = (agentId: string) => deps.agents.get(agentId)?.name ?? agentId;
  const spendView = (r: SpendRecord) => ownerSpendOf(wallet, r);
  const budgetView = (r: BudgetRequestRecord) => ownerBudgetRequestView(r, name(r.agentId));

  app.get(
    '/admin/v1/approvals',
    {
      config: owner,
      schema: {
        hide: true,
        response: {
          200: z.object({
            spend_requests: z.array(spendSchema),
            budget_requests: z.array(budgetSchema),
          }),
        },
      },
    },
    async () => ({
      spend_requests: deps.spends.list('needs_approval', 500).map(spendView),
      budget_requests: deps.budgets.list('pending', 500).map(budgetView),
    }),
  );

  app.get(
    '/admin/v1/spend-requests',
    {
      config: owner,
      schema: {
        hide: true,
        querystring: z.strictObject({ status: z.enum(SPEND_STATUSES).optional() }),
        response: { 200: z.object({ spend_requests: z.array(spendSchema) }), ...errors },
      },
    },
    async (request) => ({
      spend_requests: deps.spends.list(request.query.status, 500).map(spendView),
    }),
  );

  app.get(
    '/admin/v1/spend-requests/:id',
    {
      config: owner,
      schema: { hide: true, params: idParams, response: { 200: spendSchema, ...errors } },
    },
    async (request) => {
      const record = deps.spends.get(request.params.id);
      if (!record) throw new PurserError('not_found', `No spend request ${request.params.id}.`);
      return spendView(record);
    },
  );

  app.post(
    '/admin/v1/spend-requests/:id/approve',
    {
      config: owner,
      schema: {
        hide: true,
        params: idParams,
        body: approveSpendBody,
        response: { 200: spendSchema, ...errors },
      },
    },
    async (request) => {
      const result = await wallet.approvals.approve(request.params.id, {
        comment: request.body.comment,
        overrideBudget: request.body.override_budget,
      });
      if (result.kind === 'refused')
        throw new PurserError(result.refusal.code, result.refusal.reason, result.refusal.details);
      return spendView(result.record);
    },
  );

  app.post(
    '/admin/v1/spend-requests/:id/decline',
    {
      config: owner,
      schema: {
        hide: true,
        params: idParams,
        body: declineBody,
        response: { 200: spendSchema, ...errors },
      },
    },
    async (request) =>
      spendView(await wallet.approvals.decline(request.params.id, request.body.comment ?? null)),
  );

  app.get(
    '/admin/v1/budget-requests',
    {
      config: owner,
      schema: {
        hide: true,
        querystring: z.strictObject({ status: z.enum(BUDGET_REQUEST_STATUSES).optional() }),
        response: { 200: z.object({ budget_requests: z.array(budgetSchema) }), ...errors },
      },
    },
    async (request) => ({
      budget_requests: deps.budgets.list(request.query.status, 500).map(budgetView),
    }),
  );

  app.post(
    '/admin/v1/budget-requests/:id/approve',
    {
      config: owner,
      schema: {
        hide: true,
        params: idParams,
        body: approveBudgetRequestBody,
        response: { 200: budgetSchema, ...errors },
      },
    },
    async (request) =>
      budgetView(
        await wallet.budgets.approve(request.params.id, {
          amountCents: request.body.amount_cents,
          hours: request.body.hours,
          comment: request.body.comment,
        }),
      ),
  );

  app.post(
    '/admin/v1/budget-requests/:id/reject',
    {
      config: owner,
      schema: {
        hide: true,
        params: idParams,
        body: rejectBudgetRequestBody,
        response: { 200: budgetSchema, ...errors },
      },
    },
    async (request) =>
      budgetView(await wallet.budgets.reject(request.params.id, request.body.reason ?? null)),
  );
}
