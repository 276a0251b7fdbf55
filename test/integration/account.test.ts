/** Balance, the policy pre-flight, the sandbox faucet and the OpenAPI document. */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import { spendBody, startTestServer } from '../helpers/server';

describe('GET /v1/balance', () => {
  it('reports budget, spent, remaining, the window and the funding balance', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 50_000, period: 'weekly' }, 80_000);
    await t.agent(key, 'POST', '/v1/spend', spendBody(12_345));
    const r = await t.agent(key, 'GET', '/v1/balance');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      object: 'balance',
      budget_period: 'weekly',
      budget_cents: 50_000,
      spent_cents: 12_345,
      remaining_budget_cents: 37_655,
      remaining_weekly_budget_cents: 37_655,
      funding_balance_cents: 80_000 - 12_345,
      over_budget: false,
      frozen: false,
      active_budget_request: null,
    });
    expect(r.body.window_start).toBe('2026-03-09T00:00:00.000Z');
  });
});

describe('GET /v1/policy', () => {
  it('is the whole policy as it applies now, with the key it was asked with', async () => {
    const t = await startTestServer();
    const { key, keyId } = await t.newAgent({
      budget_cents: 10_000,
      max_transaction_cents: 2_000,
      approval_threshold_cents: 1_500,
      allow_merchants: ['*.openai.com'],
      velocity_per_hour: 5,
    });
    await t.agent(key, 'POST', '/v1/spend', spendBody(1_000, 'api.openai.com'));
    const r = await t.agent(key, 'GET', '/v1/policy');
    expect(r.body).toMatchObject({
      object: 'policy',
      policy_version: 1,
      max_transaction_cents: 2_000,
      approval_threshold_cents: 1_500,
      allow_merchants: ['*.openai.com'],
      deny_merchants: [],
      velocity: { max_per_hour: 5, used_last_hour: 1 },
      rate_limit_per_minute: 600,
      pending_expiry_hours: 24,
      key: { id: keyId, scopes: ['spend.read', 'spend.write'], expires_at: null },
      budget: { budget_cents: 10_000, spent_cents: 1_000, remaining_budget_cents: 9_000 },
    });
  });
});

describe('POST /v1/sandbox/faucet', () => {
  it('adds test money for test keys only', async () => {
    const t = await startTestServer();
    const test = await t.newAgent({ mode: 'test' }, 0);
    const live = await t.newAgent({ mode: 'live' }, 0);
    const r = await t.agent(test.key, 'POST', '/v1/sandbox/faucet', { amount_cents: 2_500 });
    expect(r.body).toMatchObject({
      object: 'faucet_deposit',
      amount_cents: 2_500,
      funding_balance_cents: 2_500,
      remaining_budget_cents: 100_000,
    });
    const byDefault = await t.agent(test.key, 'POST', '/v1/sandbox/faucet');
    expect(byDefault.body).toMatchObject({ amount_cents: 10_000, funding_balance_cents: 12_500 });
    const refused = await t.agent<ErrorEnvelope>(live.key, 'POST', '/v1/sandbox/faucet', {
      amount_cents: 100,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('insufficient_scope');
    expect(test.key.startsWith('psk_test_')).toBe(true);
    expect(live.key.startsWith('psk_live_')).toBe(true);
  });
});

describe('GET /v1/openapi.json', () => {
  it('describes every agent route from the schemas that validate them', async () => {
    const t = await startTestServer();
    const r = await t.raw('/v1/openapi.json');
    expect(r.status).toBe(200);
    const doc = r.body as unknown as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/spend',
        '/v1/spend/{id}',
        '/v1/spend/{id}/cancel',
        '/v1/balance',
        '/v1/policy',
        '/v1/sandbox/faucet',
      ]),
    );
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/admin'))).toBe(false);
    const ref =
      doc.paths['/v1/spend']?.post?.requestBody?.content['application/json']?.schema.$ref ?? '';
    expect(ref).toMatch(/^#\/components\/schemas\//);
    const schema = JSON.stringify(doc.components.schemas[ref.split('/').pop() ?? '']);
    expect(schema).toContain('amount_cents');
    expect(schema).toContain('"maximum":100000000000');
    expect(schema).toContain('"additionalProperties":false');
  });
});
