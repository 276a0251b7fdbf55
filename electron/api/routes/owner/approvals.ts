import { ownerContract } from '../../../../shared/contract/owner';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { PurserError } from '../../../core/errors';
import type { SpendRecord } from '../../../core/spend/spend-repository';
import type { BudgetRequestRecord } from '../../../core/budgets/budget-repository';
import { ownerSpendOf } from '../../owner-spend';
import type { RouteContext, ZodApp } from '../../context';
import { ownerBudgetRequestView } from '../../owner-views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

/** The owner's approvals: pending spend and budget requests, and the decisions on them. */
export function ownerApprovalRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const spendView = (r: SpendRecord) => ownerSpendOf(wallet, r);
  const budgetView = (r: BudgetRequestRecord) =>
    ownerBudgetRequestView(r, wallet.agents.nameOf(r.agentId));

  app.get(
    ownerContract.listApprovals.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.listApprovals.response } },
    },
    async () => ({
      spend_requests: wallet.approvals.spends('needs_approval').map(spendView),
      budget_requests: wallet.approvals.budgetRequests('pending').map(budgetView),
    }),
  );

  app.get(
    ownerContract.listSpendRequests.path,
    {
      config: owner,
      schema: {
        hide: true,
        querystring: ownerContract.listSpendRequests.query,
        response: { 200: ownerContract.listSpendRequests.response, ...errors },
      },
    },
    async (request) => ({
      spend_requests: wallet.approvals.spends(request.query.status).map(spendView),
    }),
  );

  app.get(
    ownerContract.getSpendRequest.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.getSpendRequest.params,
        response: { 200: ownerContract.getSpendRequest.response, ...errors },
      },
    },
    async (request) => {
      return spendView(wallet.approvals.spend(request.params.id));
    },
  );

  app.post(
    ownerContract.approveSpend.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.approveSpend.params,
        body: ownerContract.approveSpend.body,
        response: { 200: ownerContract.approveSpend.response, ...errors },
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
    ownerContract.declineSpend.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.declineSpend.params,
        body: ownerContract.declineSpend.body,
        response: { 200: ownerContract.declineSpend.response, ...errors },
      },
    },
    async (request) =>
      spendView(await wallet.approvals.decline(request.params.id, request.body.comment ?? null)),
  );

  app.get(
    ownerContract.listBudgetRequests.path,
    {
      config: owner,
      schema: {
        hide: true,
        querystring: ownerContract.listBudgetRequests.query,
        response: { 200: ownerContract.listBudgetRequests.response, ...errors },
      },
    },
    async (request) => ({
      budget_requests: wallet.approvals.budgetRequests(request.query.status).map(budgetView),
    }),
  );

  app.post(
    ownerContract.approveBudgetRequest.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.approveBudgetRequest.params,
        body: ownerContract.approveBudgetRequest.body,
        response: { 200: ownerContract.approveBudgetRequest.response, ...errors },
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
    ownerContract.rejectBudgetRequest.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.rejectBudgetRequest.params,
        body: ownerContract.rejectBudgetRequest.body,
        response: { 200: ownerContract.rejectBudgetRequest.response, ...errors },
      },
    },
    async (request) =>
      budgetView(await wallet.budgets.reject(request.params.id, request.body.reason ?? null)),
  );
}
