/**
 * The owner contract (shared/contract/owner.ts) is the server: every `/admin/v1` route
 * Fastify registers is in it with the same method and path, and nothing else is; each
 * route validates and answers with the contract's own schema objects; and every kind of
 * event the stream sends parses with its `ownerEvents` schema, naming no field it lacks.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { PassphraseSealer } from '../../electron/core/chain/sealer';
import {
  ownerContract,
  ownerEvents,
  type OwnerEventName,
  type OwnerRouteName,
  type OwnerRouteSpec,
} from '../../shared/contract/owner';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import type { AgentBudgetRequestView } from '../helpers/agent-api';
import { routesOf } from '../helpers/route-tree';
import { spendBody, startTestServer } from '../helpers/server';
import { openEvents } from '../helpers/sse';

// Fastify keeps no route's options once it is built, so every app made in this file
// records them as they are registered (an onRoute hook, the one Fastify offers for it).
const registered = vi.hoisted(() => [] as RouteOptions[]);
vi.mock('fastify', async (importOriginal) => {
  const real = await importOriginal<typeof import('fastify')>();
  const make = real.default as unknown as (...args: unknown[]) => FastifyInstance;
  const recording = (...args: unknown[]) => {
    const app = make(...args);
    app.addHook('onRoute', (route) => {
      registered.push(route);
    });
    return app;
  };
  return { ...real, default: recording };
});

const entries = Object.entries(ownerContract) as Array<[OwnerRouteName, OwnerRouteSpec]>;
const key = (method: string, path: string) => `${method} ${path}`;

describe('the owner contract', () => {
  it('lists exactly the /admin/v1 routes the server registers', async () => {
    const t = await startTestServer();
    const served = routesOf(t.server.app.printRoutes({ commonPrefix: false }))
      .filter((r) => r.path.startsWith('/admin/v1/') && r.method !== 'HEAD')
      .map((r) => key(r.method, r.path));
    const described = entries.map(([, spec]) => key(spec.method, spec.path));
    expect(new Set(described).size).toBe(described.length);
    expect([...served].sort()).toEqual([...described].sort());
  });

  it("each route validates and answers with the contract's own schemas", async () => {
    registered.length = 0;
    await startTestServer();
    const routes = new Map(
      registered
        .filter((r) => r.url.startsWith('/admin/v1/') && r.method !== 'HEAD')
        .map((r) => [key(String(r.method), r.url), r]),
    );
    for (const [name, spec] of entries) {
      const route = routes.get(key(spec.method, spec.path));
      expect({ name, registered: route !== undefined }).toEqual({ name, registered: true });
      const schema = (route?.schema ?? {}) as Record<string, unknown>;
      const response = (schema.response ?? {}) as Record<string, unknown>;
      // Identity, not likeness: a copy could drift from what clients are typed against.
      const used = {
        params: schema.params,
        query: schema.querystring,
        body: schema.body,
        response: response[200],
        accepted: response[202],
      };
      const declared = {
        params: spec.params,
        query: spec.query,
        body: spec.body,
        response: spec.response,
        accepted: spec.accepted,
      };
      for (const part of Object.keys(used) as Array<keyof typeof used>)
        expect({ name, part, same: used[part] === declared[part] }).toEqual({
          name,
          part,
          same: true,
        });
      expect({ name, public: route?.config?.public === true }).toEqual({
        name,
        public: spec.public === true,
      });
    }
  });

  it('every kind of event on the stream parses with its schema', async () => {
    const t = await startTestServer({
      sealer: new PassphraseSealer('owner-contract-passphrase'),
      chainPollMs: 3_600_000,
    });
    const stream = await openEvents(t.url, t.server.ownerToken);
    try {
      // agent (created, keys), spend: approved, then one waiting for the owner, approved.
      const { agent, key: spendKey } = await t.newAgent({
        budget_cents: 1_000,
        approval_threshold_cents: 500,
      });
      expect((await t.agent(spendKey, 'POST', '/v1/spend', spendBody(100))).status).toBe(200);
      const pending = await t.agent<SpendRequestView>(
        spendKey,
        'POST',
        '/v1/spend',
        spendBody(600),
      );
      expect(pending.body.status).toBe('needs_approval');
      const approved = await t.call('approveSpend', {
        params: { id: pending.body.id },
        body: { comment: 'fine' },
      });
      expect(approved.status).toBe(200);
      // budget_request: asked, then approved.
      const asked = await t.agent<AgentBudgetRequestView>(spendKey, 'POST', '/v1/budget-requests', {
        amount_cents: 2_000,
        purpose: 'a larger evaluation run',
      });
      expect(asked.status).toBe(200);
      const granted = await t.call('approveBudgetRequest', { params: { id: asked.body.id } });
      expect(granted.status).toBe(200);
      // receipt, and an alert: a payment made elsewhere that goes over the budget.
      const { key: overKey } = await t.newAgent({ name: 'over', budget_cents: 100 });
      const paid = await t.agent(overKey, 'POST', '/v1/receipts', {
        amount_cents: 500,
        rail: 'x402',
        host: 'api.example.com',
      });
      expect(paid.status).toBe(200);
      // agent (policy), settings (the freeze and back), chain (a wallet for the agent).
      const policy = await t.call('updatePolicy', {
        params: { id: agent.id },
        body: { budget_cents: 2_000 },
      });
      expect(policy.status).toBe(200);
      expect((await t.call('freeze')).status).toBe(200);
      expect((await t.call('unfreeze')).status).toBe(200);
      expect((await t.call('createAgentWallet', { params: { id: agent.id } })).status).toBe(200);

      await stream.nextOf('alert', (a) => a.kind === 'over_budget');
      await stream.nextOf('chain', (c) => c.kind === 'wallet_created');
      await stream.nextOf('settings', (s) => !s.frozen);
      const kinds = new Set(stream.events.map((e) => e.event));
      expect([...kinds].sort()).toEqual(Object.keys(ownerEvents).sort());
      for (const e of stream.events) {
        const schema = ownerEvents[e.event as OwnerEventName];
        const parsed = schema.safeParse(e.data);
        expect({ event: e.event, issues: parsed.error?.issues ?? [] }).toEqual({
          event: e.event,
          issues: [],
        });
        // And the other way: the schema names every field the event carries.
        const extra = Object.keys(e.data).filter((k) => !(k in schema.shape));
        expect({ event: e.event, extra }).toEqual({ event: e.event, extra: [] });
      }
    } finally {
      stream.close();
    }
  });

  it('a hostile id reaches its route as that one id', async () => {
    const t = await startTestServer();
    const answer = await t.call('getAgent', { params: { id: '../x?y#z' } });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      error: { code: 'not_found', details: { id: '../x?y#z' } },
    });
  });
});
