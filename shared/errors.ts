/**
 * The error catalog of the agent API (docs/errors.md). Every error leaves the server as
 * `{"error": {"code", "message", "details"}}`; the HTTP status is a function of the code,
 * except `invalid_request`, which is 400 for bad input, 409 for a state transition that
 * cannot happen and 413 for a body over the size limit.
 */
export const ERROR_STATUS = {
  invalid_api_key: 401,
  revoked_api_key: 403,
  insufficient_scope: 403,
  invalid_request: 400,
  idempotency_key_conflict: 409,
  budget_request_exists: 409,
  not_found: 404,
  funding_source_budget_exceeded: 402,
  plan_spend_volume_exceeded: 402,
  insufficient_wallet_balance: 402,
  policy_declined: 402,
  rate_limited: 429,
  internal_error: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export type ErrorDetails = Record<string, unknown>;

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details: ErrorDetails };
}
