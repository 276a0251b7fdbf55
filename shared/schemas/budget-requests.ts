/** Agent API contract for budget requests (`/v1/budget-requests`). */
import { z } from 'zod';
import { BUDGET_REQUEST_STATUSES } from '../domain';
import { amountCents, nonEmptyText, requestAttachments } from './common';

export const budgetRequestCreateBody = z
  .strictObject({
    amount_cents: amountCents,
    purpose: nonEmptyText(1000),
    ...requestAttachments,
  })
  .meta({ id: 'BudgetRequestCreate' });
export type BudgetRequestCreateBody = z.infer<typeof budgetRequestCreateBody>;

export const budgetRequestView = z
  .object({
    id: z.string(),
    object: z.literal('budget_request'),
    status: z.enum(BUDGET_REQUEST_STATUSES),
    requested_amount_cents: z.int(),
    approved_amount_cents: z.int().nullable(),
    spent_cents: z.int(),
    remaining_cents: z.int().nullable().describe('what is left of an approved request'),
    adjusted: z.boolean().describe('the owner approved another amount than asked'),
    purpose: z.string(),
    category: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    comment: z.string().nullable(),
    created_at: z.string(),
    decided_at: z.string().nullable(),
    expires_at: z
      .string()
      .describe('pending: when it lapses unanswered; approved: when its window closes'),
    ended_at: z.string().nullable(),
  })
  .meta({ id: 'BudgetRequest' });
export type BudgetRequestView = z.infer<typeof budgetRequestView>;

export const budgetRequestListQuery = z.strictObject({
  status: z.enum(BUDGET_REQUEST_STATUSES).optional(),
});

/** What the agent API answers: the request, and (as every answer to an agent) what is left. */
export const agentBudgetRequestView = budgetRequestView
  .extend({
    remaining_budget_cents: z.int().describe("what is left of the agent's periodic budget"),
  })
  .meta({ id: 'AgentBudgetRequest' });

export const budgetRequestList = z
  .object({
    object: z.literal('list'),
    data: z.array(budgetRequestView),
    remaining_budget_cents: z.int(),
  })
  .meta({ id: 'BudgetRequestList' });
