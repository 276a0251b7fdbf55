/**
 * The MCP server (electron/mcp/server.ts) in process, against a stand-in for Purser's agent
 * client, driven by the SDK's own Client with its default options over an in-memory
 * transport, on a fake clock: what a 50-second wait looks like to a client that gives up
 * after 60 s (the SDK's DEFAULT_REQUEST_TIMEOUT_MSEC), without waiting 50 real seconds.
 * test/integration/mcp.test.ts runs the real `purser mcp` against a real Purser.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { DEFAULT_REQUEST_TIMEOUT_MSEC } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { MAX_WAIT_SECONDS } from '../../electron/mcp/inputs';
import { createPurserMcpServer } from '../../electron/mcp/server';
import { WAIT_ANSWER_WITHIN_MS } from '../../electron/mcp/waiting';
import type {
  BudgetRequestResult,
  PurserClient,
  SpendRequestView,
  X402PayInput,
  X402PaymentView,
} from '../../shared/client';

const URL_OF_PURSER = 'http://127.0.0.1:8402';
const ID = 'req_0000000000ABCDEFGHIJ';

/** A spend request as Purser answers it: only what the tools read is filled in. */
function spendView(status: SpendRequestView['status']): SpendRequestView {
  return {
    id: ID,
    object: 'spend_request',
    status,
    decision_reason: status === 'approved' ? 'approved by the owner' : 'over the threshold',
    decision_rule: status === 'approved' ? 'owner_approved' : 'approval_threshold',
    amount_cents: 25_000,
    merchant_name: 'AWS',
    budget_period: 'monthly',
    remaining_budget_cents: 25_000,
    approval_url: `${URL_OF_PURSER}/app/#/approvals/${ID}`,
    expires_at: '2030-01-01T00:00:00.000Z',
  } as SpendRequestView;
}

/**
 * Purser's long poll: holds the read for `wait` seconds (the human never decides here),
 * or for ever when `hang` is set (a Purser that does not answer).
 */
function fakePurser(options: { hang?: boolean } = {}) {
  const waits: Array<number | undefined> = [];
  const payments: Array<{ input: X402PayInput; key: string }> = [];
  const client = {
    url: URL_OF_PURSER,
    getSpend: (_id: string, { wait }: { wait?: number } = {}) => {
      waits.push(wait);
      return new Promise<SpendRequestView>((resolve) => {
        if (!options.hang)
          setTimeout(() => resolve(spendView('needs_approval')), (wait ?? 0) * 1000);
      });
    },
    payX402: (input: X402PayInput, { idempotencyKey }: { idempotencyKey: string }) => {
      payments.push({ input, key: idempotencyKey });
      // Purser's answer to a key it has seen: the same payment (its tests are in test/chain).
      return Promise.resolve({
        id: 'xpay_0000000000ABCDEFGHIJ',
        status: 'signed',
        spend_request_id: ID,
        decision: 'approved',
        decision_reason: 'within policy',
        resource_url: input.resource_url,
        host: 'api.example.com',
        pay_to: '0x0000000000000000000000000000000000000001',
        amount_units: '10000',
        amount_micros: 10_000,
        payment_header_name: 'PAYMENT-SIGNATURE',
        payment_signature: 'c2lnbmF0dXJl',
        valid_before: '2030-01-01T00:00:00.000Z',
      } as unknown as X402PaymentView);
    },
    requestBudget: () =>
      Promise.resolve({
        id: 'breq_0000000000ABCDEFGHIJ',
        object: 'budget_request',
        status: 'pending',
        requested_amount_cents: 30_000,
        approved_amount_cents: null,
        remaining_cents: null,
        purpose: 'a week of evals',
        comment: null,
        expires_at: '2030-01-01T00:00:00.000Z',
        remaining_budget_cents: 50_000,
      } as unknown as BudgetRequestResult),
  };
  return { client: client as unknown as PurserClient, waits, payments };
}

