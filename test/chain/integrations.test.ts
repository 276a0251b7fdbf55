/**
 * The agent-side integrations of x402 through Purser, against the real chain world (a
 * Hardhat node, the USDC look-alike, an @x402/express paywall and its facilitator): the
 * TypeScript client's fetch wrapper, `purser pay URL` as a real process, and the MCP
 * server's pay_x402 tool over stdio through the SDK's own client.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  fetchWithPurser,
  PurserApiError,
  PurserClient,
  PurserPaymentPendingError,
  type AnyPaymentView,
  type X402PaymentView,
} from '../../shared/client';
import { PURSER_BIN, runCli } from '../helpers/cli';
import type { TestServer } from '../helpers/server';
import {
  balanceOf,
  expectOk,
  fetchPaid,
  paymentRequiredOf,
  PRICE,
  sync,
  walletAgent,
  chainWorldPerFile,
  type ChainWorld,
} from './world';

const chain = chainWorldPerFile();
let w: ChainWorld;
beforeAll(() => {
  w = chain.world();
});
const purser = () => chain.purser();
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

const clientOf = (t: TestServer, key: string) => new PurserClient({ key, url: t.url });

type OwnerSpend = { id: string; agent_id: string; status: string; decision_rule: string };
type LedgerEntry = { type: string; status: string; object_id: string | null };

async function spendRequestsOf(t: TestServer) {
  return expectOk(
    await t.owner<{ spend_requests: OwnerSpend[] }>('GET', '/admin/v1/spend-requests'),
  ).body.spend_requests;
}

async function ledgerTypes(t: TestServer) {
  const ledger = expectOk(await t.owner<{ entries: LedgerEntry[] }>('GET', '/admin/v1/ledger'));
  return ledger.body.entries.map((e) => e.type);
}

const count = (items: string[], item: string) => items.filter((i) => i === item).length;

describe('fetchWithPurser', () => {
  it('pays the paywall within budget: one payment, the resource answers 200', async () => {
    const t = await purser();
    const { key, address } = await walletAgent(t, { budget_cents: 100 });
    const merchantBefore = await balanceOf(w, w.merchant.address);
    const settledBefore = w.paywall.paidCount();
    const payments: AnyPaymentView[] = [];

    const response = await fetchWithPurser(clientOf(t, key), w.paywall.url, undefined, {
      reason: 'market data for the report',
      onPayment: (p) => payments.push(p),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });

    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      status: 'signed',
      decision: 'approved',
      payment_header_name: 'PAYMENT-SIGNATURE',
      amount_units: PRICE.toString(),
      pay_to: w.merchant.address,
    });
    expect(w.paywall.paidCount()).toBe(settledBefore + 1);
    expect(await balanceOf(w, w.merchant.address)).toBe(merchantBefore + PRICE);
    expect(await balanceOf(w, address)).toBe(10_000_000n - PRICE);
    const [spend] = await spendRequestsOf(t);
    expect(spend).toMatchObject({ status: 'approved', reason: 'market data for the report' });
    await sync(t);
    const read = await clientOf(t, key).getX402Payment(payments[0]?.id as string);
    expect(read.status).toBe('settled');
  });

  it('over budget: throws policy_declined and pays nothing', async () => {
    const t = await purser();
    const { key, address } = await walletAgent(t, { budget_cents: 20, over_budget: 'decline' });
    const settledBefore = w.paywall.paidCount();
    const walletBefore = await balanceOf(w, address);
    const payments: AnyPaymentView[] = [];

    const refused = await fetchWithPurser(clientOf(t, key), w.paywall.url, undefined, {
      onPayment: (p) => payments.push(p),
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PurserApiError);
    expect(refused).toMatchObject({ status: 402, code: 'policy_declined' });

    expect(payments).toEqual([]);
    expect(w.paywall.paidCount()).toBe(settledBefore);
    expect(await balanceOf(w, address)).toBe(walletBefore);
    const types = await ledgerTypes(t);
    expect(count(types, 'x402.signed')).toBe(0);
    expect(types).toContain('spend.declined');
  });

  it('above the approval threshold it waits; the owner approves meanwhile; one spend request pays', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100, approval_threshold_cents: 10 });
    const pending: Array<{ payment: AnyPaymentView; key: string }> = [];
    let done = false;

    const paying = fetchWithPurser(clientOf(t, key), w.paywall.url, undefined, {
      waitSeconds: 45,
      onPending: (payment, idem) => pending.push({ payment, key: idem }),
    }).finally(() => {
      done = true;
    });
    await expect.poll(() => pending.length, { timeout: 15_000 }).toBe(1);
    const { payment } = pending[0] as { payment: AnyPaymentView };
    expect(payment).toMatchObject({ status: 'awaiting_approval', payment_signature: null });

    const approvals = expectOk(
      await t.owner<{ spend_requests: OwnerSpend[] }>('GET', '/admin/v1/approvals'),
    );
    expect(approvals.body.spend_requests.map((r) => r.id)).toEqual([payment.spend_request_id]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false); // it waits for the owner, over the long poll
    expectOk(
      await t.owner('POST', `/admin/v1/spend-requests/${payment.spend_request_id}/approve`, {}),
    );

    const response = await paying;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    // One spend request, approved by the owner; one signature; nothing left to approve.
    const spends = await spendRequestsOf(t);
    expect(spends).toHaveLength(1);
    expect(spends[0]).toMatchObject({
      id: payment.spend_request_id,
      status: 'approved',
      decision_rule: 'owner_approved',
    });
    expect(count(await ledgerTypes(t), 'x402.signed')).toBe(1);
    const after = expectOk(
      await t.owner<{ spend_requests: OwnerSpend[] }>('GET', '/admin/v1/approvals'),
    );
    expect(after.body.spend_requests).toEqual([]);
  });

  it('waitSeconds 0 throws PurserPaymentPendingError; the same key resumes the same payment', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100, approval_threshold_cents: 10 });
    const client = clientOf(t, key);
    const pending = await fetchWithPurser(client, w.paywall.url, undefined, {
      waitSeconds: 0,
    }).catch((error: unknown) => error);
    expect(pending).toBeInstanceOf(PurserPaymentPendingError);
    const { idempotencyKey, spendRequestId } = pending as PurserPaymentPendingError;
    expectOk(await t.owner('POST', `/admin/v1/spend-requests/${spendRequestId}/approve`, {}));

    const resumed = await fetchWithPurser(client, w.paywall.url, undefined, { idempotencyKey });
    expect(resumed.status).toBe(200);
    expect(await spendRequestsOf(t)).toHaveLength(1);
  });

  it('sends a POST body twice, unpaid then paid, and never pays twice when the paid retry fails', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100 });
    // The paywall guards GET only: this resource answers a POST with the paywall's answer to
    // the same request as a GET, and records what it was sent.
    const seen: Array<{ method: string; body: string; payment: string | null }> = [];
    const resource = (refusePayment: boolean) => async (request: Request) => {
      const payment = request.headers.get('payment-signature');
      seen.push({ method: request.method, body: await request.text(), payment });
      return fetch(w.paywall.url, {
        headers: payment && !refusePayment ? { 'payment-signature': payment } : {},
      });
    };
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query":"prices"}'));
        controller.close();
      },
    });

    const ok = await fetchWithPurser(
      clientOf(t, key),
      w.paywall.url,
      { method: 'POST', body, duplex: 'half' } as RequestInit,
      { fetch: resource(false) },
    );
    expect(ok.status).toBe(200);
    expect(seen).toEqual([
      { method: 'POST', body: '{"query":"prices"}', payment: null },
      { method: 'POST', body: '{"query":"prices"}', payment: expect.any(String) },
    ]);

    // The paid request answered 402 again: that answer comes back, unpaid a second time.
    seen.length = 0;
    const refused = await fetchWithPurser(
      clientOf(t, key),
      w.paywall.url,
      { method: 'POST', body: 'again' },
      { fetch: resource(true) },
    );
    expect(refused.status).toBe(402);
    expect(seen.map((s) => s.payment === null)).toEqual([true, false]);
    expect(count(await ledgerTypes(t), 'x402.signed')).toBe(2);
    expect(await spendRequestsOf(t)).toHaveLength(2);
  });
});

describe('purser pay', () => {
  const cli = (t: TestServer, key: string, args: string[]) =>
    runCli(['pay', ...args], { PURSER_KEY: key, PURSER_URL: t.url });

  it('pays the paywall, prints its body and exits 0', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100 });
    const settledBefore = w.paywall.paidCount();
    const result = await cli(t, key, [w.paywall.url, '--reason', 'a CLI purchase']);
    expect(result.stderr).toMatch(/^purser: paid \$0\.25 \(250000 units\) to 127\.0\.0\.1 /);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"ok":true}');
    expect(w.paywall.paidCount()).toBe(settledBefore + 1);
  });

  it('exits 10 when declined, 11 pending with --no-wait, and --idempotency-key resumes it', async () => {
    const t = await purser();
    const poor = await walletAgent(t, { budget_cents: 20, over_budget: 'decline' });
    const declined = await cli(t, poor.key, [w.paywall.url]);
    expect(declined.code).toBe(10);
    expect(declined.stdout).toBe('');
    expect(declined.stderr).toMatch(/^purser: policy_declined: /);

    const { key, agent } = await walletAgent(t, {
      budget_cents: 100,
      approval_threshold_cents: 10,
    });
    const pending = await cli(t, key, [w.paywall.url, '--no-wait', '--json']);
    expect(pending.code).toBe(11);
    const view = JSON.parse(pending.stdout) as X402PaymentView & { idempotency_key: string };
    expect(view).toMatchObject({ status: 'awaiting_approval', payment_signature: null });
    expect(pending.stderr).toContain(`--idempotency-key ${view.idempotency_key}`);
    expectOk(
      await t.owner('POST', `/admin/v1/spend-requests/${view.spend_request_id}/approve`, {}),
    );

    const resumed = await cli(t, key, [w.paywall.url, '--idempotency-key', view.idempotency_key]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toBe('{"ok":true}');
    const mine = (await spendRequestsOf(t)).filter((r) => r.agent_id === agent.id);
    expect(mine.map((r) => r.id)).toEqual([view.spend_request_id]);
  });

  it('usage errors exit 2', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100 }, 0);
    expect((await cli(t, key, ['not a url'])).code).toBe(2);
    expect((await cli(t, key, [w.paywall.url, '--header', 'no colon'])).code).toBe(2);
    expect((await cli(t, key, [w.paywall.url, '--method', 'GET', '--data', 'x'])).code).toBe(2);
    expect((await runCli(['pay', w.paywall.url], { PURSER_KEY: '' })).code).toBe(2);
  });
});

describe('MCP pay_x402', () => {
  async function connect(
    t: TestServer,
    key: string,
    capabilities: ConstructorParameters<typeof Client>[1] = {},
  ) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [PURSER_BIN, 'mcp'],
      env: { PURSER_KEY: key, PURSER_URL: t.url, PURSER_HOME: t.home },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'chain-test', version: '1.0.0' }, capabilities);
    await client.connect(transport);
    clients.push(client);
    return client;
  }
  const payTool = async (client: Client, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name: 'pay_x402', arguments: args })) as CallToolResult;
    const text = result.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
    expect(result.isError, text).toBeFalsy();
    return { payment: result.structuredContent as X402PaymentView & Record<string, unknown>, text };
  };

  it('answers the signature as structured content; a retry with the same key gets the same one', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100 });
    const client = await connect(t, key);
    const { tools } = await client.listTools();
    const tool = tools.find((x) => x.name === 'pay_x402');
    expect(Object.keys(tool?.inputSchema.properties ?? {}).sort()).toEqual([
      'category',
      'idempotency_key',
      'payment_required',
      'reason',
      'requirement',
      'resource_url',
    ]);
    expect(tool?.inputSchema.required).toEqual(
      expect.arrayContaining(['resource_url', 'payment_required', 'idempotency_key']),
    );
    expect(tool?.description).toMatch(/same key/);
    expect(tool?.description).toMatch(/never mint a new one/);
    expect(tool?.description).toMatch(/Never try to approve it yourself/);

    const args = {
      resource_url: w.paywall.url,
      payment_required: await paymentRequiredOf(w.paywall.url),
      idempotency_key: randomUUID(),
    };
    const first = await payTool(client, args);
    expect(first.payment).toMatchObject({
      status: 'signed',
      payment_header_name: 'PAYMENT-SIGNATURE',
      payment_signature: expect.any(String),
      idempotency_key: args.idempotency_key,
      next_step: expect.stringContaining('PAYMENT-SIGNATURE'),
    });
    const signature = first.payment.payment_signature as string;
    expect(first.text).toContain(`PAYMENT-SIGNATURE: ${signature}`);

    const retry = await payTool(client, args);
    expect(retry.payment.id).toBe(first.payment.id);
    expect(retry.payment.payment_signature).toBe(signature);
    expect((await fetchPaid(w.paywall.url, 'PAYMENT-SIGNATURE', signature)).body).toBe(
      '{"ok":true}',
    );
    expect(await spendRequestsOf(t)).toHaveLength(1);
  });

  it('awaiting approval: points the human to Purser; an elicitation answer approves nothing', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100, approval_threshold_cents: 10 });
    const client = await connect(t, key, { capabilities: { elicitation: { url: {} } } });
    const prompts: Array<Record<string, unknown>> = [];
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      prompts.push(request.params);
      return { action: 'accept' };
    });
    const args = {
      resource_url: w.paywall.url,
      payment_required: await paymentRequiredOf(w.paywall.url),
      idempotency_key: randomUUID(),
    };
    const pending = await payTool(client, args);
    expect(pending.payment).toMatchObject({
      status: 'awaiting_approval',
      payment_signature: null,
      approval_url: expect.stringMatching(/\/app\/#\/approvals\/req_/),
      next_step: expect.stringContaining('get_spend_request'),
    });
    await expect.poll(() => prompts.length).toBe(1);
    expect(prompts[0]).toMatchObject({ mode: 'url', url: pending.payment.approval_url });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The client said "accept": still awaiting the owner.
    expect((await payTool(client, args)).payment.status).toBe('awaiting_approval');

    expectOk(
      await t.owner(
        'POST',
        `/admin/v1/spend-requests/${pending.payment.spend_request_id}/approve`,
        {},
      ),
    );
    const paid = await payTool(client, args);
    expect(paid.payment).toMatchObject({ status: 'signed', id: pending.payment.id });
    expect(await spendRequestsOf(t)).toHaveLength(1);
  });

  it('a refusal is a tool error with policy_declined', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 20, over_budget: 'decline' });
    const client = await connect(t, key);
    const result = (await client.callTool({
      name: 'pay_x402',
      arguments: {
        resource_url: w.paywall.url,
        payment_required: await paymentRequiredOf(w.paywall.url),
        idempotency_key: randomUUID(),
      },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    const text = result.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
    expect(text).toMatch(/^Error policy_declined \(HTTP 402\)/);
    expect(text).not.toContain('PAYMENT-SIGNATURE:');
  });

  it('send_payout pays a saved recipient; get_payout follows it to completed; the client reads the same', async () => {
    const t = await purser();
    const { key } = await walletAgent(t, { budget_cents: 100 });
    const recipient = expectOk(
      await t.owner<{ id: string; address: string }>('POST', '/admin/v1/recipients', {
        name: 'Contractor',
        address: w.spares[1].address,
      }),
    ).body;
    const before = await balanceOf(w, w.spares[1].address);
    const client = await connect(t, key);
    const sent = (await client.callTool({
      name: 'send_payout',
      arguments: { recipient: recipient.id, amount_cents: 40, reason: 'the invoice' },
    })) as CallToolResult;
    expect(sent.isError).toBeFalsy();
    const payout = sent.structuredContent as {
      id: string;
      status: string;
      idempotency_key: string;
    };
    expect(payout.status).toBe('approved');
    expect(payout.idempotency_key).toBeTruthy();
    let status = payout.status;
    for (let i = 0; i < 10 && status !== 'completed'; i += 1) {
      const read = (await client.callTool({
        name: 'get_payout',
        arguments: { id: payout.id, wait: 5 },
      })) as CallToolResult;
      status = (read.structuredContent as { status: string }).status;
    }
    expect(status).toBe('completed');
    expect(await balanceOf(w, w.spares[1].address)).toBe(before + 400_000n);
    // The TypeScript client reads the same payout, and a retry with its key is the same one.
    const typed = clientOf(t, key);
    expect((await typed.getPayout(payout.id)).tx_signature).toMatch(/^0x[0-9a-f]{64}$/);
    const again = await typed.createPayout({
      recipient: recipient.id,
      amount_cents: 40,
      reason: 'the invoice',
      idempotency_key: payout.idempotency_key,
    });
    expect(again.id).toBe(payout.id);
    expect(await balanceOf(w, w.spares[1].address)).toBe(before + 400_000n);
  });
});
