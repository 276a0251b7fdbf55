/** The owner's approvals: pending spend and budget requests, and the decisions on them. */
import { budgetRequestListQuery } from '../schemas/budget-requests';
import {
  approveBudgetRequestBody,
  approveSpendBody,
  declineBody,
  ownerBudgetRequestView,
  ownerIdParams,
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
import type { OwnerRouteSpec } from './route';

export const approvalRoutes = {
  listApprovals: {
    method: 'GET',
    path: '/admin/v1/approvals',
    query: approvalsQuery,
    response: approvalsView,
  },
  /** Declines every pending request of one agent and rejects its pending budget request. */
  declineAllPending: {
    method: 'POST',
    path: '/admin/v1/agents/:id/pending/decline',
    params: ownerIdParams,
    body: declineBody,
    response: declinedAllView,
  },
  /** Settles an approved request for less: the difference goes back to every limit. */
  settleSpend: {
    method: 'POST',
    path: '/admin/v1/spend-requests/:id/settle',
    params: ownerIdParams,
    body: settleSpendBody,
    response: settledView,
  },
  listSpendRequests: {
    method: 'GET',
    path: '/admin/v1/spend-requests',
    query: spendListQuery,
    response: spendRequestList,
  },
  getSpendRequest: {
    method: 'GET',
    path: '/admin/v1/spend-requests/:id',
    params: ownerIdParams,
    response: ownerSpendView,
  },
  approveSpend: {
    method: 'POST',
    path: '/admin/v1/spend-requests/:id/approve',
    params: ownerIdParams,
    body: approveSpendBody,
    response: ownerSpendView,
  },
  declineSpend: {
    method: 'POST',
    path: '/admin/v1/spend-requests/:id/decline',
    params: ownerIdParams,
    body: declineBody,
    response: ownerSpendView,
  },
  listBudgetRequests: {
    method: 'GET',
    path: '/admin/v1/budget-requests',
    query: budgetRequestListQuery,
    response: ownerBudgetRequestList,
  },
  approveBudgetRequest: {
    method: 'POST',
    path: '/admin/v1/budget-requests/:id/approve',
    params: ownerIdParams,
    body: approveBudgetRequestBody,
    response: ownerBudgetRequestView,
  },
  rejectBudgetRequest: {
    method: 'POST',
    path: '/admin/v1/budget-requests/:id/reject',
    params: ownerIdParams,
    body: rejectBudgetRequestBody,
    response: ownerBudgetRequestView,
  },
} as const satisfies Record<string, OwnerRouteSpec>;
