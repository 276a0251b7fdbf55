/**
 * `npm run bench:cold`: how long the `purser` command takes from spawn to done, as a
 * multiple of `node -e 0` (Node starting and doing nothing) measured in the same run, so
 * the figures hold on any machine. Targets (docs/performance.md, "Cold start"): an agent
 * command ≤ 3×, `purser mcp` ready ≤ 5× (spawn → initialize → tools/list → one call), an
 * owner command ≤ 4×. Every command talks to a real `purser serve` over HTTP.
 *
 * Environment: BENCH_COLD_RUNS (runs per command, default 15; the median is reported).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startPurser } from './purser-target';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const bin = join(import.meta.dirname, '..', '..', 'electron', 'bin', 'purser.mjs');
const log = (line: string) => process.stdout.write(`${line}\n`);

/** Wall time of one process from spawn to exit, in ms; fails on a non-zero exit. */
function timed(args: string[], env: NodeJS.ProcessEnv, okCodes = [0]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      if (okCodes.includes(code ?? -1)) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${String(code)}: ${stderr}`));
    });
  });
}

/** `purser mcp` ready: spawn, initialize, tools/list and one tool call, then close. */
async function mcpReady(env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  const client = new Client({ name: 'cold-start-bench', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp'],
      env: env as Record<string, string>,
      stderr: 'ignore',
    }),
  );
  await client.listTools();
  const result = await client.callTool({ name: 'get_balance', arguments: {} });
  const ms = performance.now() - start;
  if (result.isError) throw new Error(`get_balance failed: ${JSON.stringify(result.content)}`);
  await client.close();
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function measure(run: () => Promise<number>): Promise<number> {
  await run(); // warm the file cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) times.push(await run());
  return median(times);
}

const home = mkdtempSync(join(tmpdir(), 'purser-cold-'));
const { server, key } = await startPurser(home, 'group');
try {
  const agentEnv = { ...process.env, PURSER_KEY: key, PURSER_URL: server.url };
  const ownerEnv = { ...process.env, PURSER_HOME: home };
  let n = 0;
  const rows: { what: string; target: number; ms: number }[] = [];
  const baseline = await measure(() => timed(['-e', '0'], process.env));
  const add = async (what: string, target: number, run: () => Promise<number>) =>
    rows.push({ what, target, ms: await measure(run) });
  await add('purser --version', 3, () => timed([bin, '--version'], process.env));
  await add('purser balance (agent)', 3, () => timed([bin, 'balance'], agentEnv));
  await add('purser spend (agent)', 3, () =>
    timed(
      [bin, 'spend', '--amount-cents', '1', '--merchant', 'AWS', '--reason', `cold ${++n}`],
      agentEnv,
    ),
  );
  await add('purser mcp ready (spawn → tools/list → call)', 5, () => mcpReady(agentEnv));
  await add('purser agents list (owner)', 4, () => timed([bin, 'agents', 'list'], ownerEnv));
  log(`\nCold start, median of ${RUNS} runs; node -e 0 = ${baseline.toFixed(0)} ms\n`);
  log('| command | median | × node -e 0 | target |');
  log('|---|---:|---:|---:|');
  let failed = false;
  for (const row of rows) {
    const ratio = row.ms / baseline;
    failed ||= ratio > row.target;
    log(
      `| ${row.what} | ${row.ms.toFixed(0)} ms | ${ratio.toFixed(2)}× | ≤ ${row.target}× ${ratio > row.target ? '✗' : '✓'} |`,
    );
  }
  if (failed) process.exitCode = 1;
} finally {
  await server.stop();
  rmSync(home, { recursive: true, force: true });
}
