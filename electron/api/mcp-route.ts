import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { PurserClient } from '../../shared/client/purser-client';
import type { Transport } from '../../shared/client/transport';
import { createPurserMcpServer } from '../mcp/server';
import { bearer } from './auth';

/**
 * MCP over HTTP (Streamable HTTP, the MCP SDK's transport) at `/mcp`: the same tools as
 * `purser mcp`, for a client that speaks only HTTP or an agent in a container, with no
 * process to spawn (docs/clients.md, "MCP"). The caller is an agent: its spending key as
 * `Authorization: Bearer`, checked before anything is read, and the same Host/Origin rules
 * as every route (security.ts). Each tool call is a call of `/v1` with that key, made
 * inside this server (Fastify's inject), so it passes the same authentication, scopes,
 * rate limits and decision as over HTTP: `/mcp` can do what the key can and no more.
 *
 * Stateless: every POST is answered by a fresh MCP server, and no session is kept, so a
 * client cannot make Purser hold state for it (a flood of sessions costs nothing), and a
 * restart loses nothing. Server-to-client streams (GET) are not offered: 405, as the
 * transport's specification allows.
 */
export function mcpRoutes(app: FastifyInstance, port: () => number | undefined): void {
  app.post(
    '/mcp',
    { config: { scope: 'spend.read' }, schema: { hide: true } },
    async (request, reply) => {
      const key = bearer(request) ?? '';
      const client = new PurserClient({
        key,
        url: 'http://127.0.0.1',
        fetch: injected(app, port),
        // A failure inside is an answer to give the model, not something to retry here.
        retries: 0,
      });
      const server = createPurserMcpServer(client, {
        log: (line) => request.log.info(`mcp: ${line}`),
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    },
  );
  const noStream = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send({
        error: {
          code: 'invalid_request',
          message:
            'This MCP endpoint is stateless: POST each JSON-RPC message; there is no stream to open or session to end.',
          details: {},
        },
      });
  app.get('/mcp', { config: { scope: 'spend.read' }, schema: { hide: true } }, noStream);
  app.delete('/mcp', { config: { scope: 'spend.read' }, schema: { hide: true } }, noStream);
}

/** The client's transport as a call into this same server (Fastify's inject). */
function injected(app: FastifyInstance, port: () => number | undefined): Transport {
  return async (url, init) => {
    const target = new URL(url);
    const answer = await app.inject({
      method: init.method === 'POST' ? 'POST' : 'GET',
      url: `${target.pathname}${target.search}`,
      headers: { ...init.headers, host: `127.0.0.1:${port() ?? 0}` },
      ...(init.body === undefined ? {} : { payload: init.body }),
    });
    return {
      ok: answer.statusCode >= 200 && answer.statusCode < 300,
      status: answer.statusCode,
      headers: {
        get: (name) => {
          const value = answer.headers[name.toLowerCase()];
          return value === undefined ? null : String(value);
        },
      },
      text: async () => answer.body,
    };
  };
}
