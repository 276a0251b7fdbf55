/**
 * The agent's CLI (`purser spend`, `status`, `balance`, `policy`, `budget`, `receipt`) as
 * real processes against `purser serve`, with the key in PURSER_KEY and the server in
 * PURSER_URL: every exit code a script branches on, end to end.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  agentWithKey,
  runCli,
  startServe,
  type ApprovalsJson,
  type CliResult,
  type IssuedKeyLine,
  type ServeProcess,
} from '../helpers/cli';
import type { OwnerAnswer } from '../../shared/contract/owner';
import type { ErrorEnvelope } from '../../shared/errors';
import type { PolicyView, SpendRequestView } from '../../shared/schemas/agent-api';
import type { AgentBudgetRequestView } from '../helpers/agent-api';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

const serving: ServeProcess[] = [];
afterEach(async () => {
  for (const s of serving.splice(0)) await s.stop('SIGKILL');
  cleanupTmpDirs();
});

const json = <T>(text: string) => JSON.parse(text) as T;

// Each test runs the CLI as many real processes; on a loaded machine that takes time.
vi.setConfig({ testTimeout: 120_000 });

/** A server, an agent (budget $100, owner approval from $50) with live funding, its key. */
async function setup(extra: string[] = []) {
  const home = tmpHome();
  const s = await startServe(home);
  serving.push(s);
  const h = ['--home', home];
  const owner = (args: string[]) => runCli([...h, ...args]);
  const { id, key } = await agentWithKey(home, 'bot', [
    '--budget-cents',
    '10000',
    '--approval-threshold-cents',
    '5000',
    ...extra,
  ]);
  const agent = { id };
  const env = { PURSER_KEY: key, PURSER_URL: s.url };
  const agentCli = (args: string[]) => runCli(args, env);
  return { s, owner, agent, key, env, agentCli };
}

const spendArgs = (cents: number, merchant = 'AWS', reason = 'GPU time') => [
  'spend',
  '--amount-cents',
  String(cents),
  '--merchant',
  merchant,
  '--reason',
  reason,
];

const exitOf = (r: CliResult) => ({ code: r.code, stderr: r.stderr });

