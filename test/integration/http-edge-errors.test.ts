/**
 * Errors raised before any route runs still leave in the envelope (docs/errors.md):
 * oversized headers, malformed framing, a missing Host. And two request details that were
 * read too loosely: an empty Idempotency-Key header, and the letter case of the currency.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import { spendBody, startTestServer } from '../helpers/server';

/** Sends raw bytes and reads until the server closes or a full answer has arrived. */
function rawHttp(port: number, text: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    const done = () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0);
      resolve({ status, body: out.slice(out.indexOf('\r\n\r\n') + 4) });
    };
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(text.slice(0, 60))}`));
    });
    socket.on('data', (d) => {
      out += d.toString();
      const length = /content-length: (\d+)/i.exec(out)?.[1];
      const head = out.indexOf('\r\n\r\n');
      if (length && head >= 0 && out.length >= head + 4 + Number(length)) {
        socket.destroy();
        done();
      }
    });
    socket.on('close', done);
    socket.on('error', reject);
    socket.write(text);
  });
}

function envelope(body: string): ErrorEnvelope['error'] {
  const parsed = JSON.parse(body) as ErrorEnvelope;
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(typeof parsed.error.message).toBe('string');
  expect(typeof parsed.error.details).toBe('object');
  return parsed.error;
}

describe('errors before any route runs', () => {
  it('a 20 KB header: 431 in the envelope', async () => {
    const t = await startTestServer();
    const port = t.server.info.port;
    const res = await rawHttp(
      port,
      `GET /v1/balance HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(envelope(res.body).code).toBe('invalid_request');
  });

  it('malformed framing and a bad request line: 400 in the envelope', async () => {
    const t = await startTestServer();
    const port = t.server.info.port;
    const { key } = await t.newAgent();
    for (const text of [
      `POST /v1/spend HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nzz\r\n`,
      `POST /v1/spend HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n`,
      'GARBAGE\r\n\r\n',
      `GET /v1/balance HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nBad Header Name: x\r\n\r\n`,
    ]) {
      const res = await rawHttp(port, text);
      expect(res.status, text).toBe(400);
      expect(envelope(res.body).code).toBe('invalid_request');
    }
  });

  it('HTTP/1.1 without Host: 400 in the envelope, not an empty body', async () => {
    const t = await startTestServer();
    const res = await rawHttp(t.server.info.port, 'GET /v1/balance HTTP/1.1\r\n\r\n');
    expect(res.status).toBe(400);
    expect(envelope(res.body)).toMatchObject({ code: 'invalid_request' });
  });
});

describe('request details read strictly', () => {
  it('an empty Idempotency-Key header is refused, not taken as no key', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    for (const value of ['', ' ', 'has space', 'x'.repeat(256)]) {
      const res = await t.agent(key, 'POST', '/v1/spend', spendBody(100), {
        'idempotency-key': value,
      });
      expect(res.status, JSON.stringify(value)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_request' } });
      const receipt = await t.agent(
        key,
        'POST',
        '/v1/receipts',
        { amount_cents: 1, merchant_name: 'shop', rail: 'card' },
        { 'idempotency-key': value },
      );
      expect(receipt.status, JSON.stringify(value)).toBe(400);
    }
    const ledger = await t.call('ledgerPage', { query: { type: 'spend.decided' } });
    expect(ledger.body.entries).toHaveLength(0);
  });

  it('currency is usd or usdc in any letter case, and answered as usd', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    for (const currency of ['Usd', 'USD', 'uSdC', 'usdc']) {
      const res = await t.agent(key, 'POST', '/v1/spend', spendBody(100, 'AWS', { currency }));
      expect(res.status, currency).toBe(200);
      expect(res.body).toMatchObject({ currency: 'usd' });
    }
    for (const currency of ['eur', 'usd ', 'usdt', 'ｕｓｄ']) {
      const res = await t.agent(key, 'POST', '/v1/spend', spendBody(100, 'AWS', { currency }));
      expect(res.status, currency).toBe(400);
    }
  });
});
