/** The owner's approvals: pending spend and budget requests, and the decisions on them. */
import { budgetRequestListQuery } from '../schemas/budget-requests';
import {
  approveBudgetRequestBody,
  approveSpendBody,
  declineBody,
  ownerBudgetRequestView,
  ownerSpendView,
  rejectBudgetRequestBody,
  spendListQuery,
} from '../schemas/owner-api';
import {
  approvalsQuery,
  approvalsView,
  declinedAllView,
  ownerBudgetRequestList,
  settledView,
  settleSpendBody,
  spendRequestList,
} from '../schemas/owner-answers';
import { idRoute, type OwnerRouteSpec } from './route';

export const approvalRoutes = {
  listApprovals: {
    method: 'GET',
    path: '/admin/v1/approvals',
    query: approvalsQuery,
    response: approvalsView,
  },
  /** Declines every pending request of one agent and rejects its pending budget request. */
  declineAllPending: idRoute({
    method: 'POST',
    path: '/admin/v1/agents/:id/pending/decline',
    body: declineBody,
    response: declinedAllView,
  }),
  /** Settles an approved request for less: the difference goes back to every limit. */
  settleSpend: idRoute({
    method: 'POST',
    path: '/admin/v1/spend-requests/:id/settle',
    body: settleSpendBody,
    response: settledView,
  }),
  listSpendRequests: {
    method: 'GET',
    path: '/admin/v1/spend-requests',
    query: spendListQuery,
    response: spendRequestList,
  },
  getSpendRequest: idRoute({
    method: 'GET',
    path: '/admin/v1/spend-requests/:id',
    response: ownerSpendView,
  }),
  approveSpend: idRoute({
    method: 'POST',
    path: '/admin/v1/spend-requests/:id/approve',
    body: approveSpendBody,
    response: ownerSpendView,
  }),
  declineSpend: idRoute({
    method: 'POST',
    path: '/admin/v1/spend-requests/:id/decline',
    body: declineBody,
    response: ownerSpendView,
  }),
  listBudgetRequests: {
    method: 'GET',
    path: '/admin/v1/budget-requests',
    query: budgetRequestListQuery,
    response: ownerBudgetRequestList,
  },
  approveBudgetRequest: idRoute({
    method: 'POST',
    path: '/admin/v1/budget-requests/:id/approve',
    body: approveBudgetRequestBody,
    response: ownerBudgetRequestView,
  }),
  rejectBudgetRequest: idRoute({
    method: 'POST',
    path: '/admin/v1/budget-requests/:id/reject',
    body: rejectBudgetRequestBody,
    response: ownerBudgetRequestView,
  }),
} as const satisfies Record<string, OwnerRouteSpec>;
