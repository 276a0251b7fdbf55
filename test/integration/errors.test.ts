/** docs/errors.md: every error code with its status, and malformed input never becoming a 500. */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer, type HttpResult } from '../helpers/server';

function expectEnvelope(r: HttpResult, status: number, code: string): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  const body = r.body as unknown as ErrorEnvelope;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.details).toBeTypeOf('object');
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
}

describe('keys (docs/decision-order.md, step 1)', () => {
  it('401 invalid_api_key for missing, malformed and unknown keys', async () => {
    const t = await startTestServer();
    expectEnvelope(await t.raw('/v1/balance'), 401, 'invalid_api_key');
    expectEnvelope(
      await t.raw('/v1/balance', { headers: { authorization: 'Bearer' } }),
      401,
      'invalid_api_key',
    );
    expectEnvelope(
      await t.raw('/v1/balance', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      401,
      'invalid_api_key',
    );
    expectEnvelope(await t.agent('psk_live_short', 'GET', '/v1/balance'), 401, 'invalid_api_key');
    expectEnvelope(
      await t.agent(`psk_live_${'A'.repeat(40)}`, 'GET', '/v1/balance'),
      401,
      'invalid_api_key',
    );
    expectEnvelope(
      await t.agent(`sk_live_${'A'.repeat(40)}`, 'GET', '/v1/balance'),
      401,
      'invalid_api_key',
    );
  });

  it('the owner token is not a spending key, and a spending key does not open owner routes', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    expectEnvelope(
      await t.agent(t.server.ownerToken, 'GET', '/v1/balance'),
      401,
      'invalid_api_key',
    );
    expectEnvelope(await t.agent(key, 'GET', '/admin/v1/agents'), 401, 'invalid_api_key');
    expectEnvelope(await t.agent(key, 'POST', '/admin/v1/unfreeze'), 401, 'invalid_api_key');
  });

  it('403 revoked_api_key for a revoked key and an expired one; the other keys keep working', async () => {
    const t = await startTestServer();
    const { agent, key, keyId } = await t.newAgent();
    const second = await t.call('issueKey', { params: { id: agent.id }, body: {} });
    await t.owner('POST', `/admin/v1/keys/${keyId}/revoke`);
    expectEnvelope(await t.agent(key, 'GET', '/v1/balance'), 403, 'revoked_api_key');
    expect((await t.agent(second.body.key, 'GET', '/v1/balance')).status).toBe(200);

    const expiring = await t.call('issueKey', {
      params: { id: agent.id },
      body: { expires_at: new Date(t.clock.now() + 60_000).toISOString() },
    });
    expect((await t.agent(expiring.body.key, 'GET', '/v1/balance')).status).toBe(200);
    t.clock.advance(60_000);
    expectEnvelope(await t.agent(expiring.body.key, 'GET', '/v1/balance'), 403, 'revoked_api_key');
  });

  it('403 insufficient_scope for a read-only key that writes', async () => {
    const t = await startTestServer();
    const { agent } = await t.newAgent();
    const ro = await t.call('issueKey', {
      params: { id: agent.id },
      body: { scopes: ['spend.read'] },
    });
    expect((await t.agent(ro.body.key, 'GET', '/v1/balance')).status).toBe(200);
    expectEnvelope(
      await t.agent(ro.body.key, 'POST', '/v1/spend', spendBody(100)),
      403,
      'insufficient_scope',
    );
  });

  it('a bad key is refused before its body is even read', async () => {
    const t = await startTestServer();
    expectEnvelope(
      await t.agent('psk_live_nope', 'POST', '/v1/spend', '{not json'),
      401,
      'invalid_api_key',
    );
  });
});

