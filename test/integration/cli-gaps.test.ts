/**
 * Owner commands a newcomer reached for and did not find, or found saying less than they
 * should: receipts, the over-budget pause, `panic`, readable settings, the override flag,
 * the decline comment, and one name for the ledger's time in both exports.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OwnerAnswer } from '../../shared/contract/owner';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import type { ReceiptResultView } from '../../shared/schemas/receipts';
import type { AgentBudgetRequestView } from '../helpers/agent-api';
import { agentWithKey, runCli, startServe, type ServeProcess } from '../helpers/cli';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

const serving: ServeProcess[] = [];
afterEach(async () => {
  for (const s of serving.splice(0)) await s.stop('SIGKILL');
  cleanupTmpDirs();
});

const json = <T>(text: string) => JSON.parse(text) as T;

vi.setConfig({ testTimeout: 120_000 });

/** A running server with one agent (budget $100.00), its key, and money to spend. */
async function setup(policy: string[] = []) {
  const home = tmpHome();
  const s = await startServe(home);
  serving.push(s);
  const h = ['--home', home];
  const { id, key } = await agentWithKey(home, 'bot', ['--budget-cents', '10000', ...policy]);
  const agent = { id };
  const post = async <T>(path: string, body: unknown) =>
    (await (
      await fetch(`${s.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as T;
  return { h, agent, post };
}

/** What `agents show|policy --json` prints: the owner API's answer. */
type AgentJson = OwnerAnswer<'getAgent'>;

describe('purser CLI: what was missing', () => {
  it('lists receipts, filtered and paged, and pause_on_over_budget is set from agents policy', async () => {
    const { h, agent, post } = await setup(['--ask-on-new-merchant']);
    const policy = (...flags: string[]) =>
      runCli([...h, 'agents', 'policy', agent.id, ...flags, '--json']);

    const on = await policy('--pause-on-over-budget', '--no-ask-on-new-merchant');
    expect(on.code, on.stderr).toBe(0);
    expect(json<AgentJson>(on.stdout)).toMatchObject({
      policy_version: 2,
      policy: { pause_on_over_budget: true, ask_on_new_merchant: false },
    });
    // Naming neither form leaves the setting as it is.
    const other = await policy('--budget-cents', '10000');
    expect(json<AgentJson>(other.stdout).policy.pause_on_over_budget).toBe(true);
    const shown = await runCli([...h, 'agents', 'show', agent.id]);
    expect(shown.stdout).toMatch(/^pause_on_over_budget\s+true$/m);

    expect((await runCli([...h, 'receipts', 'list'])).stdout).toBe('no receipts\n');
    const small = await post<ReceiptResultView>('/v1/receipts', {
      amount_cents: 2_500,
      merchant_name: 'OpenAI',
      rail: 'card',
      metadata: { invoice: 'in_1' },
    });
    const big = await post<ReceiptResultView>('/v1/receipts', {
      amount_cents: 9_000,
      host: 'api.x.example',
      rail: 'x402',
    });
    // $25 + $90 is over the $100 budget: the agent is paused, as its policy now says; and
    // the $15 past what it could spend on its own waits for the owner's review.
    const after = await runCli([...h, 'agents', 'show', agent.id, '--json']);
    expect(json<AgentJson>(after.stdout).status).toBe('paused');

    const listed = await runCli([...h, 'receipts', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${big.id}  bot  \\$90\\.00  api\\.x\\.example  x402  \\S+  review open: shared_excess \\$15\\.00  over: budget  flagged: held_for_review$`,
      ),
    );
    expect(lines[1]).toMatch(new RegExp(`^${small.id}  bot  \\$25\\.00  OpenAI  card  \\S+$`));

    const all = json<OwnerAnswer<'listReceipts'>>(
      (await runCli([...h, 'receipts', 'list', '--json'])).stdout,
    );
    expect(all.receipts.map((r) => r.id)).toEqual([big.id, small.id]);
    expect(all.receipts[1]).toMatchObject({ agent_name: 'bot', metadata: { invoice: 'in_1' } });
    expect(all.next_before).toBeNull();

    const over = await runCli([...h, 'receipts', 'list', '--over-budget', '--json']);
    expect(json<OwnerAnswer<'listReceipts'>>(over.stdout).receipts.map((r) => r.id)).toEqual([
      big.id,
    ]);
    const card = await runCli([...h, 'receipts', 'list', '--rail', 'card', '--agent', agent.id]);
    expect(card.stdout).toContain(small.id);
    expect(card.stdout).not.toContain(big.id);
    const nobody = await runCli([...h, 'receipts', 'list', '--agent', 'agt_nobody']);
    expect(nobody.stdout).toBe('no receipts\n');

    const first = await runCli([...h, 'receipts', 'list', '--limit', '1']);
    expect(first.stdout).toContain(big.id);
    expect(first.stdout).toContain(`more: --before ${big.id}`);
    const second = await runCli([...h, 'receipts', 'list', '--limit', '1', '--before', big.id]);
    expect(second.stdout).toContain(small.id);
    expect(second.stdout).not.toContain(big.id);

    const off = await policy('--no-pause-on-over-budget');
    expect(json<AgentJson>(off.stdout).policy.pause_on_over_budget).toBe(false);
  });

  it('panic freezes; settings show reads as lines, JSON only with --json', async () => {
    const { h } = await setup();
    const panic = await runCli([...h, 'panic']);
    expect(panic.code, panic.stderr).toBe(0);
    expect(panic.stdout).toBe('frozen: every spend is declined\n');

    const shown = await runCli([...h, 'settings', 'show']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).not.toMatch(/[{}"]/);
    expect(shown.stdout).toMatch(/^frozen\s+yes: every spend is declined$/m);
    expect(shown.stdout).toMatch(/^global_cap\s+none$/m);
    const set = await runCli([
      ...h,
      'settings',
      'set',
      '--global-cap-cents',
      '50000',
      '--global-cap-period',
      'weekly',
    ]);
    expect(set.stdout).toMatch(/^global_cap\s+\$500\.00 weekly \(calendar\)$/m);
    const data = json<OwnerAnswer<'getSettings'>>(
      (await runCli([...h, 'settings', 'show', '--json'])).stdout,
    );
    expect(data).toMatchObject({ frozen: true, global_cap: { amount_cents: 50_000 } });
  });

  it('names --override-budget when approving would go over, and decline shows its comment', async () => {
    const { h, post } = await setup(['--approval-threshold-cents', '1', '--over-budget', 'ask']);
    const spend = (cents: number) =>
      post<SpendRequestView>('/v1/spend', {
        amount_cents: cents,
        currency: 'usd',
        merchant_name: 'OpenAI',
        reason: 'eval',
      });
    const big = await spend(15_000);
    expect(big.status).toBe('needs_approval');
    const over = await runCli([...h, 'approve', big.id]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`purser approve ${big.id} --override-budget`);

    const declined = await runCli([...h, 'decline', big.id, '--comment', 'too much for a test']);
    expect(declined.code, declined.stderr).toBe(0);
    expect(declined.stdout).toMatch(/declined {2}Declined by the owner: too much for a test\n$/);

    const br = await post<AgentBudgetRequestView>('/v1/budget-requests', {
      amount_cents: 5_000,
      purpose: 'crawl',
    });
    const rejected = await runCli([...h, 'budget-requests', 'reject', br.id, '--reason', 'later']);
    expect(rejected.stdout).toMatch(/rejected {2}"later"\n$/);
  });

  it('the ledger export calls the time `time` in CSV and JSON alike', async () => {
    const { h } = await setup();
    const csv = await runCli([...h, 'ledger', 'export', '--format', 'csv']);
    const [header, firstRow] = csv.stdout.split('\r\n');
    const columns = header?.split(',') ?? [];
    expect(columns[1]).toBe('time');
    const entries = json<Array<Record<string, unknown>>>(
      (await runCli([...h, 'ledger', 'export', '--format', 'json'])).stdout,
    );
    expect(entries[0]?.time).toBe(firstRow?.split(',')[1]);
    expect(Object.keys(entries[0] ?? {}).slice(0, 2)).toEqual(['seq', 'time']);
    // The owner API's name for it still works.
    expect(entries[0]?.ts).toBe(entries[0]?.time);
  });
});
