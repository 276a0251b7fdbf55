/**
 * The TypeScript agent client (shared/client/purser-client.ts). Its retry rules against a
 * real local HTTP server that answers 429, 500/502/503 and drops connections: retried with
 * the same idempotency key; 400/401/402/403/404/409 never retried. And every route against
 * a real Purser, including waitForDecision over the long poll.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { PurserApiError, PurserClient } from '../../shared/client';
import { startTestServer } from '../helpers/server';

interface Seen {
  method: string;
  url: string;
  key: string | undefined;
  authorization: string | undefined;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections(); // the never-answering server holds its requests open
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A server that plays `script` in order (then repeats its last step), recording each call. */
async function scripted(
  script: Array<(req: IncomingMessage, res: ServerResponse) => void>,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const parsed = body ? (JSON.parse(body) as { idempotency_key?: string }) : {};
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        key: parsed.idempotency_key,
        authorization: req.headers.authorization,
      });
      const step = script[Math.min(seen.length - 1, script.length - 1)];
      step?.(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, seen };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const error = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message: `${code} for the test`, details: {} } }, headers);
const drop = (req: IncomingMessage) => req.socket.destroy();
const approved = json(200, { id: 'req_1', status: 'approved' });

function client(url: string, sleeps: number[] = []) {
  return new PurserClient({
    key: 'psk_test_example',
    url,
    retries: 4,
    backoffMs: 100,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

const spend = { amount_cents: 100, merchant_name: 'AWS', reason: 'test' };

describe('the agent client retries only what is safe to retry', () => {
  it('429 with Retry-After, then 500, 502, 503 and a dropped connection: retried with one idempotency key', async () => {
    const server = await scripted([
      error(429, 'rate_limited', { 'retry-after': '2' }),
      error(500, 'internal_error'),
      error(502, 'internal_error'),
      drop,
      approved,
    ]);
    const sleeps: number[] = [];
    const result = await client(server.url, sleeps).spend(spend);
    expect(result.status).toBe('approved');
    expect(server.seen).toHaveLength(5);
    const keys = new Set(server.seen.map((s) => s.key));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.seen.every((s) => s.authorization === 'Bearer psk_test_example')).toBe(true);
    // Retry-After is honoured; then full jitter under a doubling ceiling (100, 200, 400 ms).
    expect(sleeps).toEqual([2_000, 100, 200, 400]);
  });

  it('a caller-given idempotency key is kept on every retry; a new logical call gets a new one', async () => {
    const server = await scripted([error(503, 'internal_error'), approved, approved]);
    const c = client(server.url);
    await c.spend({ ...spend, idempotency_key: 'order-42' });
    await c.spend(spend);
    expect(server.seen.map((s) => s.key).slice(0, 2)).toEqual(['order-42', 'order-42']);
    expect(server.seen[2]?.key).not.toBe('order-42');
  });

  for (const [status, code] of [
    [400, 'invalid_request'],
    [401, 'invalid_api_key'],
    [402, 'insufficient_wallet_balance'],
    [403, 'revoked_api_key'],
    [404, 'not_found'],
    [409, 'idempotency_key_conflict'],
  ] as const) {
    it(`${status} ${code} is an answer: thrown at once, never retried`, async () => {
      const server = await scripted([error(status, code), approved]);
      const failure = await client(server.url)
        .spend(spend)
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(PurserApiError);
      expect(failure).toMatchObject({ status, code });
      expect(server.seen).toHaveLength(1);
    });
  }

  it('gives up after its retries and throws the last failure', async () => {
    const server = await scripted([error(503, 'internal_error')]);
    const failure = await client(server.url)
      .balance()
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 503, retryable: true });
    expect(server.seen).toHaveLength(5);
  });

  it('a server that never answers is a timeout, retried like a network error', async () => {
    const server = await scripted([() => undefined]); // holds every request open
    const c = new PurserClient({
      key: 'psk_test_example',
      url: server.url,
      retries: 1,
      timeoutMs: 200,
      sleep: async () => undefined,
    });
    const failure = await c.balance().catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'timeout', status: 0 });
    expect(server.seen).toHaveLength(2);
  });
});

describe('the agent client against a real Purser', () => {
  it('spends, replays, reads, waits for the owner, and reports receipts and budgets', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 5_000 });
    const c = new PurserClient({ key, url: t.url });

    const first = await c.spend({ ...spend, idempotency_key: 'k-1' });
    expect(first.status).toBe('approved');
    const again = await c.spend({ ...spend, idempotency_key: 'k-1' });
    expect(again.id).toBe(first.id);
    expect((await c.getSpend(first.id)).id).toBe(first.id);

    const pending = await c.spend({ ...spend, amount_cents: 6_000 });
    expect(pending.status).toBe('needs_approval');
    const waiting = c.waitForDecision(pending.id, { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const approve = await t.owner('POST', `/admin/v1/spend-requests/${pending.id}/approve`, {});
    expect(approve.status).toBe(200);
    expect((await waiting).status).toBe('approved');

    const balance = await c.balance();
    expect(balance.spent_cents).toBe(6_100);
    expect((await c.policy()).policy_version).toBe(1);

    const receipt = await c.recordReceipt({
      amount_cents: 50,
      merchant_name: 'shop',
      rail: 'card',
    });
    expect(receipt.remaining_budget_cents).toBe(100_000 - 6_150);
    const asked = await c.requestBudget({ amount_cents: 1_000, purpose: 'crawl' });
    expect(asked.status).toBe('pending');
    expect((await c.getBudgetRequest(asked.id)).id).toBe(asked.id);
    expect((await c.listBudgetRequests({ status: 'pending' })).data.map((b) => b.id)).toEqual([
      asked.id,
    ]);

    const bad = await c.spend({ ...spend, amount_cents: -1 }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: 'invalid_request' });
    const stranger = new PurserClient({ key: 'psk_test_' + 'x'.repeat(32), url: t.url });
    expect(await stranger.balance().catch((e: unknown) => e)).toMatchObject({ status: 401 });
  });
});
