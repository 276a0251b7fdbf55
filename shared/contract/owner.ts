/**
 * The owner API (`/admin/v1`) described once: every route's method, path and schemas, and
 * the event stream's events. The server registers its routes from this table, and the
 * window's client (renderer/src/api/client.ts), the CLI's (electron/cli/owner-client.ts) and
 * the tests' (test/helpers/server.ts) are typed from it, as the agent API's client is typed
 * from shared/schemas/. test/integration/owner-contract.test.ts checks the server against it.
 */
import type { z } from 'zod';
import { agentRoutes } from './agents';
import { approvalRoutes } from './approvals';
import { chainRoutes } from './chain';
import { fundingRoutes } from './funding';
import { ledgerRoutes } from './ledger';
import { overviewRoutes } from './overview';
import { recipientRoutes } from './recipients';
import type { OwnerRouteSpec } from './route';
import { sessionRoutes } from './sessions';
import { spendingRoutes } from './spending';

export type { OwnerRouteSpec } from './route';
export {
  agentEventView,
  alertEventView,
  isOwnerEventName,
  ownerEvents,
  type OwnerEvent,
  type OwnerEventName,
} from './events';

export const ownerContract = {
  ...overviewRoutes,
  ...agentRoutes,
  ...approvalRoutes,
  ...fundingRoutes,
  ...ledgerRoutes,
  ...spendingRoutes,
  ...chainRoutes,
  ...recipientRoutes,
  ...sessionRoutes,
} as const satisfies Record<string, OwnerRouteSpec>;

export type OwnerContract = typeof ownerContract;
export type OwnerRouteName = keyof OwnerContract;

type Spec<N extends OwnerRouteName> = OwnerContract[N];

/** Query values as a caller holds them: URLSearchParams writes numbers and booleans as text. */
type QueryValue<T> = T extends 'true' | 'false' ? T | boolean : string extends T ? T | number : T;

/** `:id` and the like; `undefined` for a route without path parameters. */
export type OwnerParams<N extends OwnerRouteName> =
  Spec<N> extends { params: infer S extends z.ZodType } ? z.input<S> : undefined;

/** The query string's fields (each optional where the schema says so). */
export type OwnerQuery<N extends OwnerRouteName> =
  Spec<N> extends { query: infer S extends z.ZodType }
    ? { [K in keyof z.input<S>]: QueryValue<z.input<S>[K]> }
    : undefined;

/** The JSON body as sent (defaults not yet applied: `z.input`). */
export type OwnerBody<N extends OwnerRouteName> =
  Spec<N> extends { body: infer S extends z.ZodType } ? z.input<S> : undefined;

/** What a route answers: its 200 answer, or its 202 one for a route that has one. */
export type OwnerAnswer<N extends OwnerRouteName> =
  | (Spec<N> extends { response: infer S extends z.ZodType } ? z.output<S> : never)
  | (Spec<N> extends { accepted: infer S extends z.ZodType } ? z.output<S> : never);

/** The routes that answer JSON, which `call` can make (not the export file, not the stream). */
export type OwnerCallName = {
  [N in OwnerRouteName]: Spec<N> extends { response: z.ZodType } ? N : never;
}[OwnerRouteName];

/** A part of a call: required when its schema has a required field, absent when no schema. */
type Part<K extends string, T> = [T] extends [undefined]
  ? { [P in K]?: undefined }
  : Partial<T> extends T
    ? { [P in K]?: T }
    : { [P in K]: T };

export type OwnerInput<N extends OwnerRouteName> = Part<'params', OwnerParams<N>> &
  Part<'query', OwnerQuery<N>> &
  Part<'body', OwnerBody<N>>;

/** `call(name)` for a route that needs nothing, `call(name, { params, query, body })` else. */
export type OwnerCallArgs<N extends OwnerRouteName> =
  Partial<OwnerInput<N>> extends OwnerInput<N> ? [input?: OwnerInput<N>] : [input: OwnerInput<N>];

/** What a client sends for one call. */
export interface OwnerRequest {
  method: OwnerRouteSpec['method'];
  path: string;
  /** Undefined: no body (a POST without one is read as `{}` by the server). */
  body: unknown;
}

/**
 * The path of a call, `/admin/v1/agents/agt_…?…`: each parameter through
 * encodeURIComponent, so an id can never reach another route (`../x?y#z` stays one path
 * segment), and the query through URLSearchParams, without the fields left undefined.
 */
export function ownerPath<N extends OwnerRouteName>(
  name: N,
  params: OwnerParams<N>,
  query?: OwnerQuery<N>,
): string {
  return pathOf(name, params, query);
}

/** Method, path and body of a call, for a client to send as it sends things. */
export function ownerRequest<N extends OwnerRouteName>(
  name: N,
  ...[input]: OwnerCallArgs<N>
): OwnerRequest {
  return {
    method: ownerContract[name].method,
    path: pathOf(name, input?.params, input?.query),
    body: input?.body,
  };
}

function pathOf(name: OwnerRouteName, params: unknown, query: unknown): string {
  const values = (params ?? {}) as Record<string, unknown>;
  const path = ownerContract[name].path.replace(/:([A-Za-z_]+)/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined || value === null) throw new Error(`${name}: no value for :${key}`);
    const text = String(value);
    // `.` and `..` would be resolved by fetch (WHATWG URL), even percent-encoded, into
    // another path: no id is either, so such a call is refused here instead.
    if (text === '.' || text === '..') throw new Error(`${name}: "${text}" is not an id`);
    return encodeURIComponent(text);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>))
    if (value !== undefined) search.set(key, String(value));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}
