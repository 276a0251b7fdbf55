/** MPP payments (docs/mpp.md): `WWW-Authenticate: Payment` paid from a Purser-held wallet. */
import { z } from 'zod';
import { SPEND_STATUSES, X402_STATUSES } from '../domain';
import { idempotencyKey, nonEmptyText } from './common';
import { x402PaymentView } from './x402';

/** `POST /v1/mpp/pay`: the 402 answer's challenges as the agent received them. */
export const mppPayBody = z
  .strictObject({
    resource_url: z.string().min(1).max(2048),
    /** The 402 answer's `WWW-Authenticate` header value, unchanged. */
    www_authenticate: z.string().min(1).max(32_768),
    /** The challenge to pay (its `id`); by default the first Purser can pay. */
    challenge_id: z.string().min(1).max(256).optional(),
    reason: nonEmptyText(500).optional(),
    category: nonEmptyText(100).optional(),
    idempotency_key: idempotencyKey.optional(),
  })
  .meta({ id: 'MppPayBody' });
export type MppPayBody = z.infer<typeof mppPayBody>;

export const mppPaymentView = z
  .object({
    object: z.literal('mpp_payment'),
    id: z.string(),
    status: z.enum(X402_STATUSES),
    spend_request_id: z.string(),
    decision: z.enum(SPEND_STATUSES),
    decision_reason: z.string(),
    resource_url: z.string(),
    host: z.string(),
    challenge_id: z.string(),
    network: z.string(),
    asset: z.string(),
    recipient: z.string(),
    payer: z.string(),
    amount_units: z.string(),
    amount_micros: z.int(),
    /** Once signed: send it as the `Authorization` header when retrying the request. */
    authorization: z.string().nullable(),
    nonce: z.string().nullable(),
    valid_before: z.string().nullable(),
    tx_hash: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'MppPayment' });
export type MppPaymentView = z.infer<typeof mppPaymentView>;

/**
 * `POST /v1/pay`: whatever 402 the agent received. An x402 answer's PAYMENT-REQUIRED header
 * (or its v1 body) as `payment_required`, or an MPP answer's WWW-Authenticate as
 * `www_authenticate`: exactly one of them.
 */
export const payBody = z
  .strictObject({
    resource_url: z.string().min(1).max(2048),
    payment_required: z
      .union([z.string().min(1).max(32_768), z.record(z.string(), z.unknown())])
      .optional(),
    www_authenticate: z.string().min(1).max(32_768).optional(),
    /** x402: the requirement to pay, one of `accepts`. */
    requirement: z.record(z.string(), z.unknown()).optional(),
    /** MPP: the challenge to pay, by its `id`. */
    challenge_id: z.string().min(1).max(256).optional(),
    reason: nonEmptyText(500).optional(),
    category: nonEmptyText(100).optional(),
    idempotency_key: idempotencyKey.optional(),
  })
  .meta({ id: 'PayBody' });
export type PayBody = z.infer<typeof payBody>;

/** What `POST /v1/pay` answers: the payment, as its own route would. */
export const anyPaymentView = z.discriminatedUnion('object', [x402PaymentView, mppPaymentView]);
