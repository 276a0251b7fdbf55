/**
 * The whole journey, as an owner and an agent live it, in Chromium against a real
 * `purser serve` with a fresh data folder and no mocking:
 *
 * 1. the owner creates an agent in the window and edits its policy (a budget, and an
 *    approval threshold);
 * 2. issues it a key in the window, reads it once, and gives it to a separate agent process;
 * 3. the agent's spend needs approval and waits (`purser spend --wait`); the request shows
 *    in Approvals without a reload, the owner approves it, the waiting process exits
 *    `approved`, and the agent's meter on the Agents page moves;
 * 4. the agent asks for a budget (`purser budget request --wait`); the owner approves
 *    another amount than asked, and what the agent may spend follows that amount;
 * 5. the Ledger: filtered by agent and kind, the filtered view exported (the download
 *    checked), the chain verified (the same head as `purser ledger verify`);
 * 6. panic: one confirmation, the frozen banner, an agent's spend declined;
 * 7. Purser restarts on the same data folder and port: the window says Purser is out of
 *    reach, then (sessions live in the server's memory, docs/trust-model.md) that the session
 *    ended; the owner logs in again with `purser login`, the data is there, and a request
 *    made after the restart arrives live.
 *
 * Along the way, the README's screenshots of every page (readme-screenshot.ts).
 */
