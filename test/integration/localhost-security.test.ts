/** docs/trust-model.md, real socket: loopback bind, Host allow-list, Origin refusal, no CORS. */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { spendBody, startTestServer } from '../helpers/server';

/** fetch() will not let us forge Host, so this speaks raw HTTP. */
function rawRequest(
  port: number,
  headers: Record<string, string>,
  method = 'GET',
  path = '/v1/balance',
  body?: string,
) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers, setHost: false },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const corsHeaders = (headers: Record<string, unknown>) =>
  Object.keys(headers).filter((h) => h.startsWith('access-control-'));

describe('localhost hardening', () => {
  it('listens on 127.0.0.1 only', async () => {
    const t = await startTestServer();
    const address = t.server.app.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1' });
  });

  it('refuses a Host that is not a loopback name with our port (DNS rebinding)', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const port = t.server.info.port;
    const auth = { authorization: `Bearer ${key}` };
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      'localhost',
      `127.0.0.2:${port}`,
    ]) {
      const r = await rawRequest(port, { ...auth, host });
      expect(r.status, host).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'invalid_request' } });
    }
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `[::1]:${port}`,
    ]) {
      expect((await rawRequest(port, { ...auth, host })).status, host).toBe(200);
    }
    // No Host at all: Node's HTTP parser refuses HTTP/1.1 without one before we see it.
    expect((await rawRequest(port, { ...auth })).status).toBe(400);
  });

  it('refuses a foreign Origin and cross-site fetches, and never grants CORS', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const port = t.server.info.port;
    const base = { host: `127.0.0.1:${port}`, authorization: `Bearer ${key}` };
    for (const origin of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
    ]) {
      const r = await rawRequest(port, { ...base, origin });
      expect(r.status, origin).toBe(403);
      expect(corsHeaders(r.headers)).toEqual([]);
    }
    const crossSite = await rawRequest(port, { ...base, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const same = await rawRequest(port, {
      ...base,
      origin: `http://127.0.0.1:${port}`,
      'sec-fetch-site': 'same-origin',
    });
    expect(same.status).toBe(200);
    expect(corsHeaders(same.headers)).toEqual([]);
  });

  it('refuses a Host that only starts with a loopback name, even with our port', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const port = t.server.info.port;
    const auth = { authorization: `Bearer ${key}` };
    for (const host of [
      `127.0.0.1.nip.io:${port}`,
      `localhost.evil.example:${port}`,
      `[::1].evil.example:${port}`,
      `127.0.0.1:${port}0`,
      `localhost:${port}.evil.example`,
    ]) {
      const r = await rawRequest(port, { ...auth, host });
      expect(r.status, host).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'invalid_request' } });
    }
  });

  it('refuses an Origin that only starts with ours', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const port = t.server.info.port;
    const base = { host: `127.0.0.1:${port}`, authorization: `Bearer ${key}` };
    for (const origin of [
      `http://127.0.0.1:${port}0`,
      `http://localhost:${port}.evil.example`,
      `http://127.0.0.1:${port}@evil.example`,
    ]) {
      const r = await rawRequest(port, { ...base, origin });
      expect(r.status, origin).toBe(403);
      expect(corsHeaders(r.headers)).toEqual([]);
    }
    expect((await rawRequest(port, { ...base, origin: `http://localhost:${port}` })).status).toBe(
      200,
    );
  });

  it('refuses Sec-Fetch-Site: same-site with no Origin (another port or subdomain of the site)', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const port = t.server.info.port;
    const base = { host: `127.0.0.1:${port}`, authorization: `Bearer ${key}` };
    const r = await rawRequest(port, { ...base, 'sec-fetch-site': 'same-site' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'invalid_request' } });
    expect(corsHeaders(r.headers)).toEqual([]);
    for (const site of ['same-origin', 'none']) {
      expect((await rawRequest(port, { ...base, 'sec-fetch-site': site })).status, site).toBe(200);
    }
  });

  it('answers a CORS preflight with a refusal and no Access-Control headers', async () => {
    const t = await startTestServer();
    const port = t.server.info.port;
    const r = await rawRequest(
      port,
      {
        host: `127.0.0.1:${port}`,
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
      'OPTIONS',
      '/v1/spend',
    );
    expect(r.status).toBe(403);
    expect(corsHeaders(r.headers)).toEqual([]);
  });

  it('a foreign page cannot spend with a form post even with a stolen key', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const port = t.server.info.port;
    const form = new URLSearchParams({
      amount_cents: '100',
      currency: 'usd',
      merchant_name: 'x',
      reason: 'y',
    }).toString();
    const r = await rawRequest(
      port,
      {
        host: `127.0.0.1:${port}`,
        authorization: `Bearer ${key}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      'POST',
      '/v1/spend',
      form,
    );
    expect(r.status).toBe(400);
    const ledger = await t.call('ledgerPage', { query: { type: 'spend.approved' } });
    expect(ledger.body.entries).toHaveLength(0);
    expect((await t.agent(key, 'POST', '/v1/spend', spendBody(100))).status).toBe(200);
  });

  it('no response carries a key hash or a stack trace', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const responses = [
      await t.agent(key, 'POST', '/v1/spend', '{bad'),
      await t.agent(key, 'GET', '/v1/policy'),
      await t.agent(key, 'GET', '/v1/balance'),
      await t.agent(`psk_live_${'Z'.repeat(40)}`, 'GET', '/v1/balance'),
    ];
    for (const r of responses) {
      const text = JSON.stringify(r.body);
      expect(text).not.toContain(key);
      expect(text).not.toMatch(/at .*\.ts:\d+/);
      expect(text).not.toMatch(/[0-9a-f]{64}/);
    }
  });
});
