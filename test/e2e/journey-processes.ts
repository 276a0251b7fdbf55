/**
 * The agent processes of test/e2e/journey.spec.ts (`purser spend`, `purser budget …`): they
 * run while the window is driven, each stopped at the end of the test whatever happened.
 * (`purser serve`, restarted on the same port, is the `purser` fixture of fixtures.ts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PURSER_BIN } from '../helpers/cli';

const agents = new Set<ChildProcess>();

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

/** Ends the agent processes the test started and left running. */
export async function stopAgents(): Promise<void> {
  for (const child of [...agents]) {
    const exit =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exit;
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
