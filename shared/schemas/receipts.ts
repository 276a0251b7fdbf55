/** Agent API contract for receipts (`POST /v1/receipts`): payments made elsewhere. */
import { z } from 'zod';
import { RAILS } from '../domain';
import { balance } from './agent-api';
import {
  amountCents,
  amountMicros,
  idempotencyKey,
  merchantNameText,
  metadata,
  nonEmptyText,
  pageLimit,
} from './common';

export const receiptCreateBody = z
  .strictObject({
    amount_cents: amountCents.optional(),
    amount_micros: amountMicros.optional(),
    merchant_name: merchantNameText.optional(),
    host: z
      .string({ error: 'must be a string' })
      .max(253, { error: 'must be at most 253 characters' })
      .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, { error: 'must be a host name, like api.example.com' })
      .optional(),
    rail: z.enum(RAILS, { error: `must be one of ${RAILS.join(', ')}` }),
    spend_request_id: z.string().max(64).optional(),
    tx_hash: z.string().trim().min(1).max(200).optional(),
    network: nonEmptyText(64).optional(),
    occurred_at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional(),
    metadata: metadata.optional(),
    idempotency_key: idempotencyKey.optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.amount_cents === undefined) === (body.amount_micros === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount_cents'],
        message: 'give exactly one of amount_cents and amount_micros',
      });
    }
    if (body.merchant_name === undefined && body.host === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['merchant_name'],
        message: 'give merchant_name or host',
      });
    }
  })
  .meta({ id: 'ReceiptCreate' });
export type ReceiptCreateBody = z.infer<typeof receiptCreateBody>;

export const RECEIPT_FLAGS = [
  'exceeds_request',
  'less_than_request',
  'held_for_review',
  'request_needs_approval',
  'request_declined',
  'request_expired',
  'request_cancelled',
] as const;

export const OVER_LIMITS = [
  'budget',
  'funding_limit',
  'global_cap',
  'funding_balance',
  'budget_request',
] as const;

/** What a receipt claims that waits for the owner (docs/money-integrity.md). */
export const REVIEW_KINDS = ['shared_excess', 'settled_for_less'] as const;
export const REVIEW_STATUSES = ['open', 'accepted', 'disputed'] as const;

export const receiptReviewView = z
  .object({
    kind: z
      .enum(REVIEW_KINDS)
      .describe(
        'shared_excess: money beyond what the agent could spend on its own, not yet counted against the limits it shares with other agents; settled_for_less: the receipt settles its request for less, and only the owner releases the difference',
      ),
    status: z.enum(REVIEW_STATUSES),
    amount_micros: z.int(),
    amount_cents: z.int(),
    reviewed_at: z.string().nullable(),
    comment: z.string().nullable(),
  })
  .meta({ id: 'ReceiptReview' });

export const receiptView = z
  .object({
    id: z.string(),
    object: z.literal('receipt'),
    amount_cents: z.int(),
    amount_micros: z.int(),
    merchant_name: z.string(),
    host: z.string().nullable(),
    rail: z.enum(RAILS),
    spend_request_id: z.string().nullable(),
    settles: z
      .boolean()
      .describe(
        'whether this receipt settled spend_request_id (only an approved request is settled)',
      ),
    budget_request_id: z.string().nullable(),
    tx_hash: z.string().nullable(),
    network: z.string().nullable(),
    occurred_at: z.string().nullable(),
    created_at: z.string(),
    counted_micros: z
      .int()
      .describe(
        "what this receipt added to the agent's own spend; a receipt never gives money back",
      ),
    over_budget: z.boolean(),
    over_limits: z.array(z.enum(OVER_LIMITS)),
    flags: z.array(z.enum(RECEIPT_FLAGS)),
    review: receiptReviewView.nullable(),
  })
  .meta({ id: 'Receipt' });
export type ReceiptView = z.infer<typeof receiptView>;

/** What `POST /v1/receipts` answers: the receipt, what is left, and the balance after it. */
export const receiptResult = receiptView
  .extend({ remaining_budget_cents: z.int(), budget: balance })
  .meta({ id: 'ReceiptResult' });
export type ReceiptResultView = z.infer<typeof receiptResult>;

/* The owner's side (`GET /admin/v1/receipts`, the `receipt` event of the owner's stream). */

/** A receipt on the owner's event stream: the agent's view, and whose it is. */
export const receiptEventView = receiptView.extend({
  agent_id: z.string(),
  agent_name: z.string(),
});

/** What the owner sees of a receipt: as on the stream, plus the key and its metadata. */
export const ownerReceiptView = receiptEventView.extend({
  key_id: z.string(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});
export type OwnerReceiptView = z.infer<typeof ownerReceiptView>;

export const ownerReceiptsQuery = z.strictObject({
  agent_id: z.string().max(64).optional(),
  rail: z.enum(RAILS).optional(),
  over_budget: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Page backwards: receipts older than this one. */
  before: z.string().max(64).optional(),
  /** Receipts whose claim waits for the owner (`open`), or was answered. */
  review: z.enum(REVIEW_STATUSES).optional(),
  limit: pageLimit.optional(),
});

/** A page of receipts, newest first; `next_before` pages on (null: the last page). */
export const ownerReceiptPage = z.object({
  receipts: z.array(ownerReceiptView),
  next_before: z.string().nullable(),
});
