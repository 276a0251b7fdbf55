import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { ManualClock } from '../../electron/core/clock';
import { startServer, type RunningServer, type StartOptions } from '../../electron/api/server';
import {
  ownerRequest,
  type OwnerAnswer,
  type OwnerCallArgs,
  type OwnerCallName,
} from '../../shared/contract/owner';
import type { PolicyInput } from '../../shared/schemas/policy';
import { cleanupTmpDirs, tmpHome } from './tmp';

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
  cleanupTmpDirs();
});

/** 2026-03-14 10:00 UTC: a Saturday, away from any DST change in Europe or the US. */
export const T0 = Date.UTC(2026, 2, 14, 10, 0, 0);

export interface TestServer {
  server: RunningServer;
  url: string;
  clock: ManualClock;
  home: string;
  /**
   * An owner route by its name in the contract (shared/contract/owner.ts), with the owner
   * token: `call('getAgent', { params: { id } })`. `body` is typed as the route's answer;
   * an error's envelope is there too, so look at `status` first.
   */
  call<N extends OwnerCallName>(
    name: N,
    ...input: OwnerCallArgs<N>
  ): Promise<HttpResult<OwnerAnswer<N>>>;
  /** A call with the owner token, by method and path. */
  owner<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<HttpResult<T>>;
  /** A call as an agent, with its spending key. */
  agent<T = Record<string, unknown>>(
    key: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResult<T>>;
  /** Any call, headers as given. */
  raw(path: string, init?: RequestInit): Promise<HttpResult>;
  /** Creates an agent with a funded source and one key. */
  newAgent(
    policy?: Partial<PolicyInput> & { mode?: 'live' | 'test'; name?: string },
    fundCents?: number,
  ): Promise<{ agent: OwnerAnswer<'createAgent'>; key: string; keyId: string }>;
}

async function read<T>(response: Response): Promise<HttpResult<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** A real `purser serve` in this process: real SQLite file, real port, a clock we move by hand. */
export async function startTestServer(
  options: Partial<StartOptions> & { now?: number } = {},
): Promise<TestServer> {
  const clock = new ManualClock(options.now ?? T0);
  const home = options.home ?? tmpHome();
  // The window's Connect writes MCP clients' configuration under the user's home: in a
  // test, a home of the test's own, never the real one.
  const userHome = join(dirname(home), 'user-home');
  const clientEnv = {
    ...process.env,
    HOME: userHome,
    USERPROFILE: userHome,
    XDG_CONFIG_HOME: join(userHome, '.config'),
    APPDATA: join(userHome, 'AppData', 'Roaming'),
  };
  const server = await startServer({ home, port: 0, clock, clientEnv, ...options });
  running.push(server);
  const url = server.info.url;
  const call = async <T>(
    headers: Record<string, string>,
    method: string,
    path: string,
    body?: unknown,
  ) =>
    read<T>(
      await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  const owner = <T>(method: string, path: string, body?: unknown) =>
    call<T>({ authorization: `Bearer ${server.ownerToken}` }, method, path, body);
  const ownerCall = async <N extends OwnerCallName>(name: N, ...input: OwnerCallArgs<N>) => {
    const { method, path, body } = ownerRequest(name, ...input);
    return owner<OwnerAnswer<N>>(method, path, body);
  };
  const test: TestServer = {
    server,
    url,
    clock,
    home,
    call: ownerCall,
    owner,
    agent: (key, method, path, body, headers = {}) =>
      call({ authorization: `Bearer ${key}`, ...headers }, method, path, body),
    raw: async (path, init) => read(await fetch(`${url}${path}`, init)),
    async newAgent(policy = {}, fundCents = 1_000_000) {
      const { mode = 'live', name = 'test-agent', ...rest } = policy;
      const created = await ownerCall('createAgent', {
        body: { name, mode, budget_cents: 100_000, ...rest },
      });
      if (created.status !== 200)
        throw new Error(`agent create failed: ${JSON.stringify(created.body)}`);
      if (fundCents > 0) {
        const deposit = await ownerCall('deposit', {
          body: { amount_cents: fundCents, funding_source_id: created.body.funding_source_id },
        });
        if (deposit.status !== 200)
          throw new Error(`deposit failed: ${JSON.stringify(deposit.body)}`);
      }
      const key = await ownerCall('issueKey', { params: { id: created.body.id }, body: {} });
      if (key.status !== 200) throw new Error(`key issue failed: ${JSON.stringify(key.body)}`);
      return { agent: created.body, key: key.body.key, keyId: key.body.id };
    },
  };
  return test;
}

/** A spend body with sensible defaults. */
export function spendBody(
  amountCents: number,
  merchant = 'AWS',
  extra: Record<string, unknown> = {},
) {
  return {
    amount_cents: amountCents,
    currency: 'usd',
    merchant_name: merchant,
    reason: 'GPU runtime for an evaluation job',
    ...extra,
  };
}
