/**
 * The processes of test/e2e/journey.spec.ts: `purser serve` on a port that can be given
 * again after a restart, and agent processes (`purser spend`, `purser budget …`) that run
 * while the window is driven, each stopped at the end of the test whatever happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PURSER_BIN } from '../helpers/cli';

export interface Purser {
  url: string;
  port: number;
  output(): string;
  /** The one-time login link `purser serve` printed when it started. */
  loginLink(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const servers = new Set<ChildProcess>();
const agents = new Set<ChildProcess>();

/** `purser serve --port PORT` (0: a free one) on `home`, once it says where it listens. */
export function startPurser(home: string, port = 0): Promise<Purser> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [PURSER_BIN, '--home', home, 'serve', '--port', String(port)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    servers.add(child);
    const exited = new Promise<number | null>((done) =>
      child.once('exit', (code) => {
        servers.delete(child);
        done(code);
      }),
    );
    let out = '';
    let started = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`purser serve did not start:\n${out}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const listening = /listening on (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(out);
      const link = /one-time login link\): (\S+)\n/.exec(out);
      if (started || !listening?.[1] || !link?.[1]) return;
      started = true;
      clearTimeout(timer);
      const url = listening[1];
      const loginLink = link[1];
      resolve({
        url,
        port: Number(listening[2]),
        output: () => out,
        loginLink: () => loginLink,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`purser serve exited (${code}):\n${out}`));
    });
  });
}

export interface AgentRun {
  /** Still running (waiting for the owner, say). */
  running(): boolean;
  /** Its exit code and output, once it has exited. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/**
 * A separate agent process: `purser ARGS` with only the agent's key and Purser's URL, as an
 * agent runs it (nothing of the owner's: no data folder, no owner token).
 */
export function agentProcess(args: string[], key: string, url: string): AgentRun {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'])
    if (process.env[name] !== undefined) env[name] = process.env[name];
  const child = spawn(process.execPath, [PURSER_BIN, ...args], {
    env: { ...env, PURSER_KEY: key, PURSER_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  agents.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => {
      agents.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  return { running: () => child.exitCode === null && child.signalCode === null, done };
}

/** Ends what the test started and left running: agents first, then servers. */
export async function stopAll(): Promise<void> {
  const gone = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const child of [...agents]) {
    const exit = gone(child);
    child.kill('SIGKILL');
    await exit;
  }
  for (const child of [...servers]) {
    const exit = gone(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
  }
}

/** RFC 4180 CSV, as the ledger export writes it (CRLF, quoted fields with "" inside). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
