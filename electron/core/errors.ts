import type { ErrorCode, ErrorDetails } from '../../shared/errors';

/**
 * What went wrong, in the core's words. The core knows no HTTP: electron/api/errors.ts alone
 * turns a kind into a status (docs/errors.md), the CLI into an exit code.
 */
export type ErrorKind =
  /** The input cannot be taken as it is. */
  | 'invalid'
  /** A transition that cannot happen now (approving what is no longer pending), or a clash. */
  | 'conflict'
  | 'not_found'
  /** No credential Purser knows. */
  | 'unauthenticated'
  /** A credential that may not do this (revoked, without the scope, from elsewhere). */
  | 'forbidden'
  /** A hard limit or the policy refused money (steps 9–11, an x402 payment declined). */
  | 'refused'
  /** Too many requests, or the server is too busy to queue more. */
  | 'busy'
  /** More than Purser takes in one request. */
  | 'too_large'
  | 'internal';

/** Each code's kind, unless the error says otherwise. */
const KIND_OF_CODE: Record<ErrorCode, ErrorKind> = {
  invalid_api_key: 'unauthenticated',
  revoked_api_key: 'forbidden',
  insufficient_scope: 'forbidden',
  invalid_request: 'invalid',
  idempotency_key_conflict: 'conflict',
  budget_request_exists: 'conflict',
  not_found: 'not_found',
  funding_source_budget_exceeded: 'refused',
  plan_spend_volume_exceeded: 'refused',
  insufficient_wallet_balance: 'refused',
  policy_declined: 'refused',
  rate_limited: 'busy',
  internal_error: 'internal',
};

/**
 * An error the wallet means to show: a catalog code (shared/errors.ts), its kind, a message
 * written for the person or agent reading it, and details. Anything else that is thrown is
 * a bug and leaves the server as a bare `internal_error`.
 */
export class PurserError extends Error {
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    /** Where the code's usual kind is not this error's (`invalid_request` as a conflict). */
    kind?: ErrorKind,
  ) {
    // An expected outcome, not a bug: it needs no stack trace, and capturing one costs
    // more than the rest of a refused request.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'PurserError';
    this.kind = kind ?? KIND_OF_CODE[code];
  }
}

export const notFound = (what: string, id: string) =>
  new PurserError('not_found', `No ${what} ${id} in this scope.`, { id });

export const invalidTransition = (message: string, details: ErrorDetails = {}) =>
  new PurserError('invalid_request', message, details, 'conflict');

export const invalidRequest = (message: string, details: ErrorDetails = {}) =>
  new PurserError('invalid_request', message, details);