import { readFileSync } from 'node:fs';
import { type Locator, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { agentProcess, parseCsv, stopAgents } from './journey-processes';
import { readmeScreenshot } from './readme-screenshot';

const json = <T>(text: string) => JSON.parse(text) as T;
/** Long enough for an agent process to start and ask, on a busy two-core machine. */
const STARTS_MS = 20_000;

test.use({ purserLabel: 'journey' });

// The agent processes a test started; the fixture stops `purser serve` after them.
test.afterEach(stopAgents);

const card = (page: Page, name: string): Locator =>
  page.locator('article.agent-card').filter({ has: page.getByRole('heading', { name }) });

async function goTo(page: Page, name: 'Approvals' | 'Agents' | 'Wallet' | 'Ledger' | 'Settings') {
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

interface SpendJson {
  id: string;
  status: string;
  decision_rule: string;
  decision_reason: string;
  amount_cents: number;
  budget_request_id: string | null;
}
interface BudgetJson {
  id: string;
  status: string;
  requested_amount_cents: number;
  approved_amount_cents: number | null;
  spent_cents: number;
  remaining_cents: number | null;
  adjusted: boolean;
  comment: string | null;
}

test('an owner and an agent, from the first agent to a restart', async ({ page, purser }) => {
  test.setTimeout(240_000);
  /** The owner's CLI, in a terminal next to the window. */
  const owner = <T = unknown>(...args: string[]) => purser.json<T>(...args);
  await page.setViewportSize({ width: 1280, height: 800 });

  // The link `purser serve` printed opens the window, logged in.
  await page.goto(purser.printedLoginLink());
  // It opens on the Overview, the window's first page.
  await expect(page).toHaveURL(`${purser.url}/app/#/overview`);
  await expect(page.getByRole('heading', { name: 'Overview', level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();

  // ---------------------------------------------------------------------------------------
  // 1. An agent, created and given a policy in the window.
  await goTo(page, 'Agents');
  await expect(page.getByText('No agents yet.')).toBeVisible();
  await page.getByRole('button', { name: 'New agent' }).click();
  const create = page.getByRole('dialog', { name: 'New agent' });
  await create.getByLabel('Name').fill('research-bot');
  await create.getByLabel('Budget', { exact: true }).fill('1000');
  await create.getByRole('button', { name: 'Create agent' }).click();
  await expect(create).toHaveCount(0);
  const bot = card(page, 'research-bot');
  await expect(bot.locator('.agent-meter-figures')).toHaveText(
    /^\$0\.00 of \$1,000\.00 this month/,
  );
  await expect(bot.locator('.policy-version')).toHaveText('policy v1');
  await expect(bot.locator('.policy-summary')).not.toContainText('you approve');
  const agentId = (await bot.getAttribute('data-agent-id')) ?? '';
  expect(agentId).toMatch(/^agt_/);

  await bot.getByRole('button', { name: 'Edit policy' }).click();
  const edit = page.getByRole('dialog', { name: 'Policy for research-bot' });
  await expect(edit.getByLabel('Budget', { exact: true })).toHaveValue('1000.00');
  await edit.getByLabel('Ask me at or above').fill('200');
  await edit.getByLabel('Largest single purchase').fill('400');
  await edit.getByRole('button', { name: 'Save policy' }).click();
  await expect(edit).toHaveCount(0);
  await expect(bot.locator('.policy-version')).toHaveText('policy v2');
  await expect(bot.locator('.policy-summary')).toContainText(
    'at most $400.00; you approve $200.00 or more',
  );
  // What the window saved is what Purser holds.
  const saved = await owner<{ policy: Record<string, unknown> }>('agents', 'show', agentId);
  expect(saved.policy).toMatchObject({
    budget_cents: 100_000,
    period: 'monthly',
    approval_threshold_cents: 20_000,
    max_transaction_cents: 40_000,
  });
  // Money for it to spend, from the owner's terminal (the window has no deposit form).
  await owner('funding', 'deposit', '--cents', '500000');

  // ---------------------------------------------------------------------------------------
  // 2. A key, issued in the window and read once.
  await bot.getByRole('button', { name: 'Issue key' }).click();
  const issue = page.getByRole('dialog', { name: 'New key for research-bot' });
  await issue.getByLabel('Label (optional)').fill('eval-runner');
  await issue.getByRole('button', { name: 'Issue key' }).click();
  const reveal = page.getByRole('dialog', { name: 'Copy the new key for research-bot' });
  await expect(reveal).toContainText('This is the only time Purser shows this key.');
  const key = await reveal.getByLabel('Spending key').inputValue();
  expect(key).toMatch(/^psk_live_[0-9A-Za-z]{32,}$/);
  // The dialog also says where the agent reaches Purser.
  const url = /^PURSER_URL=(.+)$/.exec(
    (await reveal.locator('code').filter({ hasText: 'PURSER_URL=' }).textContent()) ?? '',
  )?.[1];
  expect(url).toBe(purser.url);
  await reveal.getByRole('button', { name: /^Done/ }).click();
  await expect(reveal).toHaveCount(0);
  expect(await page.content()).not.toContain(key);
  await expect(bot.locator('.key-list')).toContainText('eval-runner');

  // ---------------------------------------------------------------------------------------
  // 3. The agent, in its own process, asks for more than it may spend alone, and waits.
  await goTo(page, 'Approvals');
  await expect(page.getByText('Nothing waits for you.')).toBeVisible();
  const spender = agentProcess(
    [
      'spend',
      '--amount-cents',
      '25000',
      '--merchant',
      'GPU Cloud',
      '--reason',
      'Fine-tuning run for the evaluation',
      '--category',
      'compute',
      '--wait',
      '120',
      '--json',
    ],
    key,
    url ?? '',
  );
  const pending = page
    .locator('[data-request-id]')
    .filter({ hasText: 'research-bot asks to spend $250.00 at GPU Cloud' });
  await expect(pending).toBeVisible({ timeout: STARTS_MS }); // live: no reload
  await expect(pending.locator('.status')).toHaveText('needs approval');
  await expect(pending).toContainText('Approving leaves $750.00 of the $1,000.00 monthly budget.');
  const requestId = (await pending.getAttribute('data-request-id')) ?? '';
  expect(requestId).toMatch(/^req_/);
  expect(spender.running()).toBe(true); // still waiting for the owner
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await readmeScreenshot(page, 'journey-approvals');

  await pending.getByLabel('Comment').fill('go ahead for this run');
  await pending.getByRole('button', { name: 'Approve' }).click();
  const spent = await spender.done;
  expect(spent.code, spent.stderr).toBe(0);
  expect(json<SpendJson>(spent.stdout)).toMatchObject({
    id: requestId,
    status: 'approved',
    decision_reason: 'Approved by the owner: go ahead for this run',
    amount_cents: 25_000,
  });
  await expect(pending).toHaveCount(0);
  await expect(page.getByText('Nothing waits for you.')).toBeVisible();

  await goTo(page, 'Agents');
  await expect(bot.locator('.agent-meter-figures')).toHaveText(
    /^\$250\.00 of \$1,000\.00 this month/,
  );
  await expect(bot.getByRole('meter')).toHaveAttribute('aria-valuenow', '25');

  // ---------------------------------------------------------------------------------------
  // 4. The agent asks for a budget; the owner grants less than asked.
  await goTo(page, 'Approvals');
  const asker = agentProcess(
    [
      'budget',
      'request',
      '--amount-cents',
      '30000',
      '--purpose',
      'Crawl the archive for the eval set',
      '--wait',
      '120',
      '--json',
    ],
    key,
    purser.url,
  );
  const ask = page
    .locator('[data-budget-request-id]')
    .filter({ hasText: 'research-bot asks for a budget of $300.00' });
  await expect(ask).toBeVisible({ timeout: STARTS_MS });
  await expect(ask.getByLabel('Approved amount')).toHaveValue('300.00');
  expect(asker.running()).toBe(true);
  // Amounts are read from their digits: exponent, hex, sub-cent and decimal-comma forms
  // are refused, not read as $100, $16, $120.01 or $12,050.
  for (const hostile of ['1e2', '0x10', '120.005', '120,50', '']) {
    await ask.getByLabel('Approved amount').fill(hostile);
    await expect(ask.getByRole('button', { name: 'Approve' })).toBeDisabled();
  }
  await ask.getByLabel('Approved amount').fill('120.00');
  await ask.getByLabel('Hours').fill('1e3');
  await expect(ask.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await ask.getByLabel('Hours').fill('6');
  await ask.getByLabel('Comment').fill('start with less');
  await ask.getByRole('button', { name: 'Approve' }).click();
  await expect(ask).toHaveCount(0);
  const asked = await asker.done;
  expect(asked.code, asked.stderr).toBe(0);
  const grant = json<BudgetJson>(asked.stdout);
  expect(grant).toMatchObject({
    status: 'approved',
    requested_amount_cents: 30_000,
    approved_amount_cents: 12_000,
    remaining_cents: 12_000,
    adjusted: true,
    comment: 'start with less',
  });
  // The agent's own view of its budget carries the adjusted grant ...
  const balance = await agentProcess(['balance', '--json'], key, purser.url).done;
  expect(balance.code, balance.stderr).toBe(0);
  expect(
    json<{ active_budget_request: BudgetJson | null }>(balance.stdout).active_budget_request,
  ).toMatchObject({ id: grant.id, approved_amount_cents: 12_000, remaining_cents: 12_000 });
  // ... and it governs: more than the $120 granted (though less than the $300 asked) is
  // declined; exactly $120 is approved against it, without asking the owner.
  const over = await agentProcess(
    [
      'spend',
      '--amount-cents',
      '13000',
      '--merchant',
      'Common Crawl',
      '--reason',
      'crawl',
      '--json',
    ],
    key,
    purser.url,
  ).done;
  expect(over.code).toBe(10);
  expect(json<SpendJson>(over.stdout)).toMatchObject({
    status: 'declined',
    decision_rule: 'budget_request_exhausted',
  });
  expect(json<SpendJson>(over.stdout).decision_reason).toContain('($120.00)');
  const within = await agentProcess(
    [
      'spend',
      '--amount-cents',
      '12000',
      '--merchant',
      'Common Crawl',
      '--reason',
      'crawl',
      '--json',
    ],
    key,
    purser.url,
  ).done;
  expect(within.code, within.stderr).toBe(0);
  expect(json<SpendJson>(within.stdout)).toMatchObject({
    status: 'approved',
    decision_rule: 'budget_request',
    budget_request_id: grant.id,
  });
  const used = await agentProcess(['budget', 'status', grant.id, '--json'], key, purser.url).done;
  expect(used.code).toBe(12); // exhausted: nothing left of it
  expect(json<BudgetJson>(used.stdout)).toMatchObject({
    status: 'exhausted',
    approved_amount_cents: 12_000,
    spent_cents: 12_000,
    remaining_cents: 0,
  });
  await expect(page.getByText('Nothing waits for you.')).toBeVisible();
  await goTo(page, 'Agents');
  // Money drawn from the grant is still money spent this month.
  await expect(bot.locator('.agent-meter-figures')).toHaveText(
    /^\$370\.00 of \$1,000\.00 this month/,
  );
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  // ---------------------------------------------------------------------------------------
  // 5. The Ledger: filtered, exported, verified.
  await goTo(page, 'Ledger');
  const rows = page.locator('.ledger-body [data-seq]');
  const scroll = page.locator('.ledger-scroll');
  await expect(scroll).toHaveAttribute('aria-busy', 'false');
  await expect(rows.first()).toBeVisible();
  const total = page.locator('.ledger-count');
  await expect(total).toHaveText(/^\d+ entries: the end of the ledger\.$/);
  const counted = /^(\d+) entries: the end of the ledger\.$/.exec(
    (await total.textContent()) ?? '',
  );
  const everything = Number(counted?.[1]);
  await page.getByLabel('Agent').selectOption({ label: 'research-bot' });
  await page.getByLabel('Kind').selectOption('spend.approved');
  await expect(scroll).toHaveAttribute('aria-busy', 'false');
  await expect(total).toHaveText('2 entries: the end of the ledger.');
  await expect(rows).toHaveCount(2);
  expect(everything).toBeGreaterThan(2);
  const shown = await rows.evaluateAll((els) =>
    els.map((e) => ({
      seq: e.getAttribute('data-seq'),
      type: e.getAttribute('data-type'),
      agent: e.getAttribute('data-agent'),
    })),
  );
  for (const row of shown) expect(row).toMatchObject({ type: 'spend.approved', agent: agentId });
  await expect(rows.nth(0)).toContainText('Common Crawl');
  await expect(rows.nth(1)).toContainText('GPU Cloud');
  await expect(page.locator('.ledger-export .hint')).toHaveText('Exports the filtered view.');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await download;
  expect(csv.suggestedFilename()).toMatch(/^purser-ledger-filtered-\d{8}-\d{6}\.csv$/);
  const [header, ...lines] = parseCsv(readFileSync((await csv.path()) ?? '', 'utf8'));
  const col = (name: string) => header?.indexOf(name) ?? -1;
  expect(header?.slice(0, 6)).toEqual(['seq', 'time', 'type', 'actor', 'mode', 'agent_id']);
  // The export is oldest first; the table newest first.
  expect(lines.map((l) => l[col('seq')])).toEqual(shown.map((r) => r.seq).reverse());
  expect(
    lines.map((l) => [
      l[col('type')],
      l[col('agent_id')],
      l[col('object_id')],
      l[col('merchant')],
      l[col('amount_micros')],
      l[col('actor')],
    ]),
  ).toEqual([
    ['spend.approved', agentId, requestId, 'GPU Cloud', '250000000', 'owner'],
    [
      'spend.approved',
      agentId,
      json<SpendJson>(within.stdout).id,
      'Common Crawl',
      '120000000',
      expect.stringMatching(/^key:key_/),
    ],
  ]);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(total).toHaveText(`${everything} entries: the end of the ledger.`);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  const verified = page.locator('.ledger-verify [role=status]');
  await expect(verified).toContainText(
    new RegExp(`^Chain verified: all ${everything} entries are intact`),
  );
  const head = (await verified.locator('code.hash').textContent()) ?? '';
  expect(head).toMatch(/^[0-9a-f]{64}$/);
  // The same chain, the same head, as the CLI verifies it.
  const cliVerify = await purser.cli('ledger', 'verify');
  expect(cliVerify.code, cliVerify.stderr).toBe(0);
  expect(cliVerify.stdout).toMatch(new RegExp(`^ok: ${everything} entries, head ${head}`));

  await goTo(page, 'Wallet');
  await expect(page.getByRole('table', { name: 'Funding sources' })).toContainText('$4,630.00');

  await goTo(page, 'Settings');
  const form = page.getByRole('form', { name: 'Workspace settings' });
  await expect(form).toBeVisible();
  await expect(page.getByRole('table', { name: 'Owner sessions' })).toContainText('this window');

  // ---------------------------------------------------------------------------------------
  // 6. Panic: one confirmation, then everything is frozen.
  await goTo(page, 'Agents');
  const frozen = async () => (await owner<{ frozen: boolean }>('settings', 'show')).frozen;
  await page.getByRole('button', { name: 'Panic: freeze all' }).click();
  const confirm = page.getByRole('group', { name: 'Confirm freezing every agent' });
  await expect(confirm).toBeVisible();
  expect(await frozen()).toBe(false); // not before the confirmation
  await confirm.getByRole('button', { name: 'Freeze all' }).click();
  const banner = page.locator('.banner.frozen');
  await expect(banner).toContainText("All spending is frozen: every agent's request is declined.");
  expect(await frozen()).toBe(true);
  await expect(page.getByRole('button', { name: 'Panic: freeze all' })).toHaveCount(0);
  await expect(bot.locator('.agent-note')).toContainText('The wallet is frozen');
  const refused = await agentProcess(
    ['spend', '--amount-cents', '500', '--merchant', 'GPU Cloud', '--reason', 'small', '--json'],
    key,
    purser.url,
  ).done;
  expect(refused.code).toBe(10);
  expect(json<SpendJson>(refused.stdout)).toMatchObject({
    status: 'declined',
    decision_rule: 'wallet_frozen',
  });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await readmeScreenshot(page, 'panic');

  // ---------------------------------------------------------------------------------------
  // 7. Purser restarts on the same data folder and port: the window's origin is unchanged.
  const port = purser.port;
  expect(await purser.stop()).toBe(0);
  await expect(page.getByText('Purser is not reachable; reconnecting')).toBeVisible({
    timeout: 15_000,
  });
  await purser.start(port);
  expect(purser.url).toBe(url);
  // Sessions live in the server's memory: after a restart the window says the session
  // ended, and how to get a new link. It is never a stale page.
  const ended = page.locator('.session-ended[role=alert]');
  await expect(ended).toContainText('Session ended', { timeout: 30_000 });
  await expect(ended).toContainText('Purser restarted');
  await expect(ended).toContainText('purser login');
  await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);

  // As the window says: `purser login`, and its link opened in the same tab.
  const link = (await owner<{ url: string }>('login')).url;
  expect(link.startsWith(`${url}/app/#code=`)).toBe(true);
  await page.goto(link);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expect(page).toHaveURL(`${url}/app/#/overview`);
  // The live stream is back, and the freeze outlived the restart (it is in the database)
  // until the owner lifts it, from the banner, with the new session.
  await expect(page.getByText('Purser is not reachable')).toHaveCount(0);
  expect(await frozen()).toBe(true);
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Unfreeze' }).click();
  await expect(banner).toHaveCount(0);
  expect(await frozen()).toBe(false);
  await goTo(page, 'Approvals');
  await expect(page.getByText('Nothing waits for you.')).toBeVisible();

  // A request made after the restart arrives over the new live stream, without a reload.
  const after = agentProcess(
    [
      'spend',
      '--amount-cents',
      '20000',
      '--merchant',
      'GPU Cloud',
      '--reason',
      'One more evaluation run',
      '--wait',
      '120',
      '--json',
    ],
    key,
    purser.url,
  );
  const again = page
    .locator('[data-request-id]')
    .filter({ hasText: 'research-bot asks to spend $200.00 at GPU Cloud' });
  await expect(again).toBeVisible({ timeout: STARTS_MS });
  await expect(again).toContainText('Approving leaves $430.00 of the $1,000.00 monthly budget.');
  expect(after.running()).toBe(true);
  await again.getByRole('button', { name: 'Approve' }).click();
  const afterDone = await after.done;
  expect(afterDone.code, afterDone.stderr).toBe(0);
  expect(json<SpendJson>(afterDone.stdout).status).toBe('approved');
  await goTo(page, 'Agents');
  await expect(bot.locator('.agent-meter-figures')).toHaveText(
    /^\$570\.00 of \$1,000\.00 this month/,
  );
});
