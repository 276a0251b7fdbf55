/**
 * Hostile input (docs/errors.md): fast-check throws arbitrary JSON bodies, headers, query
 * strings, ids, huge and deeply nested bodies, wrong types, negative, fractional and huge
 * amounts and unicode at every route. Every answer must be a success or an error
 * envelope, never a 500 or a hang; the server must stay up; and input that is refused
 * must write nothing.
 *
 * PURSER_FUZZ_RUNS sets the number of requests per route (npm test: 200, so 3,200 in all).
 */
import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorEnvelope } from '../../shared/errors';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { startTestServer, type TestServer } from '../helpers/server';
import { walletInternals } from '../../electron/core/wallet-internals';

const RUNS = Number(process.env.PURSER_FUZZ_RUNS ?? 200);
const codes = new Set<string>(ERROR_CODES);

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Raw HTTP, so that any header and any bytes can be sent; every call must end in 10 s. */
function send(
  port: number,
  r: Sent,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: r.method,
        path: r.path,
        headers: { host: `127.0.0.1:${port}`, ...r.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }),
        );
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`hang: ${r.method} ${r.path}`)));
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

const amount = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, 1e15, 1e308, Number.MAX_SAFE_INTEGER, -0, 100_000_000_001),
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constant(''),
  fc.constant('x'.repeat(5_000)),
  fc.integer(),
  fc.constant(null),
);
const spendLike = fc.record(
  {
    amount_cents: amount,
    amount_micros: amount,
    currency: fc.oneof(fc.constantFrom('usd', 'USDC', 'eur', ''), text),
    merchant_name: text,
    host: text,
    reason: text,
    purpose: text,
    rail: fc.oneof(fc.constantFrom('x402', 'card', 'wire'), text),
    category: text,
    metadata: fc.jsonValue({ maxDepth: 4 }),
    idempotency_key: text,
    spend_request_id: text,
    [`extra_${'x'}`]: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);
const deep = fc.integer({ min: 100, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
const deepObject = fc
  .integer({ min: 100, max: 9_000 })
  .map(
    (n) =>
      `{"amount_cents":1,"currency":"usd","merchant_name":"m","reason":"r","metadata":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`,
  );
const bodyArb = fc.oneof(
  spendLike.map((b) => JSON.stringify(b)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  deep,
  deepObject,
  fc.constant('x'.repeat(70_000)),
  fc.constant(''),
  fc.constant(
    '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},"amount_cents":1}',
  ),
  fc.constant('\uFEFF{"amount_cents":1}'),
);
const idArb = fc.oneof(
  fc.constantFrom('req_', 'breq_', 'rcpt_', '..', '%00', '%2e%2e%2f', 'req_' + 'A'.repeat(20)),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const queryArb = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.constantFrom(
        'wait',
        'status',
        'limit',
        'x',
        'wait[]',
        'activity',
        'nearest',
        'from',
        'to',
        'group_by',
        'bucket',
        'mode',
      ),
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('1', '61', '-1', '1e3', '0x10', 'approved'),
        // The Spending view's values, so that its range checks are reached.
        fc.constantFrom(
          '2026-03-14T00:00:00Z',
          '2026-03-15T00:00:00+01:00',
          '0000-01-01T00:00:00Z',
          'hour',
          'merchant',
          'live',
        ),
      ),
    )
    .map((q) => `?${new URLSearchParams(q)}`),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/JSON',
  '',
  'application/json; charset=latin1',
);

type Route = { method: string; path: (id: string) => string; body: boolean };
const ROUTES: Route[] = [
  { method: 'POST', path: () => '/v1/spend', body: true },
  { method: 'POST', path: () => '/v1/spend-requests', body: true },
  { method: 'GET', path: (id) => `/v1/spend/${id}`, body: false },
  { method: 'POST', path: (id) => `/v1/spend/${id}/cancel`, body: true },
  { method: 'GET', path: () => '/v1/balance', body: false },
  { method: 'GET', path: () => '/v1/policy', body: false },
  { method: 'POST', path: () => '/v1/budget-requests', body: true },
  { method: 'GET', path: () => '/v1/budget-requests', body: false },
  { method: 'GET', path: (id) => `/v1/budget-requests/${id}`, body: false },
  { method: 'POST', path: () => '/v1/receipts', body: true },
  { method: 'POST', path: () => '/v1/sandbox/faucet', body: true },
  { method: 'POST', path: () => '/v1/x402/pay', body: true },
  { method: 'GET', path: (id) => `/v1/x402/payments/${id}`, body: false },
  { method: 'POST', path: () => '/v1/pay', body: true },
  { method: 'POST', path: () => '/v1/mpp/pay', body: true },
  { method: 'POST', path: () => '/v1/crypto/payout-intents', body: true },
  { method: 'GET', path: (id) => `/v1/crypto/payout-intents/${id}`, body: false },
  { method: 'POST', path: () => '/admin/v1/recipients', body: true },
  { method: 'POST', path: (id) => `/admin/v1/agents/${id}/connect`, body: true },
  { method: 'GET', path: () => '/admin/v1/overview', body: false },
  { method: 'GET', path: () => '/admin/v1/spending', body: false },
  { method: 'PUT', path: () => '/admin/v1/chain/chains/local', body: true },
  { method: 'PUT', path: (id) => `/admin/v1/agents/${id}/allowance`, body: true },
  { method: 'GET', path: () => '/v1/openapi.json', body: false },
  { method: 'POST', path: (id) => `/admin/v1/spend-requests/${id}/approve`, body: true },
  { method: 'PATCH', path: (id) => `/admin/v1/agents/${id}/policy`, body: true },
  { method: 'DELETE', path: () => '/v1/spend', body: false },
  { method: 'PUT', path: (id) => `/v1/${id}`, body: true },
];

function ledgerSize(t: TestServer): number {
  return walletInternals(t.server.wallet).ledger.count();
}

describe('fuzzing every route', () => {
  it(`answers ${RUNS * ROUTES.length} hostile requests with envelopes only, and writes nothing for refused input`, async () => {
    const t = await startTestServer();
    // A rate limit the fuzz cannot reach, so that bodies rather than 429s are tested.
    const live = await t.newAgent({
      approval_threshold_cents: 500,
      rate_limit_per_minute: 1_000_000,
    });
    const test = await t.newAgent({ mode: 'test', rate_limit_per_minute: 1_000_000 });
    const port = t.server.info.port;
    // Mostly valid keys, so that most requests get past step 1 and test the body.
    const authArb = fc.oneof(
      { weight: 6, arbitrary: fc.constant(`Bearer ${live.key}`) },
      { weight: 2, arbitrary: fc.constant(`Bearer ${test.key}`) },
      { weight: 1, arbitrary: fc.constant(`Bearer ${t.server.ownerToken}`) },
      { weight: 1, arbitrary: fc.constant('Bearer psk_live_' + 'Z'.repeat(40)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
      { weight: 1, arbitrary: fc.constant('') },
    );
    let sent = 0;
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        idArb,
        queryArb,
        authArb,
        contentType,
        bodyArb,
        fc.dictionary(
          fc.constantFrom(
            'idempotency-key',
            'x-forwarded-for',
            'cookie',
            'accept',
            'content-encoding',
          ),
          fc.string({ maxLength: 30 }).filter((v) => /^[\x20-\x7e]*$/.test(v)),
        ),
        async (route, id, query, auth, type, body, extra) => {
          const before = ledgerSize(t);
          const headers: Record<string, string> = {
            ...extra,
            ...(auth ? { authorization: auth } : {}),
          };
          if (route.body && type) headers['content-type'] = type;
          const path = `${route.path(encodeURIComponent(id))}${query}`;
          const r = await send(port, {
            method: route.method,
            path,
            headers,
            body: route.body ? body : undefined,
          });
          sent += 1;
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          expect(r.status, `${route.method} ${path} → ${r.body.slice(0, 300)}`).not.toBe(500);
          expect(r.status).toBeLessThan(500);
          if (r.status >= 400) {
            const envelope = JSON.parse(r.body) as ErrorEnvelope;
            expect(codes.has(envelope.error.code), r.body).toBe(true);
            expect(typeof envelope.error.message).toBe('string');
            expect(envelope.error.details).toBeTypeOf('object');
            // Refused input writes nothing (402 refusals are decisions, ledgered on purpose).
            if (r.status !== 402)
              expect(ledgerSize(t), `${route.method} ${path} wrote after ${r.status}`).toBe(before);
          }
          expect(r.body).not.toMatch(/at [^\n]+\.(ts|js):\d+/);
          expect(r.body).not.toContain(live.key);
          expect(Object.keys(r.headers).some((h) => h.startsWith('access-control-'))).toBe(false);
        },
      ),
      { numRuns: RUNS * ROUTES.length },
    );
    // Still up, and still deciding.
    const after = await t.agent<SpendRequestView>(live.key, 'POST', '/v1/spend', {
      amount_cents: 1,
      currency: 'usd',
      merchant_name: 'AWS',
      reason: 'after the fuzz',
    });
    expect(after.status).toBe(200);
    console.log(
      `fuzz: ${sent} hostile requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  }, 600_000);
});
