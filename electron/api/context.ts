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
}
