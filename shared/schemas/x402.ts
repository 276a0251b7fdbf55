import { z } from 'zod';
import { X402_STATUSES, SPEND_STATUSES } from '../domain';
import { idempotencyKey } from './common';

/** `POST /v1/x402/pay`: the 402 answer as the agent received it, and what it is for. */
export const x402PayBody = z
  .object({
    resource_url: z.string().min(1).max(2048),
    /** The PAYMENT-REQUIRED header value (base64), or the 402 body (v1; v2 as JSON). */
    payment_required: z.union([z.string().min(1).max(32_768), z.record(z.string(), z.unknown())]),
    /** The requirement to pay, one of `accepts`; by default the first Purser can sign. */
    requirement: z.record(z.string(), z.unknown()).optional(),
    reason: z.string().min(1).max(500).optional(),
    category: z.string().min(1).max(100).optional(),
    idempotency_key: idempotencyKey.optional(),
  })
  .strict()
  .meta({ id: 'X402PayBody' });
export type X402PayBody = z.infer<typeof x402PayBody>;

export const x402PaymentView = z
  .object({
    object: z.literal('x402_payment'),
    id: z.string(),
    status: z.enum(X402_STATUSES),
    spend_request_id: z.string(),
    decision: z.enum(SPEND_STATUSES),
    decision_reason: z.string(),
    resource_url: z.string(),
    host: z.string(),
    network: z.string(),
    asset: z.string(),
    pay_to: z.string(),
    payer: z.string(),
    /** For `upto`, the signed maximum; what was paid is `settled_amount_units`. */
    amount_units: z.string(),
    amount_micros: z.int(),
    /** `exact` pays the amount; `upto` pays what the merchant settles, at most the amount. */
    scheme: z.enum(['exact', 'upto']),
    /** What the chain showed moving, once settled. */
    settled_amount_units: z.string().nullable(),
    /** Set once signed: send it as this header when retrying the paid request. */
    payment_header_name: z.enum(['PAYMENT-SIGNATURE', 'X-PAYMENT']),
    payment_signature: z.string().nullable(),
    nonce: z.string().nullable(),
    valid_before: z.string().nullable(),
    tx_hash: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'X402Payment' });
export type X402PaymentView = z.infer<typeof x402PaymentView>;
