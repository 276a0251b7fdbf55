import { ownerContract } from '../../../../shared/contract/owner';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { PurserError } from '../../../core/errors';
import type { SpendRecord } from '../../../core/spend/spend-repository';
import type { BudgetRequestRecord } from '../../../core/budgets/budget-repository';
import { ownerSpendOf } from '../../owner-spend';
import type { RouteContext, ZodApp } from '../../context';
import { ownerBudgetRequestView } from '../../owner-views';
import { receiptView } from '../../views';
import { invalidRequest } from '../../../core/errors';
import { toIso } from '../../../core/clock';
import { centsToMicros, microsFromNumber, microsToCentsFloor } from '../../../../shared/money';

/** Requests per agent on the first page of the owner's approvals. */
const DEFAULT_GROUP_PAGE = 20;

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
      schema: {
        hide: true,
        querystring: ownerContract.listApprovals.query,
        response: { 200: ownerContract.listApprovals.response, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.before !== undefined && q.agent_id === undefined)
        throw invalidRequest('before pages one agent’s requests: give agent_id too.', {
          field: 'before',
        });
      const queue = wallet.approvals.queue({
        agentId: q.agent_id,
        before: q.before,
        limit: q.limit ?? DEFAULT_GROUP_PAGE,
      });
      const groups = queue.groups.map((g) => ({
        agent_id: g.agentId,
        agent_name: g.agentName,
        agent_status: g.agentStatus,
        pending_count: g.pendingCount,
        oldest_pending_at: g.oldestPendingAt === null ? null : toIso(g.oldestPendingAt),
        spend_requests: g.spends.map(spendView),
        next_before: g.nextBefore,
        budget_request: g.budgetRequest && budgetView(g.budgetRequest),
        review_count: g.reviewCount,
        receipt_reviews: g.reviews.map((r) => ({
          ...receiptView(r),
          agent_id: r.agentId,
          agent_name: g.agentName,
        })),
      }));
      const newestFirst = <T extends { created_at: string }>(list: T[]) =>
        list.sort((a, b) => b.created_at.localeCompare(a.created_at));
      return {
        groups,
        counts: {
          spend_requests: queue.counts.spendRequests,
          budget_requests: queue.counts.budgetRequests,
          receipt_reviews: queue.counts.receiptReviews,
        },
        spend_requests: newestFirst(groups.flatMap((g) => g.spend_requests)),
        budget_requests: newestFirst(groups.flatMap((g) => g.budget_request ?? [])),
      };
    },
  );

  app.post(
    ownerContract.declineAllPending.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.declineAllPending.params,
        body: ownerContract.declineAllPending.body,
        response: { 200: ownerContract.declineAllPending.response, ...errors },
      },
    },
    async (request) => {
      const { declined, rejected } = await wallet.approvals.declineAll(
        request.params.id,
        request.body.comment ?? null,
      );
      return {
        declined: declined.length,
        spend_request_ids: declined.map((r) => r.id),
        budget_request_id: rejected?.id ?? null,
      };
    },
  );

  app.post(
    ownerContract.settleSpend.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.settleSpend.params,
        body: ownerContract.settleSpend.body,
        response: { 200: ownerContract.settleSpend.response, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      const to =
        b.amount_micros !== undefined
          ? microsFromNumber(b.amount_micros)
          : centsToMicros(b.amount_cents ?? 0);
      const { record, released } = await wallet.approvals.settle(
        request.params.id,
        to,
        b.comment ?? null,
      );
      return {
        spend_request: spendView(record),
        released_micros: Number(released),
        released_cents: microsToCentsFloor(released),
      };
    },
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
