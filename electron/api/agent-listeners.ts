import { chmodSync, lstatSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Listeners for agents only (docs/trust-model.md, "Agent listeners"): a Unix socket that a
 * container can mount, and (listen-tls.ts) a TLS port on an address the owner names. They
 * hand requests to the same app as the loopback port, marked with where they came in, and
 * the app then answers only the agent's routes on them: `/v1` and `/mcp`. The owner API
 * and the window are never reachable there, whatever credential is sent.
 */
export interface AgentListener {
  kind: 'socket' | 'tls';
  /** The Host values a request may carry; undefined: any (no browser reaches a socket). */
  hosts?: readonly string[];
}

const LISTENER = Symbol('purser.agentListener');
type Marked = IncomingMessage & { [LISTENER]?: AgentListener };

export const agentListenerOf = (request: FastifyRequest): AgentListener | undefined =>
  (request.raw as Marked)[LISTENER];

/** The handler of a listener's server: marks the request, then routes it in the app. */
export function routeAs(
  app: FastifyInstance,
  listener: AgentListener,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    (req as Marked)[LISTENER] = listener;
    app.routing(req, res);
  };
}

/**
 * Whether the route that matched is one an agent listener serves: a route with an agent
 * scope (`/v1`, `/mcp`), or the agent API's public OpenAPI document. Judged on the matched
 * route, not on the spelling of the URL.
 */
export function isAgentRoute(request: FastifyRequest): boolean {
  const config = request.routeOptions.config as { scope?: string; public?: boolean };
  const url = request.routeOptions.url ?? '';
  return config.scope !== undefined || (config.public === true && url.startsWith('/v1/'));
}

/** Stops a listener: no new connections, open ones closed, the socket file removed. */
export interface OpenListener {
  /** Where agents reach it: `unix:/path` or `https://address:port`. */
  url: string;
  close(): Promise<void>;
}

export function closer(server: Server, after: () => void = () => undefined): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        after();
        resolve();
      });
      server.closeAllConnections();
    });
}

/**
 * The agent socket: `/v1` and `/mcp` on a Unix domain socket, mode 0600 (only the owner's
 * user, and whoever the owner mounts it into, can connect). A stale socket left by a
 * killed run is replaced; any other file at the path is refused, never removed.
 */
export async function listenAgentSocket(app: FastifyInstance, path: string): Promise<OpenListener> {
  try {
    if (!lstatSync(path).isSocket()) {
      throw new Error(`${path} exists and is not a socket: choose another --agent-socket path.`);
    }
    rmSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const server = createServer(
    { requestTimeout: 120_000, connectionsCheckingInterval: 30_000 },
    routeAs(app, { kind: 'socket' }),
  );
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) =>
      reject(
        new Error(`Cannot open the agent socket at ${path}: ${error.message}`, { cause: error }),
      );
    server.once('error', failed);
    server.listen(path, () => {
      server.off('error', failed);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return { url: `unix:${path}`, close: closer(server, () => rmSync(path, { force: true })) };
}
