/**
 * The newcomer's path, as separate processes: `purser serve`, the owner commands, and the
 * quickstart's curl-equivalent against the port it printed.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OwnerAnswer } from '../../shared/contract/owner';
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import type { AgentBudgetRequestView } from '../helpers/agent-api';
import {
  runCli,
  startServe,
  type ApprovalsJson,
  type IssuedKeyLine,
  type ServeProcess,
} from '../helpers/cli';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

const serving: ServeProcess[] = [];
afterEach(async () => {
  for (const s of serving.splice(0)) await s.stop('SIGKILL');
  cleanupTmpDirs();
});

async function serve(home: string): Promise<ServeProcess> {
  const s = await startServe(home);
  serving.push(s);
  return s;
}

const json = <T>(text: string) => JSON.parse(text) as T;

// Each test runs the CLI as a dozen real processes; on a loaded machine that takes time.
vi.setConfig({ testTimeout: 120_000 });

describe('purser CLI', () => {
  it('runs the quickstart: serve, create an agent, issue a key, faucet, spend, read back', async () => {
    const home = tmpHome();
    const s = await serve(home);
    expect(s.output()).toMatch(
      /owner window \(one-time login link\): http:\/\/127\.0\.0\.1:\d+\/app\/#code=/,
    );
    const h = ['--home', home];

    const created = await runCli([
      ...h,
      'agents',
      'create',
      '--name',
      'research-bot',
      '--mode',
      'test',
      '--budget-cents',
      '50000',
      '--approval-threshold-cents',
      '20000',
      '--deny-merchant',
      'casino.example',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const agent = json<OwnerAnswer<'createAgent'>>(created.stdout);
    expect(agent).toMatchObject({
      mode: 'test',
      policy: { budget_cents: 50_000, deny_merchants: ['casino.example'] },
    });

    const issued = await runCli([...h, 'keys', 'issue', agent.id]);
    expect(issued.code).toBe(0);
    const { id: keyId, key } = json<IssuedKeyLine>(issued.stdout);
    expect(key).toMatch(/^psk_test_[0-9A-Za-z]{40}$/);
    expect(issued.stderr).toContain('only time the key is shown');

    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const faucet = await fetch(`${s.url}/v1/sandbox/faucet`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ amount_cents: 100_000 }),
    });
    expect(faucet.status).toBe(200);

    const spend = (amount: number, merchant: string, idem: string) =>
      fetch(`${s.url}/v1/spend`, {
        method: 'POST',
        headers: { ...auth, 'idempotency-key': idem },
        body: JSON.stringify({
          amount_cents: amount,
          currency: 'usd',
          merchant_name: merchant,
          reason: 'GPU runtime for evaluation job',
        }),
      }).then(async (r) => ({
        status: r.status,
        replayed: r.headers.get('idempotent-replayed'),
        body: (await r.json()) as SpendRequestView,
      }));

    const approved = await spend(12_000, 'AWS', 'a');
    expect(approved.body).toMatchObject({ status: 'approved', remaining_budget_cents: 38_000 });
    expect((await spend(25_000, 'OpenAI', 'b')).body.status).toBe('needs_approval');
    expect((await spend(100, 'casino.example', 'c')).body.status).toBe('declined');
    expect((await spend(39_000, 'Vercel', 'd')).body.status).toBe('declined');
    const replay = await spend(12_000, 'AWS', 'a');
    expect(replay).toMatchObject({ replayed: 'true', body: { id: approved.body.id } });

    const read = await fetch(`${s.url}/v1/spend/${approved.body.id}`, { headers: auth });
    expect(((await read.json()) as SpendRequestView).status).toBe('approved');
    const balance = (await (
      await fetch(`${s.url}/v1/balance`, { headers: auth })
    ).json()) as BalanceView;
    expect(balance).toMatchObject({
      spent_cents: 12_000,
      remaining_budget_cents: 38_000,
      funding_balance_cents: 88_000,
    });

    const listed = await runCli([...h, 'agents', 'list']);
    expect(listed.stdout).toContain('research-bot');
    expect(listed.stdout).toContain('$120.00 of $500.00 monthly');

    const revoked = await runCli([...h, 'keys', 'revoke', keyId, '--json']);
    expect(revoked.code).toBe(0);
    expect((await fetch(`${s.url}/v1/balance`, { headers: auth })).status).toBe(403);
  });

  it('owner commands: pause, resume, deposit, freeze, settings, ledger export and verify', async () => {
    const home = tmpHome();
    const s = await serve(home);
    const h = ['--home', home];
    const agent = json<OwnerAnswer<'createAgent'>>(
      (await runCli([...h, 'agents', 'create', '--name', 'a', '--json'])).stdout,
    );
    expect(
      json<OwnerAnswer<'pauseAgent'>>(
        (await runCli([...h, 'agents', 'pause', agent.id, '--json'])).stdout,
      ).status,
    ).toBe('paused');
    expect(
      json<OwnerAnswer<'resumeAgent'>>(
        (await runCli([...h, 'agents', 'resume', agent.id, '--json'])).stdout,
      ).status,
    ).toBe('active');
    const policy = await runCli([
      ...h,
      'agents',
      'policy',
      agent.id,
      '--budget-cents',
      '7000',
      '--period',
      'daily',
      '--json',
    ]);
    expect(json<OwnerAnswer<'updatePolicy'>>(policy.stdout)).toMatchObject({
      policy_version: 2,
      policy: { budget_cents: 7_000, period: 'daily' },
    });
    const deposit = await runCli([
      ...h,
      'funding',
      'deposit',
      '--cents',
      '2500',
      '--mode',
      'live',
      '--json',
    ]);
    expect(json<OwnerAnswer<'deposit'>>(deposit.stdout)).toMatchObject({
      balance_cents: 2_500,
      mode: 'live',
    });
    expect((await runCli([...h, 'freeze'])).stdout).toContain('frozen');
    expect((await runCli([...h, 'unfreeze'])).stdout).toContain('unfrozen');
    const tz = await runCli([...h, 'settings', 'set', '--time-zone', 'Europe/Paris', '--json']);
    expect(json<OwnerAnswer<'updateSettings'>>(tz.stdout).time_zone).toBe('Europe/Paris');

    const csv = await runCli([...h, 'ledger', 'export', '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^seq,time,type/);
    expect(csv.stdout).toContain('wallet.frozen');
    const exported = json<Array<{ type: string }>>(
      (await runCli([...h, 'ledger', 'export', '--format', 'json'])).stdout,
    );
    expect(exported.map((e) => e.type)).toContain('settings.updated');

    const ok = await runCli([...h, 'ledger', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: \d+ entries/);

    const db = new Database(join(home, 'purser.db'));
    db.exec(
      'DROP TRIGGER ledger_no_update; UPDATE ledger SET data = \'{"forged":true}\' WHERE seq = 4',
    );
    db.close();
    const broken = await runCli([...h, 'ledger', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN at entry 4');
    expect(s.child.exitCode).toBeNull();
  });

  it('approvals and budget requests: list, approve (with override), decline, approve with another amount, reject', async () => {
    const home = tmpHome();
    const s = await serve(home);
    const h = ['--home', home];
    const agent = json<OwnerAnswer<'createAgent'>>(
      (
        await runCli([
          ...h,
          'agents',
          'create',
          '--name',
          'bot',
          '--budget-cents',
          '10000',
          '--approval-threshold-cents',
          '5000',
          '--over-budget',
          'ask',
          '--json',
        ])
      ).stdout,
    );
    await runCli([...h, 'funding', 'deposit', '--cents', '100000']);
    const { key } = json<IssuedKeyLine>((await runCli([...h, 'keys', 'issue', agent.id])).stdout);
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const post = async <T>(path: string, body: unknown) =>
      (await (
        await fetch(`${s.url}${path}`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(body),
        })
      ).json()) as T;
    const spend = (cents: number) =>
      post<SpendRequestView>('/v1/spend', {
        amount_cents: cents,
        currency: 'usd',
        merchant_name: 'OpenAI',
        reason: 'eval',
      });

    const a = await spend(6_000);
    const b = await spend(7_000);
    const listed = await runCli([...h, 'approvals', 'list']);
    expect(listed.stdout).toContain(
      `${a.id}  bot  $60.00  "OpenAI"  "eval"  needs_approval  (leaves $40.00 of $100.00 monthly)`,
    );
    const approved = await runCli([...h, 'approve', a.id, '--comment', 'fine', '--json']);
    expect(json<OwnerAnswer<'approveSpend'>>(approved.stdout)).toMatchObject({
      status: 'approved',
      owner_comment: 'fine',
    });

    const over = await runCli([...h, 'approve', b.id]);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(
      /invalid_request: Approving .* would exceed bot's monthly budget by \$30\.00/,
    );
    const overridden = await runCli([...h, 'approve', b.id, '--override-budget', '--json']);
    expect(json<OwnerAnswer<'approveSpend'>>(overridden.stdout).decision_rule).toBe(
      'owner_override',
    );

    const c = await spend(5_000);
    const declined = await runCli([...h, 'decline', c.id, '--comment', 'enough', '--json']);
    expect(json<OwnerAnswer<'declineSpend'>>(declined.stdout).status).toBe('declined');
    expect((await runCli([...h, 'approve', c.id])).code).toBe(1);

    const br = await post<AgentBudgetRequestView>('/v1/budget-requests', {
      amount_cents: 20_000,
      purpose: 'crawl',
    });
    expect(
      (await runCli([...h, 'budget-requests', 'list', '--status', 'pending'])).stdout,
    ).toContain(`${br.id}  bot  $200.00  "crawl"  pending`);
    const granted = await runCli([
      ...h,
      'budget-requests',
      'approve',
      br.id,
      '--amount-cents',
      '15000',
      '--hours',
      '2',
      '--comment',
      'ok',
      '--json',
    ]);
    expect(json<OwnerAnswer<'approveBudgetRequest'>>(granted.stdout)).toMatchObject({
      status: 'approved',
      approved_amount_cents: 15_000,
      adjusted: true,
    });
    const rejectedTooLate = await runCli([
      ...h,
      'budget-requests',
      'reject',
      br.id,
      '--reason',
      'no',
    ]);
    expect(rejectedTooLate.code).toBe(1);
    expect((await runCli([...h, 'approvals', 'list'])).stdout).toBe('nothing waits for you\n');
  });

  it("shows an agent's control and bidi characters as escapes, so the real amount shows", async () => {
    const home = tmpHome();
    const s = await serve(home);
    const h = ['--home', home];
    // The owner typed the name, but a name pasted from elsewhere can carry an ESC too.
    const agent = json<OwnerAnswer<'createAgent'>>(
      (
        await runCli([
          ...h,
          'agents',
          'create',
          '--name',
          'bot\x1b[8m',
          '--budget-cents',
          '100000',
          '--approval-threshold-cents',
          '100',
          '--json',
        ])
      ).stdout,
    );
    await runCli([...h, 'funding', 'deposit', '--cents', '100000']);
    const { key } = json<IssuedKeyLine>((await runCli([...h, 'keys', 'issue', agent.id])).stdout);
    // Nine backspaces take the cursor back over "$400.00  " and "$4.00" is drawn in its place.
    const merchant = `${'\b'.repeat(9)}$4.00    aws`;
    const reason = 'GPU time\x1b]0;pwned\x07 \u202eevil\u2066\u200b\r\ndone"  approved';
    const spend = await fetch(`${s.url}/v1/spend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        amount_cents: 40_000,
        currency: 'usd',
        merchant_name: merchant,
        reason,
      }),
    });
    const pending = (await spend.json()) as SpendRequestView;
    expect(pending.status).toBe('needs_approval');

    const hidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
    const listed = await runCli([...h, 'approvals', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.endsWith('\n')).toBe(true);
    // One line per item, grouped under the agent: no line holds a raw control character.
    for (const line of listed.stdout.slice(0, -1).split('\n')) expect(line).not.toMatch(hidden);
    expect(listed.stdout).toBe(
      `bot\\x1b[8m (${agent.id}, active): 1 pending\n` +
        `  ${pending.id}  bot\\x1b[8m  $400.00  "${'\\x08'.repeat(9)}$4.00    aws" (matched as "$4.00 aws")  ` +
        '"GPU time\\x1b]0;pwned\\x07 \\u{202e}evil\\u{2066}\\u{200b}\\r\\ndone\\"  approved"  needs_approval' +
        '  (leaves $600.00 of $1,000.00 monthly)\n',
    );
    expect((await runCli([...h, 'agents', 'list'])).stdout.slice(0, -1)).not.toMatch(hidden);

    // --json is for programs: the exact strings, as JSON.stringify escapes them.
    const raw = await runCli([...h, 'approvals', 'list', '--json']);
    expect(json<ApprovalsJson>(raw.stdout).spend_requests[0]).toMatchObject({
      merchant_name: merchant,
      reason,
    });

    // Error messages quote the agent's name: they are made visible too.
    await runCli([...h, 'agents', 'pause', agent.id]);
    const refused = await runCli([...h, 'approve', pending.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'purser: invalid_request: bot\\x1b[8m is paused; resume it before approving its requests.\n',
    );
    await runCli([...h, 'agents', 'resume', agent.id]);

    const declined = await runCli([...h, 'decline', pending.id, '--comment', 'no\u202e']);
    expect(declined.code, declined.stderr).toBe(0);
    expect(declined.stdout.slice(0, -1)).not.toMatch(hidden);
    expect(declined.stdout).toContain('$400.00');
    expect(declined.stdout).toContain('Declined by the owner: no\\u{202e}');
  });

  it('reports errors in one line with a non-zero exit code', async () => {
    const home = tmpHome();
    const notRunning = await runCli(['--home', home, 'agents', 'list']);
    expect(notRunning.code).toBe(1);
    expect(notRunning.stderr).toContain('Purser is not running');
    await serve(home);
    const missing = await runCli(['--home', home, 'agents', 'pause', 'agt_nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not_found/);
    const usage = await runCli([
      '--home',
      home,
      'agents',
      'create',
      '--name',
      'x',
      '--budget-cents',
      'ten',
    ]);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toContain('--budget-cents must be a whole number');
  });

  it('the built command serves the owner window from the checkout (out/renderer)', async () => {
    // The command runs from out/cli/chunks/: paths to the package's files must not depend
    // on where a module of it sits (electron/core/package-root.ts).
    const running = await serve(tmpHome());
    const page = await fetch(`${running.url}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="root">');
  });

  it('a taken port says which and how to pick another, and creates no data folder', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const home = join(tmpHome(), 'never-made');
      const taken = await runCli(['--home', home, 'serve', '--port', String(port)]);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain(`Port ${port} on 127.0.0.1 is taken`);
      expect(taken.stderr).toContain('--port N');
      expect(taken.stderr).not.toContain('EADDRINUSE');
      expect(existsSync(home)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('stops cleanly on SIGTERM and SIGINT, removing server.json', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const home = tmpHome();
      const s = await startServe(home);
      expect(existsSync(join(home, 'server.json'))).toBe(true);
      const code = await s.stop(signal);
      expect(code, `${signal} ${String(s.child.signalCode)} ${s.output()}`).toBe(0);
      expect(existsSync(join(home, 'server.json'))).toBe(false);
      expect(s.output()).toContain(`${signal}: stopping Purser`);
    }
  });

  it('honours PURSER_HOME and PURSER_PORT', async () => {
    const home = tmpHome();
    const agents = await runCli(['agents', 'list'], { PURSER_HOME: home });
    expect(agents.stderr).toContain(home);
  });
});
