import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  ERROR_STATUS,
  type ErrorCode,
  type ErrorDetails,
  type ErrorEnvelope,
} from '../../shared/errors';
import { PurserError, type ErrorKind } from '../core/errors';

/** The HTTP status of each kind of error (docs/errors.md): the one place it is decided. */
const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  conflict: 409,
  not_found: 404,
  unauthenticated: 401,
  forbidden: 403,
  refused: 402,
  busy: 429,
  too_large: 413,
  internal: 500,
};

/** The status an error of the core leaves the server with. */
export const httpStatusOf = (error: PurserError): number => STATUS_OF_KIND[error.kind];

export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  details: ErrorDetails = {},
  status?: number,
) {
  const body: ErrorEnvelope = { error: { code, message, details } };
  if (code === 'rate_limited') {
    const retry = details.retry_after_seconds;
    reply.header('Retry-After', String(typeof retry === 'number' ? retry : 1));
  }
  return reply
    .code(status ?? ERROR_STATUS[code])
    .type('application/json; charset=utf-8')
    .send(body);
}

interface Issue {
  /** zod's issue code. */
  keyword?: string;
  path?: readonly PropertyKey[];
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: readonly PropertyKey[]; message?: string } };
}

/** Issues zod raises for a value of the wrong kind, which is also what an absent one is. */
const WRONG_VALUE = new Set(['invalid_type', 'invalid_value', 'invalid_union']);

/**
 * Whether the issue is about a field the request left out: zod says `must be "usd"` (the
 * schema's message for a wrong value) for a body without `currency`, as it does not tell an
 * absent value from a wrong one; the request does. A refinement's issue on an absent field
 * ("give exactly one of amount_cents and amount_micros") keeps its own message.
 */
function isMissing(issue: Issue, path: readonly PropertyKey[], input: unknown): boolean {
  if (issue.keyword === undefined || !WRONG_VALUE.has(issue.keyword) || path.length === 0)
    return false;
  let parent = input;
  for (const key of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return false;
    parent = (parent as Record<PropertyKey, unknown>)[key];
  }
  const last = path[path.length - 1] as PropertyKey;
  return (
    parent !== null &&
    typeof parent === 'object' &&
    !Array.isArray(parent) &&
    !Object.prototype.hasOwnProperty.call(parent, last)
  );
}

/** A validation issue as `field: message`, or just the message for the whole body. */
function describeIssue(
  issue: Issue,
  part: string | undefined,
  input: unknown,
): { field: string; message: string } {
  const inner = issue.params?.issue;
  const path = inner?.path ?? issue.path ?? [];
  const field =
    path.length > 0
      ? path.map(String).join('.')
      : (issue.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '');
  const where = path.length > 0 ? path : (issue.instancePath?.split('/').filter(Boolean) ?? []);
  const message = isMissing(issue, where, input)
    ? 'is required'
    : (inner?.message ?? issue.message ?? 'is invalid');
  return { field: field || (part ?? 'body'), message };
}

/** What the request sent in the part that failed validation. */
function partOf(request: FastifyRequest, part: string | undefined): unknown {
  switch (part) {
    case 'body':
      return request.body;
    case 'querystring':
      return request.query;
    case 'params':
      return request.params;
    case 'headers':
      return request.headers;
    default:
      return undefined;
  }
}

/**
 * Every error leaves in the envelope of docs/errors.md. Errors the wallet meant to raise keep their
 * code; Fastify's own 4xx (bad JSON, wrong content type, body too large) become
 * `invalid_request`; anything else is a bug, logged here and shown as `internal_error`
 * with no internals.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | PurserError | Error, request, reply) => {
    if (error instanceof PurserError) {
      return sendError(reply, error.code, error.message, error.details, httpStatusOf(error));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = (error as { validationContext?: string }).validationContext;
      const input = partOf(request, part);
      const issues = (error.validation as unknown as Issue[]).map((i) =>
        describeIssue(i, part, input),
      );
      const first = issues[0];
      const message = first
        ? `Invalid ${part ?? 'request'}: ${first.field} ${first.message}`
        : 'Invalid request';
      return sendError(reply, 'invalid_request', message, { issues });
    }
    const status = (error as FastifyError).statusCode;
    if (status === 413 || (error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(
        reply,
        'invalid_request',
        'Request body too large.',
        { limit_bytes: app.initialConfig.bodyLimit },
        413,
      );
    }
    if (status === 415 || (error as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(
        reply,
        'invalid_request',
        'Send bodies as JSON with "Content-Type: application/json".',
      );
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(reply, 'invalid_request', publicMessage(error as FastifyError));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(
      reply,
      'internal_error',
      'Purser hit an unexpected error. Retry with the same idempotency key.',
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 'not_found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}.`),
  );
}

/** Fastify's client-error messages are safe to show but read better without their codes. */
function publicMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The body is not valid JSON.';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Content-Length does not match the body.';
    default:
      return error.code === undefined || error.code.startsWith('FST_')
        ? 'The request could not be read.'
        : error.message;
  }
}
