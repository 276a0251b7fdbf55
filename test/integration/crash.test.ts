/**
 * Durability (docs/decision-order.md): `purser serve` runs as a child, many clients spend, and the
 * process is killed with SIGKILL at random moments, again and again. After each kill the
 * database is opened cold and checked: every decision a client received is on disk with
 * the status it was told, no limit was overspent by a micro-dollar, SQLite's integrity
 * check passes and the ledger's hash chain verifies. Then Purser restarts on the same
 * data folder and it happens again.
 *
 * PURSER_CRASH_CYCLES sets how many kills (npm test: 8; npm run test:long: many more).
 */
import Database from 'better-sqlite3';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../electron/core/ledger/ledger';
import type { OwnerAnswer } from '../../shared/contract/owner';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { runCli, startServe, type IssuedKeyLine, type ServeProcess } from '../helpers/cli';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

const CYCLES = Number(process.env.PURSER_CRASH_CYCLES ?? 8);
const CLIENTS = 12;
// Total budgets (they accumulate across restarts): agent a runs out of budget and gets
// declines; agent b's larger budget runs into the shared funding limit and gets 402s.
// Limits grow with the number of cycles, so that long runs keep deciding to the end.
const SCALE = Math.max(1, Math.round(CYCLES / 8));
const BUDGETS: Record<string, number> = { a: 20_000 * SCALE, b: 50_000 * SCALE };
const FUNDING_LIMIT_CENTS = 60_000 * SCALE; // in total, shared by both agents
const CAP_CENTS = 70_000 * SCALE; // the global cap, in total

interface Answer {
  id: string;
  status: string;
  agent: string;
  cents: number;
}

afterAll(() => cleanupTmpDirs());

/** Spends in a loop until the connection dies; every decided answer is recorded. */
async function client(
  url: string,
  key: string,
  agent: string,
  answers: Answer[],
  seed: number,
): Promise<number> {
  let sent = 0;
  for (let i = 0; ; i += 1) {
    const cents = 100 + ((seed * 7919 + i * 104_729) % 900);
    try {
      const response = await fetch(`${url}/v1/spend`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': `c${seed}-${i}-${Date.now()}`,
        },
        body: JSON.stringify({
          amount_cents: cents,
          currency: 'usd',
          merchant_name: i % 5 === 0 ? 'New Vendor' : 'AWS',
          reason: 'crash test',
        }),
      });
      sent += 1;
      if (response.status === 200) {
        const body = (await response.json()) as SpendRequestView;
        answers.push({ id: body.id, status: body.status, agent, cents });
      } else {
        await response.arrayBuffer();
      }
    } catch {
      return sent; // the server is gone
    }
  }
}

