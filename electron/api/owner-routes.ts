import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  ownerContract,
  type OwnerContract,
  type OwnerRouteName,
  type OwnerRouteSpec,
} from '../../shared/contract/owner';
import { errorEnvelope } from '../../shared/schemas/common';
import type { ZodApp } from './context';

type Spec<N extends OwnerRouteName> = OwnerContract[N];
type Parsed<N extends OwnerRouteName, K extends 'params' | 'query' | 'body'> =
  Spec<N> extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;

/** A route's request as its handler gets it: validated by the contract's schemas. */
export interface OwnerCall<N extends OwnerRouteName> {
  params: Parsed<N, 'params'>;
  query: Parsed<N, 'query'>;
  body: Parsed<N, 'body'>;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * What a handler answers: the contract's 200 answer (before serialisation), or the reply
 * itself when it sends something else (a 202, a file, an event stream).
 */
type Answer<N extends OwnerRouteName> =
  (Spec<N> extends { response: infer S extends z.ZodType } ? z.input<S> : never) | FastifyReply;

export type OwnerHandler<N extends OwnerRouteName> = (
  call: OwnerCall<N>,
) => Answer<N> | Promise<Answer<N>>;

/** Handlers for some of the owner routes (one file's share). */
export type OwnerHandlerGroup<K extends OwnerRouteName> = { [N in K]: OwnerHandler<N> };

/** A handler for every owner route: one left out is a compile error. */
export type OwnerHandlers = OwnerHandlerGroup<OwnerRouteName>;

/**
 * Registers every owner route from the contract (shared/contract/): its method, path and
 * schemas, who may call it (the owner, or anyone for a public route), and its handler from
 * the map, so a route's shape is written once and the server cannot drift from what its
 * clients are typed against. The model is ts-rest's Fastify adapter.
 */
export function registerOwnerRoutes(app: ZodApp, handlers: OwnerHandlers): void {
  for (const name of Object.keys(ownerContract) as OwnerRouteName[]) {
    const spec: OwnerRouteSpec = ownerContract[name];
    const handler = handlers[name] as OwnerHandler<OwnerRouteName>;
    const response: Record<string, z.ZodType> = { '4XX': errorEnvelope };
    if (spec.response) response['200'] = spec.response;
    if (spec.accepted) response['202'] = spec.accepted;
    app.route({
      method: spec.method,
      url: spec.path,
      config: spec.public ? { public: true } : { owner: true },
      schema: {
        hide: true,
        ...(spec.params && { params: spec.params }),
        ...(spec.query && { querystring: spec.query }),
        ...(spec.body && { body: spec.body }),
        // A route that answers a file or a stream has no JSON answer to serialise.
        ...((spec.response || spec.accepted) && { response }),
      },
      handler: (request, reply) =>
        handler({
          params: request.params as never,
          query: request.query as never,
          body: request.body as never,
          request,
          reply,
        }),
    });
  }
}
