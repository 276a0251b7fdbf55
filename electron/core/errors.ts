import type { ErrorCode, ErrorDetails } from '../../shared/errors';

/**
 * An error the wallet means to show: a catalog code, a message written for the person or
 * agent reading it, and details. Anything else that is thrown is a bug and leaves the
 * server as a bare `internal_error`.
 */
export class PurserError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    /** Overrides the catalog's status where docs/errors.md gives another (403 / 409 / 413). */
    readonly status?: number,
  ) {
    // An expected outcome, not a bug: it needs no stack trace, and capturing one costs
    // more than the rest of a refused request.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'PurserError';
  }
}

export const notFound = (what: string, id: string) =>
  new PurserError('not_found', `No ${what} ${id} in this scope.`, { id });

export const invalidTransition = (message: string, details: ErrorDetails = {}) =>
  new PurserError('invalid_request', message, details, 409);

export const invalidRequest = (message: string, details: ErrorDetails = {}) =>
  new PurserError('invalid_request', message, details);
