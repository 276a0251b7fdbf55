import autocannon, { type Request } from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface LoadResult {
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /**
   * CPU time the server process used per request (all its threads, user + system), in
   * µs: steadier than requests/s on a shared machine, whose speed drifts. Linux only.
   */
  serverCpuUsPerRequest: number | null;
  /** The same for the server's main thread alone: the event loop, which one core bounds. */
  serverMainThreadUsPerRequest: number | null;
  /**
   * CPU time the load generator (autocannon, in this process) used per request: on a
   * small machine it shares the cores with the server, and this is its part of them.
   */
  loadgenCpuUsPerRequest: number;
}

export interface Target {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /**
   * Idempotency keys as real clients send them: `uuid`, a fresh random UUID per request
   * (what the docs tell every client to do); `uuid+replays`, the same with one request in
   * ten a retry of a recent key (the same body, so a replay).
   */
  idempotency?: 'uuid' | 'uuid+replays';
}

/** One autocannon request template that stamps an Idempotency-Key on every request. */
function keyedRequests(target: Target): Request[] {
  const recent: string[] = [];
  let n = 0;
  return [
    {
      method: target.method,
      headers: target.headers,
      body: target.body,
      setupRequest(request: Request) {
        n += 1;
        let key: string;
        if (target.idempotency === 'uuid+replays' && n % 10 === 0 && recent.length > 0) {
          key = recent[n % recent.length] ?? randomUUID();
        } else {
          key = randomUUID();
          recent[n % 64] = key;
        }
        request.headers = { ...target.headers, 'idempotency-key': key };
        return request;
      },
    },
  ];
}

/**
 * CPU seconds used so far (utime + stime from /proc) by process `pid`, or with `thread`
 * by its main thread alone; null where there is no /proc.
 */
function cpuSeconds(pid: number | undefined, thread = false): number | null {
  if (pid === undefined) return null;
  try {
    const path = thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`;
    const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks: 100 per second
  } catch {
    return null; // not Linux
  }
}

/**
 * Drives `target` with autocannon at `connections` connections for `seconds` seconds;
 * with the server's pid, also measures the server's CPU time per request.
 */
export async function load(
  target: Target,
  connections: number,
  seconds: number,
  serverPid?: number,
): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(serverPid);
  const mainBefore = cpuSeconds(serverPid, true);
  const loadgenBefore = process.cpuUsage();
  const result = await autocannon({
    url: target.url,
    method: target.method,
    headers: target.headers,
    body: target.body,
    ...(target.idempotency ? { requests: keyedRequests(target) } : {}),
    connections,
    duration: seconds,
    // A request that takes this long counts as timed out: the backpressure promise is
    // that none does.
    timeout: 10,
  });
  const loadgen = process.cpuUsage(loadgenBefore);
  const cpuAfter = cpuSeconds(serverPid);
  const mainAfter = cpuSeconds(serverPid, true);
  const served = result.requests.total;
  const perRequest = (before: number | null, after: number | null) =>
    before === null || after === null || served === 0 ? null : ((after - before) * 1e6) / served;
  return {
    connections,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuUsPerRequest: perRequest(cpuBefore, cpuAfter),
    serverMainThreadUsPerRequest: perRequest(mainBefore, mainAfter),
    loadgenCpuUsPerRequest: served === 0 ? 0 : (loadgen.user + loadgen.system) / served,
  };
}

export interface Child {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Starts a server process and waits for the line naming its URL. */
export function startChild(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (match?.[1]) {
        resolve({
          child,
          url: match[1],
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}):\n${out}`)));
  });
}