describe('objects out of scope', () => {
  it("404 not_found for unknown ids and another agent's ids", async () => {
    const t = await startTestServer();
    const a = await t.newAgent({ name: 'a', approval_threshold_cents: 1 });
    const b = await t.newAgent({ name: 'b' });
    const mine = await t.agent<SpendRequestView>(a.key, 'POST', '/v1/spend', spendBody(100));
    expectEnvelope(await t.agent(b.key, 'GET', `/v1/spend/${mine.body.id}`), 404, 'not_found');
    expectEnvelope(
      await t.agent(b.key, 'POST', `/v1/spend/${mine.body.id}/cancel`),
      404,
      'not_found',
    );
    expectEnvelope(
      await t.agent(a.key, 'GET', '/v1/spend/req_doesnotexist000000'),
      404,
      'not_found',
    );
    expectEnvelope(await t.agent(a.key, 'GET', `/v1/spend/${'x'.repeat(300)}`), 404, 'not_found');
    expectEnvelope(await t.agent(a.key, 'GET', '/v1/nothing-here'), 404, 'not_found');
  });

  it('409 invalid_request when cancelling a request that is not pending', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const approved = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100));
    expectEnvelope(
      await t.agent(key, 'POST', `/v1/spend/${approved.body.id}/cancel`),
      409,
      'invalid_request',
    );
  });
});

describe('rate limit (docs/decision-order.md, step 4)', () => {
  it('429 rate_limited with Retry-After, per key, refilled by time', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ rate_limit_per_minute: 3 });
    const other = await t.call('issueKey', { params: { id: agent.id }, body: {} });
    for (let i = 0; i < 3; i += 1)
      expect((await t.agent(key, 'POST', '/v1/spend', spendBody(100))).status).toBe(200);
    const limited = await t.agent(key, 'POST', '/v1/spend', spendBody(100));
    expectEnvelope(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t.agent(other.body.key, 'GET', '/v1/balance')).status).toBe(200);
    t.clock.advance(20_000);
    expect((await t.agent(key, 'POST', '/v1/spend', spendBody(100))).status).toBe(200);
  });
});

