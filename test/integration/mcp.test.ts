/**
 * `purser mcp` as an agent's host runs it: a child process on stdio, driven by the MCP SDK's
 * own client, against a real Purser server; the owner acts through the owner API.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PURSER_BIN, runCli } from '../helpers/cli';
import type { z } from 'zod';
import type { budgetOutput, spendOutput } from '../../electron/mcp/outputs';
import type { BalanceView } from '../../shared/schemas/agent-api';
import { initializeRequest } from '../helpers/mcp';
import { startTestServer, type TestServer } from '../helpers/server';

/** What the tools answer as structuredContent, as their output schemas declare it. */
type SpendOutput = z.infer<typeof spendOutput>;
type BudgetOutput = z.infer<typeof budgetOutput>;

const TOOLS = [
  'get_balance',
  'get_budget_request',
  'get_payout',
  'get_policy',
  'get_spend_request',
  'pay',
  'pay_x402',
  'record_receipt',
  'request_budget',
  'request_spend',
  'send_payout',
];

const open: Client[] = [];
let transportErrors: Error[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
  // A line on stdout that is not protocol reaches the client as a transport error.
  const errors = transportErrors;
  transportErrors = [];
  expect(errors).toEqual([]);
});

/** `purser mcp` with this key, connected to an SDK client (with these capabilities). */
async function connect(
  t: TestServer,
  key: string,
  capabilities: ConstructorParameters<typeof Client>[1] = {},
): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [PURSER_BIN, 'mcp'],
    env: { PURSER_KEY: key, PURSER_URL: t.url, PURSER_HOME: t.home },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'mcp-test', version: '1.0.0' }, capabilities);
  client.onerror = (error) => transportErrors.push(error);
  await client.connect(transport);
  open.push(client);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const text = (result: CallToolResult) =>
  result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
const spend = (result: CallToolResult) => {
  expect(result.isError, text(result)).toBeFalsy();
  return result.structuredContent as SpendOutput;
};
const purchase = { amount_cents: 1_250, merchant_name: 'AWS', reason: 'GPU time for an eval' };

