/** What the client throws: an error answer of the API, or an x402 payment left pending. */
import type { ErrorCode, ErrorDetails, MppPaymentView, X402PaymentView } from './wire-types.js';

/** A payment Purser signs for a 402: x402 or MPP. */
type AnyPaymentView = X402PaymentView | MppPaymentView;

const RETRYABLE_STATUS = new Set([429, 500, 502, 503]);

/** An answer of the API that is an error: its code, message and details, and the status. */
export class PurserApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error' | 'timeout',
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'PurserApiError';
  }

  /** Whether the client would retry this (after its retries ran out, it is thrown). */
  get retryable(): boolean {
    return this.status === 0 || RETRYABLE_STATUS.has(this.status);
  }
}

/**
 * Waiting for the owner ended (or was not asked for) while an x402 payment still awaits
 * approval. Nothing is signed yet. To pick it up once the owner decides, make the same
 * request again with this `idempotencyKey` (`fetchWithPurser`'s option, `purser pay
 * --idempotency-key`): the same key finds the same payment, never a second one.
 */
export class PurserPaymentPendingError extends Error {
  constructor(
    readonly payment: AnyPaymentView,
    readonly idempotencyKey: string,
  ) {
    super(
      `The payment ${payment.id} waits for the owner's approval (spend request ` +
        `${payment.spend_request_id}); once decided, retry with idempotency key ${idempotencyKey}.`,
    );
    this.name = 'PurserPaymentPendingError';
  }

  get spendRequestId(): string {
    return this.payment.spend_request_id;
  }
}

/** Whatever an attempt threw, as the PurserApiError the retry rules judge. */
export function asApiError(error: unknown): PurserApiError {
  return error instanceof PurserApiError
    ? error
    : new PurserApiError(
        0,
        'network_error',
        error instanceof Error ? error.message : String(error),
      );
}
