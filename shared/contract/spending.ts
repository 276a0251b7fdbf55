/** The Spending view: spend by agent, merchant, category or rail over a range (docs/spending.md). */
import { spendingQuery, spendingView } from '../schemas/spending';
import type { OwnerRouteSpec } from './route';

export const spendingRoutes = {
  /** Sums of the ledger's entries in the range, per group and per bucket. */
  spending: {
    method: 'GET',
    path: '/admin/v1/spending',
    query: spendingQuery,
    response: spendingView,
  },
} as const satisfies Record<string, OwnerRouteSpec>;
