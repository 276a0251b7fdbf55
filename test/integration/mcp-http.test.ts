/**
 * MCP over HTTP at `/mcp` on Purser's own port (electron/api/mcp-route.ts): the SDK's client
 * over Streamable HTTP with the spending key as a bearer token, against a real server; the
 * key, Host and Origin rules; and the official conformance suite's scenarios that apply to a
 * server with only tools (test/helpers/mcp-conformance.ts says which and why).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import {
  CONFORMANCE_SUPPORTED,
  TOOLS_ONLY_SCENARIOS,
  describeResults,
  ensureConformanceInstalled,
  runConformance,
} from '../helpers/mcp-conformance';
import { initializeRequest } from '../helpers/mcp';
import { startTestServer } from '../helpers/server';

async function connect(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'mcp-http-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

const initialize = initializeRequest();

function post(url: string, headers: Record<string, string>, body: unknown = initialize) {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe('MCP over HTTP at /mcp', () => {
  it('spends through the same tools as purser mcp, decided and ledgered like /v1', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ name: 'http-agent', budget_cents: 5_000 });
    const client = await connect(t.url, key);
    try {
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      expect(tools).toEqual(expect.arrayContaining(['request_spend', 'get_balance']));
      const approved = (await client.callTool({
        name: 'request_spend',
        arguments: { amount_cents: 1_200, merchant_name: 'AWS', reason: 'over http' },
      })) as CallToolResult;
      expect(approved.isError, JSON.stringify(approved.content)).toBeFalsy();
      expect(approved.structuredContent).toMatchObject({ status: 'approved', amount_cents: 1_200 });
      const declined = (await client.callTool({
        name: 'request_spend',
        arguments: { amount_cents: 4_000, merchant_name: 'AWS', reason: 'too much' },
      })) as CallToolResult;
      expect(declined.structuredContent).toMatchObject({ status: 'declined' });
    } finally {
      await client.close();
    }
    const ledger = await t.call('listSpendRequests');
    const mine = ledger.body.spend_requests.filter((r) => r.agent_id === agent.id);
    expect(mine.map((r) => [r.amount_cents, r.status])).toEqual(
      expect.arrayContaining([
        [1_200, 'approved'],
        [4_000, 'declined'],
      ]),
    );
  });

  it('needs a spending key: none, a wrong one, a revoked one and the owner token are refused', async () => {
    const t = await startTestServer();
    const { key, keyId } = await t.newAgent();
    expect((await post(t.url, {})).status).toBe(401);
    expect((await post(t.url, { authorization: 'Bearer psk_test_nope' })).status).toBe(401);
    expect((await post(t.url, { authorization: `Bearer ${t.server.ownerToken}` })).status).toBe(
      401,
    );
    expect((await post(t.url, { authorization: `Bearer ${key}` })).status).toBe(200);
    await t.owner('POST', `/admin/v1/keys/${keyId}/revoke`, {});
    const revoked = await post(t.url, { authorization: `Bearer ${key}` });
    expect(revoked.status).toBe(403);
    expect(await revoked.json()).toMatchObject({ error: { code: 'revoked_api_key' } });
  });

  it('keeps the Host and Origin rules: a rebinding page or another origin gets nothing', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const auth = { authorization: `Bearer ${key}` };
    // fetch will not set Host; node:http will.
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${t.url}/mcp`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              ...auth,
              ...headers,
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(initialize));
      });
    expect(await status({ host: 'evil.example.com' })).toBe(403);
    expect(await status({ origin: 'http://evil.example.com' })).toBe(403);
    expect(await status({})).toBe(200);
  });

  it('is stateless: GET and DELETE are 405 with the envelope', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    for (const method of ['GET', 'DELETE']) {
      const answer = await fetch(`${t.url}/mcp`, {
        method,
        headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
      });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
      expect(await answer.json()).toMatchObject({ error: { code: 'invalid_request' } });
    }
  });

  it('passes the conformance scenarios that apply to a tools-only, stateless server', async (context) => {
    if (!CONFORMANCE_SUPPORTED) {
      console.log('skipped: the conformance suite needs Node 22, available here only as linux-x64');
      context.skip();
    }
    await ensureConformanceInstalled();
    const t = await startTestServer();
    const { key } = await t.newAgent();
    // Purser keeps no MCP sessions, so the multiple-streams scenario (one session, three
    // streams) has nothing to test: README, "MCP over HTTP".
    const scenarios = TOOLS_ONLY_SCENARIOS.map((s) => s.name).filter(
      (name) => name !== 'server-sse-multiple-streams',
    );
    const results = await runConformance(`${t.url}/mcp`, scenarios, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(
      results.every((r) => r.ok),
      describeResults(results),
    ).toBe(true);
    expect(results.map((r) => r.scenario)).toEqual(scenarios);
  }, 240_000);
});
