/**
 * The agent TLS listener (electron/api/agent-tls.ts) between two machines, made here as two
 * network namespaces joined by a veth pair: Purser runs in one (its loopback port, owner API
 * and window exist only there), the agent in the other reaches it only at the address the
 * owner named, over TLS pinned by fingerprint.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURSER_BIN } from '../helpers/cli';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

const id = `${process.pid % 10_000}`;
const serverNs = `purser-s-${id}`;
const agentNs = `purser-a-${id}`;
const subnet = `10.${200 + (process.pid % 50)}.${process.pid % 250}`;
const serverIp = `${subnet}.1`;
const listen = `${serverIp}:8403`;
const home = tmpHome();

const sh = (args: string[]) => spawnSync(args[0] ?? 'false', args.slice(1), { encoding: 'utf8' });
const canMakeNamespaces =
  sh(['ip', 'netns', 'add', serverNs]).status === 0 &&
  sh(['ip', 'netns', 'add', agentNs]).status === 0;

if (!canMakeNamespaces) {
  console.log('agent-tls: skipped, `ip netns add` needs root (CAP_SYS_ADMIN) here');
}

/** `purser …` in a namespace, as a user there would run it. */
function purserIn(ns: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync('ip', ['netns', 'exec', ns, process.execPath, PURSER_BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

function curlIn(ns: string, args: string[]) {
  return spawnSync('ip', ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '10', ...args], {
    encoding: 'utf8',
  });
}

/** The status code of a request from the agent's namespace, pinned like the README says. */
const statusFromAgent = (url: string, ...headers: string[]) =>
  curlIn(agentNs, [
    '--insecure',
    '--pinnedpubkey',
    pin,
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    url,
    ...headers.flatMap((header) => ['-H', header]),
  ]).stdout;

let server: ChildProcess | undefined;
let fingerprint = '';
let pin = '';
let key = '';

beforeAll(async () => {
  if (!canMakeNamespaces) return;
  const setup = [
    `ip link add pv${id}s type veth peer name pv${id}a`,
    `ip link set pv${id}s netns ${serverNs}`,
    `ip link set pv${id}a netns ${agentNs}`,
    `ip -n ${serverNs} addr add ${serverIp}/24 dev pv${id}s`,
    `ip -n ${agentNs} addr add ${subnet}.2/24 dev pv${id}a`,
    `ip -n ${serverNs} link set pv${id}s up`,
    `ip -n ${agentNs} link set pv${id}a up`,
    `ip -n ${serverNs} link set lo up`,
    `ip -n ${agentNs} link set lo up`,
  ];
  for (const line of setup) {
    const done = sh(line.split(' '));
    expect(done.status, `${line}: ${done.stderr}`).toBe(0);
  }
  server = spawn(
    'ip',
    [
      'netns',
      'exec',
      serverNs,
      process.execPath,
      PURSER_BIN,
      '--home',
      home,
      'serve',
      '--port',
      '0',
      '--agent-listen',
      listen,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    server?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/owner window/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    server?.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  });
  fingerprint = /PURSER_TLS_FINGERPRINT=([0-9A-F:]+)/.exec(out)?.[1] ?? '';
  pin = /--pinnedpubkey '([^']+)'/.exec(out)?.[1] ?? '';
  expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  // The owner sets the agent up where Purser runs (its loopback exists only there).
  const agent = purserIn(serverNs, [
    '--home',
    home,
    '--json',
    'agents',
    'create',
    '--name',
    'remote',
    '--mode',
    'test',
    '--budget-cents',
    '5000',
  ]);
  expect(agent.status, agent.stderr).toBe(0);
  const issued = purserIn(serverNs, [
    '--home',
    home,
    '--json',
    'keys',
    'issue',
    (JSON.parse(agent.stdout) as { id: string }).id,
  ]);
  expect(issued.status, issued.stderr).toBe(0);
  key = (JSON.parse(issued.stdout) as { key: string }).key;
}, 90_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  sh(['ip', 'netns', 'del', serverNs]);
  sh(['ip', 'netns', 'del', agentNs]);
  cleanupTmpDirs();
});

describe('the agent TLS listener, from another network namespace', () => {
  it.runIf(canMakeNamespaces)(
    'curl pinned by public key funds; the agent CLI pinned by fingerprint spends',
    () => {
      const faucet = curlIn(agentNs, [
        '--insecure',
        '--pinnedpubkey',
        pin,
        '-X',
        'POST',
        `https://${listen}/v1/sandbox/faucet`,
        '-H',
        `Authorization: Bearer ${key}`,
        '-H',
        'Content-Type: application/json',
        '-d',
        '{"amount_cents": 10000}',
      ]);
      expect(faucet.status, faucet.stderr).toBe(0);
      expect(JSON.parse(faucet.stdout)).toMatchObject({ object: 'faucet_deposit' });
      const spend = purserIn(
        agentNs,
        ['--json', 'spend', '--amount-cents', '1200', '--merchant', 'AWS', '--reason', 'from afar'],
        { PURSER_KEY: key, PURSER_URL: `https://${listen}`, PURSER_TLS_FINGERPRINT: fingerprint },
      );
      expect(spend.status, spend.stderr).toBe(0);
      expect(JSON.parse(spend.stdout)).toMatchObject({ status: 'approved', amount_cents: 1200 });
    },
  );

  it.runIf(canMakeNamespaces)('a wrong pin sends nothing; no pin is refused', () => {
    const wrong = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00');
    const spend = purserIn(
      agentNs,
      ['spend', '--amount-cents', '100', '--merchant', 'AWS', '--reason', 'to an impostor'],
      { PURSER_KEY: key, PURSER_URL: `https://${listen}`, PURSER_TLS_FINGERPRINT: wrong },
    );
    expect(spend.status).toBe(1);
    expect(spend.stderr).toContain('not the pinned one');
    const unpinned = purserIn(agentNs, ['balance'], {
      PURSER_KEY: key,
      PURSER_URL: `https://${listen}`,
    });
    expect(unpinned.status).toBe(1);
    expect(unpinned.stderr).toContain('PURSER_TLS_FINGERPRINT');
    // Nothing reached Purser: the balance shows only the spend of the test before.
    const spends = curlIn(agentNs, [
      '--insecure',
      '--pinnedpubkey',
      pin,
      `https://${listen}/v1/balance`,
      '-H',
      `Authorization: Bearer ${key}`,
    ]);
    expect(JSON.parse(spends.stdout)).toMatchObject({ remaining_budget_cents: 5000 - 1200 });
  });

  it.runIf(canMakeNamespaces)('serves no owner route, and only its own Host name', () => {
    const token = readFileSync(join(home, 'owner-token'), 'utf8').trim();
    expect(
      statusFromAgent(`https://${listen}/admin/v1/agents`, `Authorization: Bearer ${token}`),
    ).toBe('404');
    expect(statusFromAgent(`https://${listen}/app/`)).toBe('404');
    expect(
      statusFromAgent(
        `https://${listen}/v1/balance`,
        `Authorization: Bearer ${key}`,
        'Host: evil.example:8403',
      ),
    ).toBe('403');
  });
});