/** An SDK client with its default options (request timeout: 60 s, no reset on progress). */
async function connect(purser: PurserClient): Promise<Client> {
  const server = createPurserMcpServer(purser, { log: () => undefined });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'default-client', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs the fake clock forward until `promise` settles or `limitMs` passed; how long it took. */
async function settle<T>(promise: Promise<T>, limitMs: number) {
  let done = false;
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  void outcome.finally(() => (done = true));
  let elapsed = 0;
  while (!done && elapsed < limitMs) {
    await vi.advanceTimersByTimeAsync(1_000);
    elapsed += 1_000;
  }
  return { ...(await Promise.race([outcome, Promise.resolve({ pending: true })])), elapsed };
}

describe('purser mcp: long polls under the client timeout', () => {
  it('the wait bound sits under the SDK client timeout, with room to spare', () => {
    expect(DEFAULT_REQUEST_TIMEOUT_MSEC).toBe(60_000);
    expect(MAX_WAIT_SECONDS).toBe(50);
    expect(MAX_WAIT_SECONDS * 1000).toBeLessThan(WAIT_ANSWER_WITHIN_MS);
    expect(WAIT_ANSWER_WITHIN_MS).toBeLessThan(DEFAULT_REQUEST_TIMEOUT_MSEC);
  });

  it('lists wait with a maximum of 50, and refuses 51 without reaching Purser', async () => {
    const purser = fakePurser();
    const client = await connect(purser.client);
    const { tools } = await client.listTools();
    for (const name of ['get_spend_request', 'get_budget_request']) {
      const wait = tools.find((tool) => tool.name === name)?.inputSchema.properties?.wait;
      expect(wait, name).toMatchObject({ type: 'integer', minimum: 0, maximum: 50 });
      const description = tools.find((tool) => tool.name === name)?.description;
      expect(description).toContain('up to 50 s');
    }
    for (const tool of tools) expect(tool.description, tool.name).not.toMatch(/\b60\b/);
    const tooLong = (await client.callTool({
      name: 'get_spend_request',
      arguments: { id: ID, wait: 51 },
    })) as CallToolResult;
    expect(tooLong.isError).toBe(true);
    expect(purser.waits).toEqual([]);
  });

  it('a wait at the listed maximum answers the default client (no -32001), still needs_approval', async () => {
    const purser = fakePurser();
    const client = await connect(purser.client);
    const { tools } = await client.listTools();
    const listed = tools.find((tool) => tool.name === 'get_spend_request')?.inputSchema.properties
      ?.wait as { maximum: number };
    // What a model reads from the listing and sends; Purser holds the call that long.
    const call = client.callTool({
      name: 'get_spend_request',
      arguments: { id: ID, wait: listed.maximum },
    });
    const result = await settle(call, 70_000);
    expect(result).not.toHaveProperty('error');
    expect(result.elapsed).toBeGreaterThanOrEqual(listed.maximum * 1000);
    expect(result.elapsed).toBeLessThan(DEFAULT_REQUEST_TIMEOUT_MSEC);
    const answer = (result as { value: CallToolResult }).value;
    expect(answer.isError).toBeFalsy();
    expect(answer.structuredContent).toMatchObject({ id: ID, status: 'needs_approval' });
    expect(answer.structuredContent?.next_step).toContain(`wait ${listed.maximum},`);
    expect(purser.waits).toEqual([listed.maximum]);
  });

  it('a Purser that never answers: a tool error at 55 s, before the client gives up', async () => {
    const purser = fakePurser({ hang: true });
    const client = await connect(purser.client);
    const call = client.callTool({ name: 'get_spend_request', arguments: { id: ID, wait: 50 } });
    const result = await settle(call, 70_000);
    expect(result).not.toHaveProperty('error'); // not McpError -32001 Request timed out
    expect(result.elapsed).toBe(WAIT_ANSWER_WITHIN_MS);
    const answer = (result as { value: CallToolResult }).value;
    expect(answer.isError).toBe(true);
    const text = answer.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    expect(text).toMatch(
      /^Error timeout: Purser did not answer within 55 s; call get_spend_request again/,
    );
  });

  it('control: on this clock the SDK client does time out, so the two tests above mean something', async () => {
    const purser = fakePurser({ hang: true });
    const client = await connect(purser.client);
    const call = client.callTool(
      { name: 'get_spend_request', arguments: { id: ID, wait: 50 } },
      undefined,
      { timeout: 40_000 },
    );
    const result = await settle(call, 70_000);
    expect(String((result as { error?: unknown }).error)).toMatch(/-32001.*timed out/i);
    expect(result.elapsed).toBe(40_000);
  });

  it('sends progress every 15 s while waiting when the client gave a progressToken', async () => {
    const purser = fakePurser();
    const client = await connect(purser.client);
    const progress: Progress[] = [];
    const call = client.callTool(
      { name: 'get_spend_request', arguments: { id: ID, wait: 50 } },
      undefined,
      {
        onprogress: (update) => progress.push(update),
      },
    );
    const result = await settle(call, 70_000);
    expect(result).not.toHaveProperty('error');
    expect(progress.map((update) => update.progress)).toEqual([1, 2, 3]);
    expect(progress[0]?.message).toBe('still waiting for the human');
  });
});

describe('purser mcp: annotations and what the tools do', () => {
  it('pay_x402 is idempotent by its required key: the same arguments reach Purser with the same key', async () => {
    const purser = fakePurser();
    const client = await connect(purser.client);
    const { tools } = await client.listTools();
    const pay = tools.find((tool) => tool.name === 'pay_x402');
    expect(pay?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true });
    expect(pay?.inputSchema.required).toContain('idempotency_key');
    const args = {
      resource_url: 'https://api.example.com/report',
      payment_required: 'eyJ4NDAyVmVyc2lvbiI6Mn0=',
      idempotency_key: 'pay-report-1',
    };
    const first = (await client.callTool({ name: 'pay_x402', arguments: args })) as CallToolResult;
    const again = (await client.callTool({ name: 'pay_x402', arguments: args })) as CallToolResult;
    expect(again.structuredContent).toEqual(first.structuredContent);
    expect(purser.payments.map((payment) => payment.key)).toEqual(['pay-report-1', 'pay-report-1']);
    const missing = (await client.callTool({
      name: 'pay_x402',
      arguments: { ...args, idempotency_key: undefined },
    })) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect(purser.payments).toHaveLength(2);
  });

  it('a pending budget request carries the approval page of the Purser it asked', async () => {
    const purser = fakePurser();
    const client = await connect(purser.client);
    const asked = (await client.callTool({
      name: 'request_budget',
      arguments: { amount_cents: 30_000, purpose: 'a week of evals' },
    })) as CallToolResult;
    expect(asked.structuredContent).toMatchObject({
      status: 'pending',
      approval_url: `${URL_OF_PURSER}/app/#/approvals`,
    });
  });
});
