/**
 * The README's chain quickstart, run as written on a fresh data folder: `npm run chain:dev`
 * and `purser serve` as processes of their own, then the third terminal's lines as one shell
 * script, with only what the README says to paste replaced (the two `purser chain` lines
 * chain:dev prints, and the paywall's port). Nothing deposits money first: the agent's
 * funding is its Purser-held wallet, funded on chain (docs/money-integrity.md, "On chain").
 * The agent pays the paywall (x402) and a saved recipient (a payout, docs/payouts.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PURSER_BIN } from '../helpers/cli';
import { quickstarts } from '../helpers/readme';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'purser-chain-quickstart-'));
const children: ChildProcess[] = [];
/**
 * Each terminal is its own process group, stopped as a whole: killing only its `bash`
 * left `npm run chain:dev`'s children (tsx, the Hardhat node) running after the test.
 */
const stopGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
afterAll(async () => {
  for (const child of children) stopGroup(child, 'SIGTERM');
  await new Promise((done) => setTimeout(done, 1_000));
  for (const child of children) stopGroup(child, 'SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

/** `purser` on PATH, as after `npm link`. */
const bin = join(scratch, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'purser'), `#!/bin/sh\nexec "${process.execPath}" "${PURSER_BIN}" "$@"\n`);
chmodSync(join(bin, 'purser'), 0o755);
const env = {
  ...process.env,
  PATH: `${bin}:${process.env.PATH ?? ''}`,
  PURSER_HOME: join(scratch, 'home'),
  // A free port instead of 8402, which another Purser on this machine may hold.
  PURSER_PORT: '0',
};

/** Starts a terminal's command and waits until its output matches `ready`. */
function terminal(command: string, ready: RegExp): Promise<{ output: () => string }> {
  const child = spawn('bash', ['-c', command], { cwd: root, env, detached: true });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (ready.test(output)) {
        clearInterval(timer);
        resolve({ output: () => output });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`${command} exited: ${output}`));
      }
    }, 100);
  });
}

it('runs the chain quickstart as written: the agent pays from its wallet, funded on chain', async () => {
  const block = quickstarts(readFileSync(join(root, 'README.md'), 'utf8')).get('chain');
  expect(block, 'README has a chain quickstart').toBeDefined();
  const lines = (block?.code ?? '').trimEnd().split('\n');
  const [chainDev, serve, comment, setLine, ownerLine, ...rest] = lines;
  expect(chainDev).toMatch(/^npm run chain:dev\b/);
  expect(serve).toMatch(/purser serve\b/);
  expect(comment).toMatch(/^# terminal 3/);
  expect(setLine).toMatch(/^purser chain set local /);
  expect(ownerLine).toMatch(/^purser chain owner /);

  const dev = await terminal(
    (chainDev as string).replace(/#.*$/, ''),
    /purser chain owner --import-key-file \S+\n/,
  );
  const printed = dev.output();
  const printedSet = /^\s*(purser chain set local .*)$/m.exec(printed)?.[1];
  const printedOwner = /^\s*(purser chain owner .*)$/m.exec(printed)?.[1];
  const paywallPort = /paywall: http:\/\/127\.0\.0\.1:(\d+)/.exec(printed)?.[1];
  const mppPort = /mpp: +http:\/\/127\.0\.0\.1:(\d+)/.exec(printed)?.[1];
  const meteredPort = /metered: +http:\/\/127\.0\.0\.1:(\d+)/.exec(printed)?.[1];
  expect(printedSet && printedOwner && paywallPort && mppPort && meteredPort, printed).toBeTruthy();

  await terminal((serve as string).replace(/#.*$/, ''), /Purser is listening on/);

  const script = [
    'set -e',
    printedSet,
    printedOwner,
    ...rest.map((line) =>
      line
        .replaceAll('PAYWALL_PORT', paywallPort as string)
        .replaceAll('METERED_PORT', meteredPort as string)
        .replaceAll('MPP_PORT', mppPort as string),
    ),
  ].join('\n');
  const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd: scratch, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
  expect(result.code, result.out).toBe(0);
  // The paywall answered the paid retry, and the wallet shows what it paid.
  expect(result.out).toMatch(/"ok":\s*true/);
  // Both 402s were paid through Purser: x402 and MPP.
  expect(result.out).toMatch(/purser: paid \$0\.01 .* by x402;/);
  expect(result.out).toMatch(/purser: paid \$0\.01 .* by MPP;/);
  // And the metered paywall, by x402 upto: signed for its maximum.
  expect(result.out).toMatch(/purser: paid at most \$0\.05 .* by x402 upto;/);
  expect(result.out).toMatch(/USDC|\$/);
  // The payout to a saved recipient went through, on chain, without anything by hand.
  expect(result.out).toMatch(
    /^completed\s+po_\w+\s+\$1\.00 to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8/m,
  );
}, 240_000);