describe('crash safety (kill -9)', () => {
  it(`survives ${CYCLES} SIGKILLs mid-load with every answered decision on disk and every limit held`, async () => {
    const home = tmpHome('crash');
    let serve: ServeProcess = await startServe(home);
    const h = ['--home', home];
    const json = <T>(text: string) => JSON.parse(text) as T;
    const agents: Array<{ id: string; key: string; budget: number }> = [];
    for (const [name, budget] of Object.entries(BUDGETS)) {
      const created = await runCli([
        ...h,
        'agents',
        'create',
        '--name',
        name,
        '--budget-cents',
        String(budget),
        '--period',
        'total',
        '--approval-threshold-cents',
        '900',
        '--rate-limit-per-minute',
        '1000000',
        '--json',
      ]);
      const agent = json<OwnerAnswer<'createAgent'>>(created.stdout);
      agents.push({
        id: agent.id,
        budget,
        key: json<IssuedKeyLine>((await runCli([...h, 'keys', 'issue', agent.id])).stdout).key,
      });
    }
    const sources = json<OwnerAnswer<'listFundingSources'>['funding_sources']>(
      (await runCli([...h, 'funding', 'list', '--json'])).stdout,
    );
    const live = sources.find((s) => s.mode === 'live');
    await runCli([...h, 'funding', 'deposit', '--cents', '1000000', '--mode', 'live']);
    await runCli([
      ...h,
      'funding',
      'limit',
      String(live?.id),
      '--cents',
      String(FUNDING_LIMIT_CENTS),
      '--period',
      'total',
    ]);
    await runCli([
      ...h,
      'settings',
      'set',
      '--global-cap-cents',
      String(CAP_CENTS),
      '--global-cap-period',
      'total',
    ]);

    const answers: Answer[] = [];
    let requests = 0;
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const url = serve.url;
      const clients = Array.from({ length: CLIENTS }, (_, c) => {
        const agent = agents[c % agents.length] as { id: string; key: string; budget: number };
        return client(url, agent.key, agent.id, answers, cycle * 100 + c);
      });
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(Math.random() * 600)));
      await serve.stop('SIGKILL');
      requests += (await Promise.all(clients)).reduce((a, b) => a + b, 0);
      checkOnDisk(home, answers, agents);
      serve = await startServe(home);
    }
    noSecretsAtRest(
      home,
      agents.map((a) => a.key),
    );
    await serve.stop('SIGTERM');
    checkOnDisk(home, answers, agents);
    noSecretsAtRest(
      home,
      agents.map((a) => a.key),
    );
    // Some load every cycle, and some of each kind of answer overall.
    expect(requests).toBeGreaterThan(CYCLES * 10);
    expect(new Set(answers.map((a) => a.status))).toEqual(
      new Set(['approved', 'declined', 'needs_approval']),
    );
    console.log(
      `crash test: ${CYCLES} SIGKILLs survived, ${requests} requests sent, ${answers.length} answered decisions all on disk`,
    );
  }, 600_000);
});

/** After all of it: no spending key or owner token in the clear in the database or its WAL. */
function noSecretsAtRest(home: string, keys: string[]): void {
  expect(statSync(home).mode & 0o777).toBe(0o700);
  const token = readFileSync(join(home, 'owner-token'), 'utf8').trim();
  for (const file of readdirSync(home)) {
    expect(statSync(join(home, file)).mode & 0o777, file).toBe(0o600);
    if (!file.startsWith('purser.db')) continue;
    const bytes = readFileSync(join(home, file));
    for (const secret of [...keys, token])
      expect(bytes.includes(Buffer.from(secret)), `${file} holds a secret`).toBe(false);
  }
}

/** Opens the database cold, as after a power cut; checks what docs/decision-order.md promises. */
function checkOnDisk(
  home: string,
  answers: Answer[],
  agents: Array<{ id: string; budget: number }>,
): void {
  const db = new Database(join(home, 'purser.db'));
  try {
    db.defaultSafeIntegers(true);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const status = db.prepare('SELECT status FROM spend_requests WHERE id = ?').pluck();
    for (const a of answers) {
      // Pending ones may have expired since (not here: no clock moves); none may be missing.
      expect(status.get(a.id), `${a.id} was answered ${a.status}`).toBe(a.status);
    }
    const approved = (where: string, ...args: unknown[]) =>
      db
        .prepare(
          `SELECT coalesce(sum(amount_micros), 0) FROM spend_requests WHERE status = 'approved' ${where}`,
        )
        .pluck()
        .get(...args) as bigint;
    for (const a of agents) {
      expect(approved('AND agent_id = ?', a.id)).toBeLessThanOrEqual(BigInt(a.budget) * 10_000n);
    }
    expect(approved('')).toBeLessThanOrEqual(
      BigInt(Math.min(FUNDING_LIMIT_CENTS, CAP_CENTS)) * 10_000n,
    );
    const balance = db
      .prepare("SELECT balance_micros FROM funding_sources WHERE mode = 'live' AND is_default = 1")
      .pluck()
      .get() as bigint;
    expect(balance).toBe(1_000_000n * 10_000n - approved(''));
    const verified = new Ledger(db).verify();
    expect(verified.ok, JSON.stringify(verified.firstBad)).toBe(true);
  } finally {
    db.close();
  }
}
