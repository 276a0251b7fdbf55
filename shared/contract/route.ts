import type { z } from 'zod';
import { ownerIdParams } from '../schemas/owner-api';

/**
 * One route of the owner API as the server registers it and every client calls it. The
 * server takes `path` and the schemas from here (electron/api/routes/owner/), so what a
 * client is typed against is what the server validates and serialises with.
 */
export interface OwnerRouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify's form: `:id` is a path parameter. */
  path: `/admin/v1/${string}`;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The 200 answer. Absent when the answer is not one JSON value (a file, an event stream). */
  response?: z.ZodType;
  /** The 202 answer of a route that can answer before the work is done. */
  accepted?: z.ZodType;
  /** Open without credentials: its caller has only a one-time code (docs/trust-model.md). */
  public?: true;
}

/** A route on one owner object: its path has `:id`, which `idRoute` gives its schema. */
type IdRouteSpec = Omit<OwnerRouteSpec, 'params'> & {
  path: `/admin/v1/${string}/:id${string}`;
  params?: never;
};

/**
 * A route on one owner object, `…/:id…` (an agent, key, request, funding source, receipt or
 * session): `spec` with `ownerIdParams` for its path parameter, listed after the path.
 */
export function idRoute<const S extends IdRouteSpec>(
  spec: S,
): S & { readonly params: typeof ownerIdParams } {
  return Object.assign({ method: spec.method, path: spec.path, params: ownerIdParams }, spec);
}
