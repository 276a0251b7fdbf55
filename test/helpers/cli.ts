import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { OwnerAnswer } from '../../shared/contract/owner';

export const PURSER_BIN = join(import.meta.dirname, '..', '..', 'electron', 'bin', 'purser.mjs');

/** `keys issue` without --json prints the issued key's id and the key, as JSON. */
export type IssuedKeyLine = Pick<OwnerAnswer<'issueKey'>, 'id' | 'key'>;
/** `approvals list --json`: each agent's group, and every group's spend requests in one list. */
export type ApprovalsJson = Pick<OwnerAnswer<'listApprovals'>, 'groups' | 'spend_requests'>;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `purser ARGS` as a separate process, the way a user does. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [PURSER_BIN, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `purser serve --port 0` and waits for the line that says where it listens; `env`
 * is added to its environment (a HOME of the test's own, say).
 */
export function startServe(
  home: string,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [PURSER_BIN, '--home', home, 'serve', '--port', '0', ...extraArgs],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...env },
      },
    );
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`purser serve did not start:\n${out}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        const exited = new Promise<number | null>((done) =>
          child.once('exit', (code) => done(code)),
        );
        resolve({
          child,
          url: match[1],
          output: () => out,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`purser serve exited (${code}):\n${out}`)));
  });
}

/**
 * Through the CLI, as an owner would: creates an agent with `flags` (policy flags of
 * `agents create`), funds the live source, and issues one key.
 */
export async function agentWithKey(
  home: string,
  name: string,
  flags: string[] = [],
  fundCents = 100_000,
): Promise<{ id: string; key: string }> {
  const h = ['--home', home];
  const created = await runCli([...h, 'agents', 'create', '--name', name, ...flags, '--json']);
  if (created.code !== 0) throw new Error(`agents create failed: ${created.stderr}`);
  const { id } = JSON.parse(created.stdout) as OwnerAnswer<'createAgent'>;
  await runCli([...h, 'funding', 'deposit', '--cents', String(fundCents)]);
  const issued = await runCli([...h, 'keys', 'issue', id]);
  return { id, key: (JSON.parse(issued.stdout) as IssuedKeyLine).key };
}
