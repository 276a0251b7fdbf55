import type { FastifyRequest } from 'fastify';
import { PurserError } from '../core/errors';

/**
 * The idempotency key of a creating call: the `Idempotency-Key` header or the body field,
 * not two different ones. The header is validated by each route's header schema with the
 * body field's rules (an empty header is an error, not "no key").
 */
export function idempotencyKeyOf(
  request: FastifyRequest,
  bodyKey: string | undefined,
): string | undefined {
  const header = request.headers['idempotency-key'];
  const headerKey = Array.isArray(header) ? header[0] : header;
  if (headerKey !== undefined && bodyKey !== undefined && headerKey !== bodyKey) {
    throw new PurserError(
      'invalid_request',
      'The Idempotency-Key header and the idempotency_key field differ; send one.',
    );
  }
  return headerKey ?? bodyKey;
}

/**
 * Long polls stop when the client hangs up (the reply's socket closing, not the request's).
 * Only a call that will actually wait gets a signal: making one for every read is not free.
 */
export function abortOnClose(
  reply: { raw: { once(event: 'close', listener: () => void): unknown } },
  waitSeconds: number,
): AbortSignal | undefined {
  if (waitSeconds <= 0) return undefined;
  const abort = new AbortController();
  reply.raw.once('close', () => abort.abort());
  return abort.signal;
}
