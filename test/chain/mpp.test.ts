/**
 * MPP through Purser (docs/mpp.md): mppx's own server with the `evm` charge method on the
 * Hardhat chain, paid from an agent's Purser-held wallet through `POST /v1/mpp/pay`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWithPurser, PurserClient, type AnyPaymentView } from '../../shared/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PURSER_BIN, runCli } from '../helpers/cli';
import type { TestServer } from '../helpers/server';
import { startMppServer, type MppServer } from './mpp-server';
import { createTestClient } from 'viem';
import { localTransport } from './transport';
import {
  balanceOf,
  chainWorldPerFile,
  expectOk,
  sync,
  walletAgent,
  type ChainWorld,
} from './world';

const chain = chainWorldPerFile();
let w: ChainWorld;
let mpp: MppServer;
beforeAll(async () => {
  w = chain.world();
  mpp = await startMppServer({
    rpcUrl: w.node.rpcUrl,
    usdcAddress: w.usdc.address,
    payTo: w.merchant.address,
    amount: '0.25',
    settlerPrivateKey: w.facilitator.privateKey,
  });
});
afterAll(async () => {
  await mpp?.close();
});

type Payment = {
  id: string;
  status: string;
  authorization: string | null;
  spend_request_id: string;
  challenge_id: string;
  nonce: string | null;
};

async function challengeOf(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(402);
  const header = response.headers.get('www-authenticate');
  expect(header).toMatch(/^Payment /);
  return header as string;
}

function pay(t: TestServer, key: string, wwwAuthenticate: string, idem: string) {
  return t.agent<Payment & { error?: { code: string } }>(
    key,
    'POST',
    '/v1/mpp/pay',
    { resource_url: mpp.url, www_authenticate: wwwAuthenticate, reason: 'one paid call' },
    { 'idempotency-key': idem },
  );
}

describe('MPP through Purser', () => {
  it('pays an mppx server within budget; the chain settles it once; a retry gets the same credential', async () => {
    const t = await chain.purser();
    const { key } = await walletAgent(t, { budget_cents: 100 });
    const merchantBefore = await balanceOf(w, w.merchant.address);
    const idem = randomUUID();
    const challenge = await challengeOf(mpp.url);
    const paid = expectOk(await pay(t, key, challenge, idem));
    expect(paid.body.status).toBe('signed');
    expect(paid.body.authorization).toMatch(/^Payment /);

    const again = expectOk(await pay(t, key, challenge, idem));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.authorization).toBe(paid.body.authorization);

    const response = await fetch(mpp.url, {
      headers: { authorization: paid.body.authorization as string },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(await balanceOf(w, w.merchant.address)).toBe(merchantBefore + 250_000n);

    await sync(t);
    const read = expectOk(
      await t.agent<Payment>(key, 'GET', `/v1/mpp/payments/${paid.body.id}`),
    ).body;
    expect(read.status).toBe('settled');
    // The credential cannot be spent twice: the chain refuses its nonce.
    const replay = await fetch(mpp.url, {
      headers: { authorization: paid.body.authorization as string },
    });
    expect(replay.status).not.toBe(200);
    expect(await balanceOf(w, w.merchant.address)).toBe(merchantBefore + 250_000n);
    // Its request is paid through Purser: a receipt cannot settle it.
    const receipt = await t.agent<{ error: { details: Record<string, unknown> } }>(
      key,
      'POST',
      '/v1/receipts',
      {
        spend_request_id: paid.body.spend_request_id,
        amount_cents: 1,
        host: '127.0.0.1',
        rail: 'mpp',
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(receipt.status).toBe(409);
    expect(receipt.body.error.details.reason).toBe('paid_through_purser');
  });

  it('over budget: refused before anything is signed', async () => {
    const t = await chain.purser();
    const { key } = await walletAgent(t, { budget_cents: 20 });
    const merchantBefore = await balanceOf(w, w.merchant.address);
    const refused = await pay(t, key, await challengeOf(mpp.url), randomUUID());
    expect(refused.status).toBe(402);
    expect(refused.body.error?.code).toBe('policy_declined');
    const ledger = expectOk(
      await t.owner<{ entries: { type: string }[] }>('GET', '/admin/v1/ledger?limit=100'),
    ).body.entries;
    expect(ledger.some((e) => e.type === 'mpp.signed')).toBe(false);
    expect(await balanceOf(w, w.merchant.address)).toBe(merchantBefore);
  });

  it('refuses what it cannot judge: another host’s challenge, no Payment challenge, one challenge reserved twice', async () => {
    const t = await chain.purser();
    const { key } = await walletAgent(t, { budget_cents: 100 });
    const challenge = await challengeOf(mpp.url);
    const elsewhere = await t.agent<{ error: { code: string; message: string } }>(
      key,
      'POST',
      '/v1/mpp/pay',
      { resource_url: 'http://localhost:1/paid', www_authenticate: challenge },
      { 'idempotency-key': randomUUID() },
    );
    expect(elsewhere.status).toBe(402);
    expect(elsewhere.body.error.message).toMatch(/realm "127\.0\.0\.1"/);
    const none = await t.agent<{ error: { code: string } }>(
      key,
      'POST',
      '/v1/mpp/pay',
      { resource_url: mpp.url, www_authenticate: 'Bearer realm="x"' },
      { 'idempotency-key': randomUUID() },
    );
    expect(none.status).toBe(400);
    expectOk(await pay(t, key, challenge, randomUUID()));
    const twice = await pay(t, key, challenge, randomUUID());
    expect(twice.status).toBe(409);
  });

  it('one entry for every 402: /v1/pay takes the WWW-Authenticate; fetchWithPurser and purser pay do the dance', async () => {
    const t = await chain.purser();
    const { key } = await walletAgent(t, { budget_cents: 200 });
    const merchantBefore = await balanceOf(w, w.merchant.address);

    const viaPay = expectOk(
      await t.agent<AnyPaymentView>(
        key,
        'POST',
        '/v1/pay',
        { resource_url: mpp.url, www_authenticate: await challengeOf(mpp.url) },
        { 'idempotency-key': randomUUID() },
      ),
    ).body;
    expect(viaPay.object).toBe('mpp_payment');
    expect(viaPay.status).toBe('signed');
    const both = await t.agent(
      key,
      'POST',
      '/v1/pay',
      { resource_url: mpp.url, www_authenticate: 'Payment x', payment_required: 'e30=' },
      { 'idempotency-key': randomUUID() },
    );
    expect(both.status).toBe(400);

    const client = new PurserClient({ key, url: t.url });
    const paid: AnyPaymentView[] = [];
    const response = await fetchWithPurser(client, mpp.url, undefined, {
      reason: 'a paid call',
      onPayment: (p) => paid.push(p),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(paid.map((p) => p.object)).toEqual(['mpp_payment']);

    const cli = await runCli(['pay', mpp.url, '--reason', 'a CLI call'], {
      PURSER_KEY: key,
      PURSER_URL: t.url,
    });
    expect(cli.stderr).toMatch(/^purser: paid \$0\.25 \(250000 units\) to 127\.0\.0\.1 .* by MPP;/);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe('{"ok":true}');
    // Two paid calls settled on chain (the /v1/pay credential above was never sent).
    expect(await balanceOf(w, w.merchant.address)).toBe(merchantBefore + 500_000n);
  });

  it('the MCP tool pay pays an MPP 402 and names the Authorization header to send', async () => {
    const t = await chain.purser();
    const { key } = await walletAgent(t, { budget_cents: 100 });
    const client = new Client({ name: 'mpp-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [PURSER_BIN, 'mcp'],
        env: { PURSER_KEY: key, PURSER_URL: t.url, PURSER_HOME: t.home },
        stderr: 'pipe',
      }),
    );
    try {
      const tool = (await client.listTools()).tools.find((x) => x.name === 'pay');
      expect(tool?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true });
      const result = (await client.callTool({
        name: 'pay',
        arguments: {
          resource_url: mpp.url,
          www_authenticate: await challengeOf(mpp.url),
          idempotency_key: randomUUID(),
        },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      const payment = result.structuredContent as { object: string; authorization: string };
      expect(payment.object).toBe('mpp_payment');
      const text = result.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
      expect(text).toContain(`Header to send: Authorization: ${payment.authorization}`);
      const paid = await fetch(mpp.url, { headers: { authorization: payment.authorization } });
      expect(paid.status).toBe(200);
    } finally {
      await client.close();
    }
  });

  // Last in the file: it moves the chain's clock ahead of the server's.
  it('a credential unused past its challenge’s expiry is released by the chain’s clock, and then cannot settle', async () => {
    const t = await chain.purser();
    const { key } = await walletAgent(t, { budget_cents: 100 });
    const signed = expectOk(await pay(t, key, await challengeOf(mpp.url), randomUUID())).body;
    expect(signed.status).toBe('signed');
    expect(expectOk(await t.agent(key, 'GET', '/v1/balance')).body.spent_cents).toBe(25);
    expect((await sync(t))[0]?.released).toBe(0);

    const test = createTestClient({ mode: 'hardhat', transport: localTransport(w.node.rpcUrl) });
    await test.increaseTime({ seconds: 400 });
    await test.mine({ blocks: 1 });
    expect((await sync(t))[0]?.released).toBe(1);
    expect(expectOk(await t.agent(key, 'GET', '/v1/balance')).body.spent_cents).toBe(0);
    const read = expectOk(await t.agent<Payment>(key, 'GET', `/v1/mpp/payments/${signed.id}`)).body;
    expect(read).toMatchObject({ status: 'released', authorization: null });
    const ledger = expectOk(
      await t.owner<{ entries: { type: string; rail: string | null }[] }>(
        'GET',
        '/admin/v1/ledger?limit=100',
      ),
    ).body.entries;
    expect(ledger.find((e) => e.type === 'mpp.released')?.rail).toBe('mpp');
  });
});
