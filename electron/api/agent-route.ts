import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorEnvelope, idempotencyKey } from '../../shared/schemas/common';
import type { KeyAuth } from '../core/keys/key-repository';
import type { Wallet } from '../core/wallet';
import { agentAuthOf } from './auth';
import type { ZodApp } from './context';
import { idempotencyKeyOf } from './idempotency';

/** The zod schemas of one agent route: what it reads, and what it answers (200, or 202). */
interface Schemas {
  body?: z.ZodType;
  params?: z.ZodType;
  query?: z.ZodType;
  response: z.ZodType;
  accepted?: z.ZodType;
}

export interface AgentRouteSpec<S extends Schemas> {
  method: 'GET' | 'POST';
  /** The path, and any alias it also answers on (`/v1/spend-requests`, Dino's name). */
  urls: readonly string[];
  scope: 'spend.read' | 'spend.write';
  summary: string;
  schemas: S;
  /**
   * A creating call that takes an idempotency key (header or body field). Its rate is
   * checked by the core after the key's lookup, since a replay is not a new request;
   * every other route checks the key's rate first (docs/decision-order.md, step 4).
   */
  idempotent?: boolean;
}

type Parsed<S extends Schemas, K extends keyof Schemas> = S[K] extends z.ZodType
  ? z.output<S[K]>
  : undefined;

/** A request as its handler gets it: the caller's key, and what the schemas validated. */
export interface AgentCall<S extends Schemas> {
  auth: KeyAuth;
  body: Parsed<S, 'body'>;
  params: Parsed<S, 'params'>;
  query: Parsed<S, 'query'>;
  /** The idempotency key of an idempotent route, if the agent sent one. */
  key: string | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Marks the answer as a replay of an earlier call with the same key. */
  replayed(): void;
}

type Answer<S extends Schemas> =
  z.input<S['response']> | (S['accepted'] extends z.ZodType ? z.input<S['accepted']> : never);

const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKey.optional() });

/**
 * Registers one agent route (`/v1/…`) on each of its paths: its scope, its schemas with the
 * error envelope for every 4XX, the key's rate or idempotency key as the route's kind
 * says, and its handler, which sees the authenticated key and the validated input. What
 * each route does is its own; this is what every one of them did the same way.
 */
export function agentRoute<S extends Schemas>(
  app: ZodApp,
  wallet: Wallet,
  spec: AgentRouteSpec<S>,
  handler: (call: AgentCall<S>) => Promise<Answer<S>> | Answer<S>,
): void {
  const { schemas } = spec;
  const response: Record<string, z.ZodType> = { 200: schemas.response, '4XX': errorEnvelope };
  if (schemas.accepted) response['202'] = schemas.accepted;
  for (const url of spec.urls) {
    app.route({
      method: spec.method,
      url,
      config: { scope: spec.scope },
      schema: {
        summary: spec.summary,
        ...(schemas.body && { body: schemas.body }),
        ...(schemas.params && { params: schemas.params }),
        ...(schemas.query && { querystring: schemas.query }),
        ...(spec.idempotent && { headers: idempotencyHeaders }),
        response,
      },
      handler: async (request, reply) => {
        const auth = agentAuthOf(request);
        const body = request.body as { idempotency_key?: string } | undefined;
        if (!spec.idempotent) wallet.spend.checkRate(auth);
        const key = spec.idempotent ? idempotencyKeyOf(request, body?.idempotency_key) : undefined;
        return handler({
          auth,
          body: request.body as never,
          params: request.params as never,
          query: request.query as never,
          key,
          request,
          reply,
          replayed: () => void reply.header('Idempotent-Replayed', 'true'),
        });
      },
    });
  }
}
