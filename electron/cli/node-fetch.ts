import { nodeTransport } from '../../shared/client/node-transport';

/**
 * The owner client's fetch for CLI commands: node:http through the agent client's
 * transport, because Node 20 spends ~150 ms loading its own fetch (undici) on first use,
 * most of an owner command's run (docs/performance.md, "Cold start"). It gives what
 * `call` reads of an answer (status, headers, the body as text or JSON); the ledger
 * export, which streams its body, uses the global fetch.
 */
export function nodeFetch(): typeof fetch {
  const transport = nodeTransport();
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const answer = await transport(String(input), {
      method: init.method ?? 'GET',
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? init.body : undefined,
      signal: init.signal ?? new AbortController().signal,
    });
    return {
      ok: answer.ok,
      status: answer.status,
      headers: answer.headers,
      text: answer.text,
      json: async () => JSON.parse(await answer.text()) as unknown,
    } as unknown as Response;
  }) as typeof fetch;
}
