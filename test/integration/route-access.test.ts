/**
 * Authentication is attached to each route as it is declared, so the guard that every API
 * route declares who may call it is what keeps a forgotten route from being open. Then,
 * over real HTTP, every route of the running server refuses a caller without credentials.
 */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { requireDeclaredAccess } from '../../electron/api/auth';
import { routesOf } from '../helpers/route-tree';
import type { ErrorEnvelope } from '../../shared/errors';
import { startTestServer } from '../helpers/server';
import { cleanupTmpDirs } from '../helpers/tmp';

afterEach(() => cleanupTmpDirs());

describe('who may call each route', () => {
  it('a route under /v1/ or /admin/ that does not say who may call it stops the app from starting', async () => {
    const app = Fastify();
    requireDeclaredAccess(app);
    expect(() => app.get('/v1/forgotten', async () => 'open')).toThrow(
      /GET \/v1\/forgotten does not declare who may call it/,
    );
    expect(() => app.post('/admin/v1/forgotten', async () => 'open')).toThrow(/does not declare/);
    app.get('/v1/said', { config: { scope: 'spend.read' } }, async () => 1);
    app.get('/admin/v1/said', { config: { owner: true } }, async () => 1);
    app.get('/v1/open', { config: { public: true } }, async () => 1);
    app.get('/elsewhere', async () => 1);
    await app.close();
  });

  it('every /v1 and /admin route of the running server refuses a call without credentials', async () => {
    const t = await startTestServer();
    // The two public routes: the OpenAPI document, and the login exchange (its caller has
    // only a one-time code; a made-up one is refused with 401 below).
    const isPublic = (r: { method: string; path: string }) =>
      r.path === '/v1/openapi.json' || (r.method === 'POST' && r.path === '/admin/v1/sessions');
    const routes = routesOf(t.server.app.printRoutes({ commonPrefix: false })).filter(
      (r) => /^\/(v1|admin)\//.test(r.path) && !isPublic(r) && r.method !== 'HEAD',
    );
    // The tree was read: all the agent and owner routes are there.
    expect(routes.length).toBeGreaterThan(40);
    expect(routes).toContainEqual({ method: 'POST', path: '/v1/spend' });
    expect(routes).toContainEqual({ method: 'POST', path: '/admin/v1/agents/:id/revoke' });
    for (const { method, path } of routes) {
      const url = path.replace(/:[a-z]+/g, 'req_x');
      const answer = await t.raw(url, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 401 });
      expect((answer.body as unknown as ErrorEnvelope).error.code).toBe('invalid_api_key');
    }
    const exchange = await t.raw('/admin/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'A'.repeat(32) }),
    });
    expect(exchange.status).toBe(401);
  });
});
