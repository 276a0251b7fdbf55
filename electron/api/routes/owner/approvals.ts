import type { BudgetRequestRecord } from '../../../core/budgets/budget-repository';
import { toIso } from '../../../core/clock';
import { invalidRequest, PurserError } from '../../../core/errors';
import type { SpendRecord } from '../../../core/spend/spend-repository';
import { centsToMicros, microsFromNumber, microsToCentsFloor } from '../../../../shared/money';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';
import { ownerSpendOf } from '../../owner-spend';
import { ownerBudgetRequestView } from '../../owner-views';
import { receiptView } from '../../views';

/** Requests per agent on the first page of the owner's approvals. */
const DEFAULT_GROUP_PAGE = 20;

type ApprovalRoutes =
  | 'listApprovals'
  | 'declineAllPending'
  | 'settleSpend'
  | 'listSpendRequests'
  | 'getSpendRequest'
  | 'approveSpend'
  | 'declineSpend'
  | 'listBudgetRequests'
  | 'approveBudgetRequest'
  | 'rejectBudgetRequest';

const newestFirst = <T extends { created_at: string }>(list: T[]) =>
  list.sort((a, b) => b.created_at.localeCompare(a.created_at));

/** The owner's approvals: what waits, grouped by agent, and the decisions on it. */
export function ownerApprovalHandlers({ wallet }: RouteContext): OwnerHandlerGroup<ApprovalRoutes> {
  const spendView = (r: SpendRecord) => ownerSpendOf(wallet, r);
  const budgetView = (r: BudgetRequestRecord) =>
    ownerBudgetRequestView(r, wallet.agents.nameOf(r.agentId));
  return {
    listApprovals: ({ query }) => {
      if (query.before !== undefined && query.agent_id === undefined)
        throw invalidRequest('before pages one agent’s requests: give agent_id too.', {
          field: 'before',
        });
      const queue = wallet.approvals.queue({
        agentId: query.agent_id,
        before: query.before,
        limit: query.limit ?? DEFAULT_GROUP_PAGE,
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
    declineAllPending: async ({ params, body }) => {
      const { declined, rejected } = await wallet.approvals.declineAll(
        params.id,
        body.comment ?? null,
      );
      return {
        declined: declined.length,
        spend_request_ids: declined.map((r) => r.id),
        budget_request_id: rejected?.id ?? null,
      };
    },
    settleSpend: async ({ params, body }) => {
      const to =
        body.amount_micros !== undefined
          ? microsFromNumber(body.amount_micros)
          : centsToMicros(body.amount_cents ?? 0);
      const { record, released } = await wallet.approvals.settle(
        params.id,
        to,
        body.comment ?? null,
      );
      return {
        spend_request: spendView(record),
        released_micros: Number(released),
        released_cents: microsToCentsFloor(released),
      };
    },
    listSpendRequests: ({ query }) => ({
      spend_requests: wallet.approvals.spends(query.status).map(spendView),
    }),
    getSpendRequest: ({ params }) => spendView(wallet.approvals.spend(params.id)),
    approveSpend: async ({ params, body }) => {
      const result = await wallet.approvals.approve(params.id, {
        comment: body.comment,
        overrideBudget: body.override_budget,
      });
      if (result.kind === 'refused')
        throw new PurserError(result.refusal.code, result.refusal.reason, result.refusal.details);
      return spendView(result.record);
    },
    declineSpend: async ({ params, body }) =>
      spendView(await wallet.approvals.decline(params.id, body.comment ?? null)),
    listBudgetRequests: ({ query }) => ({
      budget_requests: wallet.approvals.budgetRequests(query.status).map(budgetView),
    }),
    approveBudgetRequest: async ({ params, body }) =>
      budgetView(
        await wallet.budgets.approve(params.id, {
          amount: body.amount_cents === undefined ? undefined : centsToMicros(body.amount_cents),
          hours: body.hours,
          comment: body.comment,
        }),
      ),
    rejectBudgetRequest: async ({ params, body }) =>
      budgetView(await wallet.budgets.reject(params.id, body.reason ?? null)),
  };
}