describe('purser mcp', () => {
  it('lists exactly the eleven agent tools, none that approves or reaches an owner route', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const { tools } = await (await connect(t, key)).listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    const spendTool = tools.find((tool) => tool.name === 'request_spend');
    expect(Object.keys(spendTool?.inputSchema.properties ?? {}).sort()).toEqual([
      'amount_cents',
      'category',
      'currency',
      'idempotency_key',
      'merchant_name',
      'metadata',
      'reason',
    ]);
    expect(spendTool?.description).toMatch(/same idempotency_key/);
    expect(spendTool?.description).toMatch(/[Nn]ever try to approve it yourself/);
  });

  it('lists every amount in cents or micros as an integer', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const client = await connect(t, key);
    const { tools } = await client.listTools();
    const amounts = tools.flatMap((tool) =>
      Object.entries(tool.inputSchema.properties ?? {})
        .filter(([field]) => /_(cents|micros)$/.test(field))
        .map(([field, schema]) => ({
          field: `${tool.name}.${field}`,
          type: (schema as { type?: unknown }).type,
        })),
    );
    expect(amounts.map(({ field }) => field).sort()).toEqual([
      'record_receipt.amount_cents',
      'record_receipt.amount_micros',
      'request_budget.amount_cents',
      'request_spend.amount_cents',
      'send_payout.amount_cents',
    ]);
    for (const { field, type } of amounts) expect(type, field).toBe('integer');
    // The SDK refuses a fraction before Purser is asked.
    const fraction = await call(client, 'request_spend', { ...purchase, amount_cents: 12.5 });
    expect(fraction.isError).toBe(true);
    expect(text(fraction)).toMatch(/amount_cents/);
    expect((await t.call('listSpendRequests')).body.spend_requests).toEqual([]);
  });

  it('idempotentHint only where it holds: a key-optional creating tool called twice creates twice', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 50_000 });
    const client = await connect(t, key);
    const { tools } = await client.listTools();
    const hints = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    expect(hints).toMatchObject({
      request_spend: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      request_budget: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      record_receipt: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
      pay_x402: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
      get_spend_request: { readOnlyHint: true },
      get_budget_request: { readOnlyHint: true },
      get_balance: { readOnlyHint: true },
      get_policy: { readOnlyHint: true },
    });
    // The rule behind them: a tool that writes is idempotent only if its key is required.
    for (const tool of tools) {
      if (tool.annotations?.readOnlyHint) continue;
      const keyRequired = tool.inputSchema.required?.includes('idempotency_key') ?? false;
      expect(tool.annotations?.idempotentHint, tool.name).toBe(keyRequired);
    }
    // What makes request_spend and record_receipt not idempotent: the same arguments, twice.
    const first = spend(await call(client, 'request_spend', purchase));
    const second = spend(await call(client, 'request_spend', purchase));
    expect(second.id).not.toBe(first.id);
    expect((await t.call('listSpendRequests')).body.spend_requests).toHaveLength(2);
    const receipt = { amount_cents: 300, host: 'api.example.com', rail: 'x402' };
    const r1 = await call(client, 'record_receipt', receipt);
    const r2 = await call(client, 'record_receipt', receipt);
    expect(r1.isError, text(r1)).toBeFalsy();
    expect((r2.structuredContent as { id: string }).id).not.toBe(
      (r1.structuredContent as { id: string }).id,
    );
    const balance = await call(client, 'get_balance');
    expect(balance.structuredContent).toMatchObject({ spent_cents: 2 * 1_250 + 2 * 300 });
  });

  it('an approved spend, and a replay with its idempotency key: one request, same id', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 50_000 });
    const client = await connect(t, key);
    const first = await call(client, 'request_spend', purchase);
    const view = spend(first);
    expect(view).toMatchObject({ status: 'approved', remaining_budget_cents: 48_750 });
    // No key given: one was made for the call, and the model is told it to reuse.
    const generated = view.idempotency_key as string;
    expect(generated).toMatch(/^[\x21-\x7e]{8,}$/);
    expect(text(first)).toContain(generated);
    expect(text(first)).toMatch(/^approved: \$12\.50 to AWS/);

    const replay = spend(
      await call(client, 'request_spend', { ...purchase, idempotency_key: generated }),
    );
    expect(replay.id).toBe(view.id);
    const all = await t.call('listSpendRequests');
    expect(all.body.spend_requests.map((r) => r.id)).toEqual([view.id]);
    const balance = await call(client, 'get_balance');
    expect(balance.structuredContent).toMatchObject({
      spent_cents: 1_250,
      remaining_budget_cents: 48_750,
    });

    const conflict = await call(client, 'request_spend', {
      ...purchase,
      amount_cents: 999,
      idempotency_key: generated,
    });
    expect(conflict.isError).toBe(true);
    expect(text(conflict)).toMatch(/^Error idempotency_key_conflict \(HTTP 409\)/);
    expect(text(conflict)).toContain('send exactly the same fields');
  });

  it('needs_approval with the approval URL; get_spend_request(wait) returns approved once the owner approves', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 50_000, approval_threshold_cents: 20_000 });
    const client = await connect(t, key);
    const pendingResult = await call(client, 'request_spend', {
      ...purchase,
      amount_cents: 25_000,
    });
    const pending = spend(pendingResult);
    expect(pending.status).toBe('needs_approval');
    expect(pending.approval_url).toMatch(new RegExp(`/app/#/approvals/${pending.id}$`));
    expect(pending.expires_at).toEqual(expect.any(String));
    expect(text(pendingResult)).toContain(pending.approval_url as string);
    expect(text(pendingResult)).toContain('get_spend_request');

    let settled = false;
    const waiting = call(client, 'get_spend_request', { id: pending.id, wait: 30 }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toBe(false); // it waits for the human, it does not answer needs_approval at once
    const approved = await t.owner('POST', `/admin/v1/spend-requests/${pending.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(spend(await waiting)).toMatchObject({
      id: pending.id,
      status: 'approved',
      decision_rule: 'owner_approved',
      remaining_budget_cents: 25_000,
    });
  });

  it('bad input is a tool error with invalid_request, and the server stays up', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const client = await connect(t, key);
    const negative = await call(client, 'request_spend', { ...purchase, amount_cents: -5 });
    expect(negative.isError).toBe(true);
    expect(text(negative)).toMatch(/^Error invalid_request \(HTTP 400\): .*amount_cents/);
    const euros = await call(client, 'request_spend', { ...purchase, currency: 'eur' });
    expect(euros.isError).toBe(true);
    expect(text(euros)).toMatch(/^Error invalid_request \(HTTP 400\): .*currency/);
    const receipt = await call(client, 'record_receipt', { rail: 'card', merchant_name: 'AWS' });
    expect(text(receipt)).toMatch(/^Error invalid_request .*amount_cents and amount_micros/);
    expect(spend(await call(client, 'request_spend', purchase)).status).toBe('approved');
  });

  it('a 402 is a tool error naming its code and the key to retry with once a person acts', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ budget_cents: 100_000 }, 500);
    const client = await connect(t, key);
    await t.owner('PUT', `/admin/v1/funding-sources/${agent.funding_source_id}/limit`, {
      limit_cents: 1_000,
      period: 'daily',
    });
    const limited = await call(client, 'request_spend', purchase);
    expect(limited.isError).toBe(true);
    expect(text(limited)).toMatch(/^Error funding_source_budget_exceeded \(HTTP 402\)/);
    expect(text(limited)).toContain('daily limit $10.00, $10.00 remaining). Do not retry');

    await t.owner('PUT', `/admin/v1/funding-sources/${agent.funding_source_id}/limit`, {
      limit_cents: null,
    });
    const broke = await call(client, 'request_spend', purchase);
    expect(broke.isError).toBe(true);
    expect(text(broke)).toMatch(/^Error insufficient_wallet_balance \(HTTP 402\)/);
    expect(text(broke)).toContain('Do not retry: the human has to add money');
    const retryKey = /^idempotency_key: (\S+)$/m.exec(text(broke))?.[1];
    expect(retryKey).toBeDefined();

    // A 402 leaves the key unused (docs/errors.md): after the top-up, the same key decides afresh.
    await t.owner('POST', '/admin/v1/funding/deposit', {
      amount_cents: 100_000,
      funding_source_id: agent.funding_source_id,
    });
    const retried = spend(
      await call(client, 'request_spend', { ...purchase, idempotency_key: retryKey }),
    );
    expect(retried).toMatchObject({ status: 'approved', idempotency_key: retryKey });
  });

  it('budget requests and receipts go through their tools', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 50_000 });
    const client = await connect(t, key);
    const asked = await call(client, 'request_budget', {
      amount_cents: 30_000,
      purpose: 'a week of evals',
    });
    // Pending: where the human approves it, as a pending spend request says.
    expect(asked.structuredContent).toMatchObject({
      status: 'pending',
      requested_amount_cents: 30_000,
      approval_url: `${t.url}/app/#/approvals`,
    });
    expect(text(asked)).toContain(`in Purser at ${t.url}/app/#/approvals before `);
    const id = (asked.structuredContent as BudgetOutput).id;
    const stillPending = await call(client, 'get_budget_request', { id });
    expect(stillPending.structuredContent).toMatchObject({
      status: 'pending',
      approval_url: `${t.url}/app/#/approvals`,
    });
    await t.owner('POST', `/admin/v1/budget-requests/${id}/approve`, {});
    const read = await call(client, 'get_budget_request', { id, wait: 5 });
    expect(read.structuredContent).toMatchObject({
      id,
      status: 'approved',
      approved_amount_cents: 30_000,
    });
    expect(read.structuredContent).not.toHaveProperty('approval_url');
    const receipt = await call(client, 'record_receipt', {
      amount_cents: 700,
      host: 'api.example.com',
      rail: 'x402',
    });
    expect(receipt.isError, text(receipt)).toBeFalsy();
    expect(receipt.structuredContent).toMatchObject({ amount_cents: 700, over_budget: false });
    const policy = await call(client, 'get_policy');
    expect(policy.structuredContent).toMatchObject({ object: 'policy', frozen: false });
  });

  it('with URL elicitation, a pending request opens Purser; answering "accept" approves nothing', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000, budget_cents: 100_000 });
    const client = await connect(t, key, { capabilities: { elicitation: { url: {} } } });
    const prompts: Array<Record<string, unknown>> = [];
    let answer: (action: 'accept') => void = () => undefined;
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      prompts.push(request.params);
      // The human takes their time: the tool has answered long before.
      return new Promise((resolve) => (answer = (action) => resolve({ action })));
    });
    const pending = spend(await call(client, 'request_spend', purchase));
    expect(pending.status).toBe('needs_approval');
    await expect.poll(() => prompts.length).toBe(1);
    expect(prompts[0]).toMatchObject({
      mode: 'url',
      url: pending.approval_url,
      elicitationId: pending.id,
      message: expect.stringContaining('Answering this prompt approves nothing'),
    });
    answer('accept');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(spend(await call(client, 'get_spend_request', { id: pending.id })).status).toBe(
      'needs_approval',
    );
    const owner = await t.call('getSpendRequest', { params: { id: pending.id } });
    expect(owner.body.status).toBe('needs_approval');
    // Asked again with its key: the same request, and no second prompt.
    const replay = spend(
      await call(client, 'request_spend', {
        ...purchase,
        idempotency_key: pending.idempotency_key,
      }),
    );
    expect(replay.id).toBe(pending.id);

    // A budget request is pointed to the Approvals page the same way.
    const budget = await call(client, 'request_budget', {
      amount_cents: 30_000,
      purpose: 'a week of evals',
    });
    const budgetId = (budget.structuredContent as BudgetOutput).id;
    await expect.poll(() => prompts.length).toBe(2);
    expect(prompts[1]).toMatchObject({
      mode: 'url',
      url: `${t.url}/app/#/approvals`,
      elicitationId: budgetId,
    });
    answer('accept');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const budgetNow = await call(client, 'get_budget_request', { id: budgetId });
    expect(budgetNow.structuredContent).toMatchObject({ status: 'pending' });
    expect(prompts).toHaveLength(2);
  });

  it('a client with form elicitation only gets no prompt: an Accept there would read as an approval', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const client = await connect(t, key, { capabilities: { elicitation: { form: {} } } });
    const prompts: unknown[] = [];
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      prompts.push(request.params);
      return { action: 'accept', content: {} };
    });
    const pending = spend(await call(client, 'request_spend', purchase));
    expect(pending.status).toBe('needs_approval');
    expect(pending.approval_url).toEqual(expect.any(String));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(prompts).toEqual([]);
  });

  it('stdout carries only JSON-RPC, logs go to stderr, and it exits when stdin closes', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const child = spawn(process.execPath, [PURSER_BIN, 'mcp'], {
      env: { ...process.env, PURSER_KEY: key, PURSER_URL: t.url },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send(initializeRequest());
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'request_spend', arguments: { ...purchase, amount_cents: -1 } },
    });
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'get_balance', arguments: {} },
    });
    await expect.poll(() => stdout.split('\n').filter(Boolean).length, { timeout: 15_000 }).toBe(3);
    child.stdin.end();
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ids = lines.map((line) => [line.jsonrpc, line.id]);
    expect(ids.sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['2.0', 1],
      ['2.0', 2],
      ['2.0', 3],
    ]);
    expect(stderr).toContain('purser mcp: serving');
    expect(stderr).toContain('request_spend: Invalid body');
  });

  it('reads amounts from their digits: a tool call with a number JSON would round is refused, nothing spent', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const child = spawn(process.execPath, [PURSER_BIN, 'mcp'], {
      env: { ...process.env, PURSER_KEY: key, PURSER_URL: t.url },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const line = (text: string) => child.stdin.write(`${text}\n`);
    line(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      }),
    );
    line('{"jsonrpc":"2.0","method":"notifications/initialized"}');
    // Written by hand: JSON.stringify would never write this number, JSON.parse reads it as 1.
    line(
      '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"request_spend","arguments":{"amount_cents":0.99999999999999999999,"merchant_name":"AWS","reason":"r"}}}',
    );
    await expect.poll(() => stdout.split('\n').filter(Boolean).length, { timeout: 15_000 }).toBe(2);
    child.stdin.end();
    await once(child, 'exit');
    const refused = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; error?: { code: number; message: string } })
      .find((m) => m.id === 2);
    expect(refused?.error).toMatchObject({
      code: -32602,
      message: expect.stringContaining('cannot be read exactly'),
    });
    const spent = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(spent.body.spent_cents).toBe(0);
    const ledger = await t.call('ledgerPage');
    expect(ledger.body.entries.filter((e) => e.type.startsWith('spend.'))).toEqual([]);
  });

  it('without PURSER_KEY it says so on stderr and exits 2, writing nothing on stdout', async () => {
    const result = await runCli(['mcp'], { PURSER_KEY: '', PURSER_URL: 'http://127.0.0.1:9' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('PURSER_KEY');
  });
});
