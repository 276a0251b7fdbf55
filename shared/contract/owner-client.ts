/**
 * The one client of the owner API (`/admin/v1`), typed by the contract: the window, the
 * CLI and the desktop shell are each an adapter that supplies where the server is, the
 * owner's token, and the error it wants to throw. Nothing here knows a surface.
 */
import type { ErrorEnvelope } from '../errors';
import {
  ownerContract,
  ownerPath,
  ownerRequest,
  type OwnerAnswer,
  type OwnerCallArgs,
  type OwnerCallName,
  type OwnerParams,
  type OwnerQuery,
  type OwnerRouteName,
} from './owner';

type Fetch = typeof globalThis.fetch;

/** Where the owner API is and how to reach it. */
export interface OwnerConnection {
  /** `http://127.0.0.1:8402`; empty for the same origin (the window). */
  baseUrl: string;
  /** The bearer secret (a window's session token, the owner token); undefined: none. */
  token(): string | undefined;
  fetch?: Fetch;
  /** Added to every request (the window sends `credentials: 'omit'`). */
  init?: RequestInit;
}

export interface OwnerClientOptions extends OwnerConnection {
  /** The error a refused call throws: the surface's own type, with the server's envelope. */
  refused(status: number, envelope: ErrorEnvelope | undefined): Error;
  /** The error when the server cannot be reached at all; by default fetch's own. */
  unreachable?(error: unknown): Error;
  /** Every answer's status, before it is read (a 401 ends a window's session). */
  onStatus?(status: number): void;
}

export interface OwnerClient {
  /** A route that answers JSON, typed by the contract: `call('getAgent', { params })`. */
  call<N extends OwnerCallName>(name: N, ...input: OwnerCallArgs<N>): Promise<OwnerAnswer<N>>;
  /**
   * The response itself, for an answer that is not one JSON value (the ledger export, the
   * event stream); a refused call still throws the surface's error.
   */
  open<N extends OwnerRouteName>(
    name: N,
    params: OwnerParams<N>,
    query?: OwnerQuery<N>,
    init?: RequestInit,
  ): Promise<Response>;
}

/** Bearer headers for `connection`, with `extra`. */
export function ownerHeaders(
  connection: OwnerConnection,
  extra: Record<string, string> = {},
): Record<string, string> {
  const token = connection.token();
  return token ? { authorization: `Bearer ${token}`, ...extra } : extra;
}

const envelopeOf = async (response: Response) =>
  (await response.json().catch(() => undefined)) as ErrorEnvelope | undefined;

export function createOwnerClient(options: OwnerClientOptions): OwnerClient {
  const send = async (method: string, path: string, init: RequestInit) => {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(`${options.baseUrl}${path}`, {
        ...options.init,
        ...init,
        method,
      });
    } catch (error) {
      throw options.unreachable ? options.unreachable(error) : error;
    }
    options.onStatus?.(response.status);
    return response;
  };
  return {
    async call(name, ...input) {
      // Inside the promise: an id the path refuses (`..`) rejects it like any failed call.
      const { method, path, body } = ownerRequest(name, ...input);
      const response = await send(method, path, {
        headers: ownerHeaders(
          options,
          body === undefined ? {} : { 'content-type': 'application/json' },
        ),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw options.refused(response.status, await envelopeOf(response));
      return (await response.json().catch(() => undefined)) as OwnerAnswer<typeof name>;
    },
    async open(name, params, query, init = {}) {
      const response = await send(ownerContract[name].method, ownerPath(name, params, query), {
        ...init,
        headers: ownerHeaders(options, (init.headers ?? {}) as Record<string, string>),
      });
      if (!response.ok) throw options.refused(response.status, await envelopeOf(response));
      return response;
    },
  };
}
