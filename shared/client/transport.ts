/**
 * What the client needs of an HTTP transport: the part of fetch it uses. The global fetch
 * fits it (browsers, Deno, Bun, tests); on Node the client uses node-transport.ts.
 */
export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export interface TransportResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type Transport = (url: string, init: TransportRequest) => Promise<TransportResponse>;
