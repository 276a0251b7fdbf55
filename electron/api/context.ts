import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Wallet } from '../core/wallet';
import type { OwnerSessions } from './owner-sessions';

export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route modules get: the wallet, and how to build links back to this server. */
export interface RouteContext {
  wallet: Wallet;
  /** `http://127.0.0.1:PORT`, once listening. */
  baseUrl(): string;
  sessions: OwnerSessions;
  /** The data folder (an MCP client's entry names it when it is not the default). */
  home: string;
  /**
   * The environment an agent's client is set up from (the window's Connect): where the MCP
   * clients' configuration files are (HOME, XDG_CONFIG_HOME, APPDATA), which `node` PATH
   * finds, PURSER_PORT. The server's own, unless a test gives another.
   */
  clientEnv: NodeJS.ProcessEnv;
  /** The agent socket, when it is served. */
  agentSocket?: string;
}
