import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PurserError } from '../core/errors';
import { agentListenerOf, isAgentRoute, type AgentListener } from './agent-listeners';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Localhost hardening (docs/trust-model.md). The server binds loopback only, but a web page in the
 * owner's browser can still reach it; these checks make sure such a page gets nothing:
 *
 * - `Host` must be a loopback name with our port, so a DNS-rebinding page (whose Host is
 *   its own domain) is refused;
 * - a browser request whose `Origin` is not this server is refused, and no CORS header is
 *   ever sent, so a foreign page cannot read any response;
 * - `Sec-Fetch-Site: cross-site|same-site` is refused as well, for browsers that omit
 *   Origin on some requests;
 * - bodies must be JSON (enforced by the content-type parsers in app.ts), which a form or
 *   a "simple" cross-origin request cannot send without a preflight we never grant.
 */
export function installLocalhostGuards(app: FastifyInstance, port: () => number | undefined): void {
  // Callback style rather than async: it runs on every request, and needs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const listener = agentListenerOf(request);
    if (listener) return done(agentListenerRefusal(request, listener));
    const expectedPort = port();
    const host = request.headers.host;
    if (host === undefined || host === '') {
      // HTTP/1.1 requires Host (RFC 9112 §3.2); Node's own refusal would have no body.
      return done(new PurserError('invalid_request', 'A Host header is required.'));
    }
    if (!isAllowedHost(host, expectedPort)) {
      return done(
        new PurserError(
          'invalid_request',
          'Host not allowed: Purser answers only on a loopback address.',
          {},
          'forbidden',
        ),
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin, expectedPort)) {
      return done(
        new PurserError(
          'invalid_request',
          'Cross-origin requests are not allowed.',
          {},
          'forbidden',
        ),
      );
    }
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      return done(
        new PurserError('invalid_request', 'Cross-site requests are not allowed.', {}, 'forbidden'),
      );
    }
    done();
  });
  // CORS preflights get a plain refusal with no Access-Control-* headers.
  app.options('*', async (request: FastifyRequest) => {
    throw new PurserError(
      'invalid_request',
      `Cross-origin requests are not allowed (${request.method}).`,
      {},
      'forbidden',
    );
  });
}

/**
 * On an agent listener (agent-listeners.ts) only the agent's routes answer, and no browser
 * is expected at all: any Origin or cross-site fetch is
 * refused, and Host must name the listener's own address (a socket has none to check: no
 * web page can reach a Unix socket).
 */
function agentListenerRefusal(
  request: FastifyRequest,
  listener: AgentListener,
): PurserError | undefined {
  const host = request.headers.host?.toLowerCase() ?? '';
  if (listener.hosts && !listener.hosts.includes(host)) {
    return new PurserError(
      'invalid_request',
      `Host not allowed: this listener answers as ${listener.hosts.join(' or ')}.`,
      {},
      'forbidden',
    );
  }
  if (request.headers.origin !== undefined || request.headers['sec-fetch-site'] !== undefined) {
    return new PurserError(
      'invalid_request',
      'Browser requests are not allowed on an agent listener.',
      {},
      'forbidden',
    );
  }
  // Only the agent's routes are there; the owner API and the window are not.
  if (!isAgentRoute(request)) {
    return new PurserError('not_found', 'Not found: this listener serves the agent API only.');
  }
  return undefined;
}

export function isAllowedHost(host: string, port: number | undefined): boolean {
  const lower = host.toLowerCase();
  return LOOPBACK_NAMES.some((name) =>
    port === undefined
      ? lower.startsWith(`${name}:`) || lower === name
      : lower === `${name}:${port}`,
  );
}

export function isAllowedOrigin(origin: string, port: number | undefined): boolean {
  if (port === undefined) return false;
  return LOOPBACK_NAMES.some((name) => origin.toLowerCase() === `http://${name}:${port}`);
}
