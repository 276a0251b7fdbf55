import type { Socket } from 'node:net';
import type { ErrorEnvelope } from '../../shared/errors';

/**
 * Errors Node's HTTP parser raises before any route (or Fastify hook) runs: oversized
 * headers, malformed framing, a bad method or version. They leave in the same envelope as
 * every other error (docs/errors.md), never as Fastify's default `{"error":"Bad Request"}`.
 * The connection is closed afterwards: after a framing error its byte stream cannot be
 * trusted to hold another request.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] = describe(error.code);
  const envelope: ErrorEnvelope = {
    error: { code: 'invalid_request', message, details: { parser_error: error.code ?? null } },
  };
  const body = JSON.stringify(envelope);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

function describe(code: string | undefined): [number, string, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'Request Header Fields Too Large', 'The request headers are too large.'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'Request Timeout', 'The request took too long to arrive.'];
    case 'HPE_INVALID_METHOD':
      return [400, 'Bad Request', 'The request method could not be read.'];
    default:
      return [400, 'Bad Request', 'The request could not be read as HTTP/1.1.'];
  }
}