describe('malformed input (docs/errors.md: never a 500)', () => {
  const bad: Array<[string, unknown]> = [
    ['not JSON', '{"amount_cents": 100,'],
    ['an array', '[]'],
    ['a string', '"spend"'],
    ['null', 'null'],
    ['zero amount', spendBody(0)],
    ['negative amount', spendBody(-100)],
    ['fractional amount', { ...spendBody(1), amount_cents: 1.5 }],
    ['amount as a string', { ...spendBody(1), amount_cents: '100' }],
    ['amount over a billion dollars', spendBody(100_000_000_001)],
    ['huge amount', { ...spendBody(1), amount_cents: 1e308 }],
    ['missing amount', { currency: 'usd', merchant_name: 'AWS', reason: 'x' }],
    ['unknown currency', { ...spendBody(100), currency: 'eur' }],
    ['currency as a number', { ...spendBody(100), currency: 840 }],
    ['empty merchant', spendBody(100, '')],
    ['blank merchant', spendBody(100, '   ')],
    ['merchant too long', spendBody(100, 'm'.repeat(5_000))],
    ['metadata as an array', { ...spendBody(100), metadata: [1, 2] }],
    ['metadata over 4 KiB', { ...spendBody(100), metadata: { blob: 'x'.repeat(5_000) } }],
    ['an unknown field', { ...spendBody(100), amount_dollars: 1 }],
    [
      'prototype poisoning',
      '{"amount_cents":100,"currency":"usd","merchant_name":"a","reason":"b","__proto__":{"admin":true}}',
    ],
    [
      'deeply nested metadata',
      `{"amount_cents":100,"currency":"usd","merchant_name":"a","reason":"b","metadata":${'{"a":'.repeat(9_000)}1${'}'.repeat(9_000)}}`,
    ],
    ['a bad idempotency key', { ...spendBody(100), idempotency_key: 'has spaces' }],
  ];

  it.each(bad)('400 invalid_request for %s, and nothing is written', async (_label, body) => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const before = await t.call('ledgerPage', { query: { limit: 1000 } });
    const r = await t.agent(key, 'POST', '/v1/spend', body);
    expectEnvelope(r, 400, 'invalid_request');
    const after = await t.call('ledgerPage', { query: { limit: 1000 } });
    expect(after.body.entries.length).toBe(before.body.entries.length);
  });

  it('says a prototype-poisoning key is why, and a broken body is not JSON', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const poisoned = await t.agent<ErrorEnvelope>(
      key,
      'POST',
      '/v1/spend',
      '{"amount_cents":100,"currency":"usd","merchant_name":"a","reason":"b","metadata":{"__proto__":"x"}}',
    );
    expect(poisoned.status).toBe(400);
    expect(poisoned.body.error.message).toContain('__proto__');
    const broken = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/spend', '{"amount_cents":');
    expect(broken.body.error.message).toBe('The body is not valid JSON.');
  });

  it('explains which field is wrong', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const r = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/spend', {
      ...spendBody(100),
      currency: 'eur',
    });
    expect(r.body.error.message).toContain('currency');
    expect(r.body.error.details.issues).toEqual([expect.objectContaining({ field: 'currency' })]);
  });

  it('says a field that is missing is required, and one that is wrong what it must be', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const spend = (body?: unknown) => t.agent(key, 'POST', '/v1/spend', body);
    const errorOf = (r: HttpResult) => (r.body as unknown as ErrorEnvelope).error;
    const { currency: _currency, ...withoutCurrency } = spendBody(100);

    const missing = await spend(withoutCurrency);
    expectEnvelope(missing, 400, 'invalid_request');
    expect(errorOf(missing).message).toBe('Invalid body: currency is required');
    expect(errorOf(missing).details.issues).toEqual([
      { field: 'currency', message: 'is required' },
    ]);

    // Present but wrong, null included: the schema's own message, as before.
    for (const currency of [null, 840, 'eur']) {
      const wrong = await spend({ ...withoutCurrency, currency });
      expectEnvelope(wrong, 400, 'invalid_request');
      expect(errorOf(wrong).message).toBe('Invalid body: currency must be "usd" (or "usdc")');
    }

    // No body at all: every required field is named, in the schema's order.
    const empty = await spend();
    expectEnvelope(empty, 400, 'invalid_request');
    expect(errorOf(empty).message).toBe('Invalid body: amount_cents is required');
    expect(errorOf(empty).details.issues).toEqual(
      ['amount_cents', 'currency', 'merchant_name', 'reason'].map((field) => ({
        field,
        message: 'is required',
      })),
    );

    // A missing enum is required too; a rule about absent fields keeps its own words.
    const receipt = (body: unknown) => t.agent(key, 'POST', '/v1/receipts', body);
    const noRail = await receipt({ amount_cents: 100, merchant_name: 'AWS' });
    expect(errorOf(noRail).message).toBe('Invalid body: rail is required');
    const noAmount = await receipt({ merchant_name: 'AWS', rail: 'card' });
    expect(errorOf(noAmount).message).toBe(
      'Invalid body: amount_cents give exactly one of amount_cents and amount_micros',
    );

    // Query parameters: a wrong `wait` still says what it must be.
    const wait = await t.agent(key, 'GET', '/v1/spend/req_x?wait=soon');
    expectEnvelope(wait, 400, 'invalid_request');
    expect(errorOf(wait).message).toBe(
      'Invalid querystring: wait must be a whole number of seconds between 0 and 60',
    );
  });

  it('refuses text/plain, form posts and multipart (400), and bodies over 64 KiB (413)', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const post = (contentType: string, body: string) =>
      t.raw('/v1/spend', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
        body,
      });
    expectEnvelope(
      await post('text/plain', JSON.stringify(spendBody(100))),
      400,
      'invalid_request',
    );
    expectEnvelope(
      await post('application/x-www-form-urlencoded', 'amount_cents=100&currency=usd'),
      400,
      'invalid_request',
    );
    expectEnvelope(
      await post('multipart/form-data; boundary=x', '--x\r\n\r\n--x--'),
      400,
      'invalid_request',
    );
    expectEnvelope(
      await post(
        'application/json',
        JSON.stringify({ ...spendBody(100), reason: 'r'.repeat(70_000) }),
      ),
      413,
      'invalid_request',
    );
  });

  it('bad query strings are 400', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1 });
    const r = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100));
    for (const q of ['wait=abc', 'wait=61', 'wait=-1', 'wait=1&other=2']) {
      expectEnvelope(
        await t.agent(key, 'GET', `/v1/spend/${r.body.id}?${q}`),
        400,
        'invalid_request',
      );
    }
  });
});