describe('purser agent CLI', () => {
  it('exits 0 approved, 10 declined, 11 pending, 12 cancelled, 1 on an API error, 2 on usage', async () => {
    const { s, key, agentCli, owner } = await setup();

    const approved = await agentCli(spendArgs(1_000));
    expect(exitOf(approved)).toEqual({ code: 0, stderr: '' });
    expect(approved.stdout).toMatch(/^approved {2}req_\w+ {2}\$10\.00 at "AWS" for "GPU time"\n/);
    expect(approved.stdout).toContain('$90.00 left of the monthly budget');

    const overBudget = await agentCli(spendArgs(20_000));
    expect(overBudget.code).toBe(10);
    expect(overBudget.stdout).toMatch(/^declined /);

    const pending = await agentCli([...spendArgs(6_000, 'OpenAI'), '--json']);
    expect(pending.code).toBe(11);
    const request = json<SpendRequestView>(pending.stdout);
    expect(request.status).toBe('needs_approval');

    const status = await agentCli(['status', request.id]);
    expect(status.code).toBe(11);
    expect(status.stdout).toContain(`purser status ${request.id} --wait 60`);
    const waited = await agentCli(['status', request.id, '--wait', '1', '--json']);
    expect(waited.code).toBe(11);
    expect(json<SpendRequestView>(waited.stdout).status).toBe('needs_approval');

    const cancel = await fetch(`${s.url}/v1/spend/${request.id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(cancel.status).toBe(200);
    expect((await agentCli(['status', request.id])).code).toBe(12);

    // The idempotency key makes a retried command the same request, not a second spend.
    const once = await agentCli([...spendArgs(500), '--idempotency-key', 'job-7', '--json']);
    const again = await agentCli([...spendArgs(500), '--idempotency-key', 'job-7', '--json']);
    expect(json<SpendRequestView>(again.stdout).id).toBe(json<SpendRequestView>(once.stdout).id);

    const blank = await agentCli(spendArgs(100, '   '));
    expect(blank.code).toBe(1);
    expect(blank.stderr).toMatch(/^purser: invalid_request: /);
    const blankJson = await agentCli([...spendArgs(100, '   '), '--json']);
    expect(json<ErrorEnvelope>(blankJson.stdout).error.code).toBe('invalid_request');
    expect((await agentCli(['status', 'req_nope'])).stderr).toContain('not_found');

    const noKey = await runCli(spendArgs(100), { PURSER_KEY: '', PURSER_URL: s.url });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('Set PURSER_KEY');
    const missing = await agentCli(['spend', '--amount-cents', '100', '--reason', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--merchant <name>'");
    expect((await agentCli(spendArgs(-5))).code).toBe(2);

    const balance = await agentCli(['balance']);
    expect(exitOf(balance)).toEqual({ code: 0, stderr: '' });
    expect(balance.stdout).toContain('spent $15.00 of $100.00 monthly; $85.00 left');
    const policy = await agentCli(['policy', '--json']);
    expect(json<PolicyView>(policy.stdout)).toMatchObject({
      agent_name: 'bot',
      approval_threshold_cents: 5_000,
    });
    expect((await agentCli(['policy'])).stdout).toContain(
      'per payment: no limit; owner approval from $50.00',
    );

    // A hard limit's 402 is a refusal of the spend: 10, with its code on stderr.
    const poor = json<OwnerAnswer<'createAgent'>>(
      (
        await owner([
          'agents',
          'create',
          '--name',
          'poor',
          '--mode',
          'test',
          '--budget-cents',
          '9000',
          '--json',
        ])
      ).stdout,
    );
    const poorKey = json<IssuedKeyLine>((await owner(['keys', 'issue', poor.id])).stdout).key;
    const refused = await runCli(spendArgs(100), { PURSER_KEY: poorKey, PURSER_URL: s.url });
    expect(refused.code).toBe(10);
    expect(refused.stderr).toContain('insufficient_wallet_balance');
  });

  it('spend --wait waits for the owner and exits 0 once the owner approves', async () => {
    const { agentCli, owner } = await setup();
    const waiting = agentCli([...spendArgs(7_000, 'OpenAI', 'eval run'), '--wait', '60']);
    let id: string | undefined;
    for (let i = 0; i < 200 && !id; i += 1) {
      const listed = await owner(['approvals', 'list', '--json']);
      id = json<ApprovalsJson>(listed.stdout).spend_requests[0]?.id;
      if (!id) await new Promise((done) => setTimeout(done, 100));
    }
    expect(id).toBeDefined();
    expect((await owner(['approve', String(id), '--comment', 'go'])).code).toBe(0);
    const done = await waiting;
    expect(exitOf(done)).toEqual({ code: 0, stderr: '' });
    expect(done.stdout).toMatch(new RegExp(`^approved {2}${String(id)} {2}\\$70\\.00 at "OpenAI"`));
  });

  it('budget request and status, and receipts', async () => {
    const { agentCli, owner } = await setup();
    const asked = await agentCli([
      'budget',
      'request',
      '--amount-cents',
      '20000',
      '--purpose',
      'crawl',
      '--json',
    ]);
    expect(asked.code).toBe(11);
    const br = json<AgentBudgetRequestView>(asked.stdout);
    expect(br.status).toBe('pending');
    expect((await agentCli(['budget', 'status', br.id])).stdout).toContain(
      `pending  ${br.id}  $200.00 for "crawl"`,
    );
    await owner([
      'budget-requests',
      'approve',
      br.id,
      '--amount-cents',
      '15000',
      '--comment',
      'ok',
    ]);
    const granted = await agentCli(['budget', 'status', br.id, '--wait', '5']);
    expect(exitOf(granted)).toEqual({ code: 0, stderr: '' });
    expect(granted.stdout).toContain('granted $150.00 (not the amount asked)');
    expect(granted.stdout).toContain('owner: "ok"');

    const receipt = await agentCli([
      'receipt',
      '--amount-cents',
      '250',
      '--host',
      'api.example.com',
      '--rail',
      'x402',
    ]);
    expect(exitOf(receipt)).toEqual({ code: 0, stderr: '' });
    expect(receipt.stdout).toMatch(
      /^recorded {2}rcpt_\w+ {2}\$2\.50 at "api\.example\.com" via x402/,
    );
    const neither = await agentCli(['receipt', '--amount-cents', '250', '--rail', 'card']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('Give --merchant or --host');
    expect(
      (await agentCli(['receipt', '--amount-cents', '1', '--host', 'h', '--rail', 'cash'])).code,
    ).toBe(2);
  });

  it("shows an agent's control and bidi characters as escapes; --json keeps the exact text", async () => {
    const { agentCli } = await setup();
    const merchant = `${'\b'.repeat(9)}$4.00    aws\x1b]0;pwned\x07`;
    const reason = 'GPU \u202eevil\u2066\u200b\r\ndone"  approved';
    const human = await agentCli([
      ...spendArgs(6_000, merchant, reason),
      '--category',
      'gpu\x1b[8m',
    ]);
    expect(human.code).toBe(11);
    const hidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
    for (const line of human.stdout.slice(0, -1).split('\n')) expect(line).not.toMatch(hidden);
    expect(human.stdout).toContain(
      `$60.00 at "${'\\x08'.repeat(9)}$4.00    aws\\x1b]0;pwned\\x07" for "GPU \\u{202e}evil\\u{2066}\\u{200b}\\r\\ndone\\"  approved"  [gpu\\x1b[8m]`,
    );
    const raw = await agentCli([...spendArgs(6_000, merchant, reason), '--json']);
    expect(json<SpendRequestView>(raw.stdout)).toMatchObject({
      merchant_name: merchant,
      reason,
    });
  });
});
