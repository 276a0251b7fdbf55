/**
 * Answers of the agent API (`/v1`) that shared/schemas/ declares without naming a type, for
 * `t.agent<…>`: derived from the schemas the server answers with, never restated.
 */
import type { z } from 'zod';
import type {
  agentBudgetRequestView,
  budgetRequestList,
} from '../../shared/schemas/budget-requests';

/** `POST /v1/budget-requests`, `GET /v1/budget-requests/:id`. */
export type AgentBudgetRequestView = z.infer<typeof agentBudgetRequestView>;
/** `GET /v1/budget-requests`. */
export type BudgetRequestListView = z.infer<typeof budgetRequestList>;
