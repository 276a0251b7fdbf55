import { timingSafeEqual } from 'node:crypto';
import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyRequest,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify';
import type { Scope } from '../../shared/domain';
import { PurserError } from '../core/errors';
import { hashKey, requireScope, type KeyAuth } from '../core/keys/key-repository';
import type { Wallet } from '../core/wallet';
import type { OwnerSession, OwnerSessions } from './owner-sessions';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on agent routes once the spending key has been checked. */
    agentAuth: KeyAuth | null;
    /** Set on owner routes opened by a window session (null: the owner token). */
    ownerSession: OwnerSession | null;
  }
  interface FastifyContextConfig {
    /** The scope an agent route needs. */
    scope?: Scope;
    /** Owner routes: only the owner's secret opens them. */
    owner?: boolean;
    /** Open to any local caller (the OpenAPI document). Must be said out loud. */
    public?: boolean;
  }
}

export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Step 1 of docs/decision-order.md, before the body is parsed: a bad or revoked key learns nothing
 * about whether its body would have been valid.
 */
export function installAgentAuth(app: FastifyInstance, wallet: Wallet): void {
  app.decorateRequest('agentAuth', null);
  onRoutesWith(app, 'scope', (scope) => (request, _reply, done) => {
    try {
      const auth = wallet.keys.authenticate(bearer(request));
      requireScope(auth, scope);
      request.agentAuth = auth;
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

export function agentAuthOf(request: FastifyRequest): KeyAuth {
  if (!request.agentAuth) throw new Error('agent route without agent auth');
  return request.agentAuth;
}

/**
 * Owner routes accept only the owner's secret, compared in constant time, or a live window
 * session token, both as `Authorization: Bearer`. Never a cookie (docs/trust-model.md),
 * and never a spending key, whatever its scopes: an agent cannot approve its own request
 * or raise its own limit.
 */
export function installOwnerAuth(
  app: FastifyInstance,
  ownerSecret: string,
  sessions: OwnerSessions,
): void {
  const expected = hashKey(ownerSecret);
  app.decorateRequest('ownerSession', null);
  onRoutesWith(app, 'owner', () => (request, _reply, done) => {
    const given = bearer(request);
    if (given !== undefined) {
      if (timingSafeEqual(hashKey(given), expected)) return done();
      const session = sessions.use(given);
      if (session) {
        request.ownerSession = session;
        return done();
      }
    }
    done(
      new PurserError(
        'invalid_api_key',
        given?.startsWith('pos_')
          ? 'This owner session has ended (idle too long, revoked, or Purser restarted). Run `purser login` for a new link.'
          : 'Owner routes need the owner token or a window session; spending keys are not accepted here.',
      ),
    );
  });
}

/**
 * Every route under /v1/ and /admin/, and /mcp, must say who may call it (`scope`, `owner` or
 * `public` in its config), or the app refuses to start. Authentication is attached to
 * routes as they are declared, so a route that forgot to say would otherwise be open to
 * anyone; this makes that mistake fail closed. Install it before any route.
 */
export function requireDeclaredAccess(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url;
    if (!url.startsWith('/v1/') && !url.startsWith('/admin/') && url !== '/mcp') return;
    const config = (route.config ?? {}) as FastifyContextConfig;
    if (config.scope === undefined && config.owner !== true && config.public !== true) {
      const methods = [route.method].flat().join(',');
      throw new Error(
        `${methods} ${url} does not declare who may call it (scope, owner or public)`,
      );
    }
  });
}

/**
 * Adds an onRequest hook to each route whose config sets `key`, as the route is declared
 * (these run after the global localhost guards). Routes without it pay nothing, and the
 * check needs no per-request look at the route's config.
 */
function onRoutesWith<K extends 'scope' | 'owner'>(
  app: FastifyInstance,
  key: K,
  hookFor: (value: NonNullable<FastifyContextConfig[K]>) => onRequestHookHandler,
): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const value = (route.config as FastifyContextConfig | undefined)?.[key];
    if (value === undefined || value === false) return;
    const existing = route.onRequest;
    const hook = hookFor(value);
    route.onRequest = existing === undefined ? [hook] : [...[existing].flat(), hook];
  });
}
