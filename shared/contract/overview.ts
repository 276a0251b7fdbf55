/** The window's first page: what was spent, what waits, who is near a limit, what happened. */
import { overviewQuery, overviewView } from '../schemas/overview';
import type { OwnerRouteSpec } from './route';

export const overviewRoutes = {
  /** Everything the Overview shows, in one read that does not grow with the ledger. */
  overview: {
    method: 'GET',
    path: '/admin/v1/overview',
    query: overviewQuery,
    response: overviewView,
  },
} as const satisfies Record<string, OwnerRouteSpec>;
