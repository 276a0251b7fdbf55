/**
 * The owner API's lists and small answers: the envelopes around the views of owner-api.ts
 * and chain.ts, as the routes answer them (shared/contract/ names which route gives which).
 */
import { z } from 'zod';
import { AGENT_STATUSES } from '../domain';
import { MAX_AMOUNT_CENTS, MAX_AMOUNT_MICROS_NUMBER } from '../money';
import { nonEmptyText } from './common';
import { receiptEventView } from './receipts';
import {
  agentView,
  fundingSourceView,
  keyView,
  ledgerEntryView,
  ownerBudgetRequestView,
  ownerSpendView,
} from './owner-api';

export const agentList = z.object({ agents: z.array(agentView) });

/** An agent's keys: never the keys themselves (only their prefix and last four). */
export const keyList = z.object({ keys: z.array(keyView) });

/** `GET /admin/v1/approvals`: one agent's group only, paged on from `before` (a request id). */
export const approvalsQuery = z.strictObject({
  agent_id: z.string().max(64).optional(),
  before: z.string().max(64).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { error: 'must be a whole number from 1 to 200' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 200, { error: 'must be from 1 to 200' })
    .optional(),
});

/** One agent's share of what waits (electron/core/approvals/approval-queue.ts). */
export const approvalGroupView = z.object({
  agent_id: z.string(),
  agent_name: z.string(),
  agent_status: z.enum(AGENT_STATUSES).nullable(),
  /** Every pending spend request of the agent; `spend_requests` is one page of them. */
  pending_count: z.int(),
  oldest_pending_at: z.string().nullable(),
  spend_requests: z.array(ownerSpendView),
  /** Pass as `before` (with `agent_id`) for the next page; null on the last. */
  next_before: z.string().nullable(),
  budget_request: ownerBudgetRequestView.nullable(),
  review_count: z.int(),
  receipt_reviews: z.array(receiptEventView),
});

/**
 * What waits for the owner, grouped by agent so that no agent's requests can bury another's
 * (docs/money-integrity.md, rule 5), with the totals. `spend_requests` and
 * `budget_requests` list every group's page together, newest first.
 */
export const approvalsView = z.object({
  groups: z.array(approvalGroupView),
  counts: z.object({
    spend_requests: z.int(),
    budget_requests: z.int(),
    receipt_reviews: z.int(),
  }),
  spend_requests: z.array(ownerSpendView),
  budget_requests: z.array(ownerBudgetRequestView),
});

/** `POST /admin/v1/agents/:id/pending/decline`: everything of one agent that waited. */
export const declinedAllView = z.object({
  declined: z.int(),
  spend_request_ids: z.array(z.string()),
  budget_request_id: z.string().nullable(),
});

/** `POST /admin/v1/spend-requests/:id/settle`: the owner settles for less (a refund). */
export const settleSpendBody = z
  .strictObject({
    amount_cents: z.int().min(0).max(MAX_AMOUNT_CENTS).optional(),
    amount_micros: z.int().min(0).max(MAX_AMOUNT_MICROS_NUMBER).optional(),
    comment: nonEmptyText(1000).optional(),
  })
  .refine((b) => (b.amount_cents === undefined) !== (b.amount_micros === undefined), {
    error: 'give exactly one of amount_cents and amount_micros: what the request cost in the end',
    path: ['amount_cents'],
  });

export const settledView = z.object({
  spend_request: ownerSpendView,
  released_micros: z.int(),
  released_cents: z.int(),
});

export const spendRequestList = z.object({ spend_requests: z.array(ownerSpendView) });

export const ownerBudgetRequestList = z.object({
  budget_requests: z.array(ownerBudgetRequestView),
});

export const fundingSourceList = z.object({ funding_sources: z.array(fundingSourceView) });

/** A page of the ledger, newest first; `next_before_seq` pages on (null: the last page). */
export const ledgerPage = z.object({
  entries: z.array(ledgerEntryView),
  next_before_seq: z.int().nullable(),
});

/** `POST /admin/v1/agents/:id/wallet/fund`: the transfer, answered once confirmed. */
export const walletFunded = z.object({ tx_hash: z.string() });
