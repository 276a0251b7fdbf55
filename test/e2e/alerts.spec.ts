/**
 * Budget alerts (docs/alerts.md) in Chromium against a real `purser serve`, the agent a
 * separate process (`purser spend`, holding only its key and Purser's URL): the spend that
 * takes the agent past 80 % of its budget raises one alert, shown live on the Overview and
 * on the agent's card, and ledgered once; more spend in the same month, still under 100 %,
 * raises no second one. The levels are edited in the policy form; both pages pass axe-core
 * in light and dark with an alert on them.
 */
import { expectAxeClean } from './a11y';
import { expect, test, type Purser } from './fixtures';
import { agentProcess, stopAgents } from './journey-processes';

test.use({ purserLabel: 'alerts' });
test.afterEach(stopAgents);

/**
 * `purser spend` as the agent's own process, with nothing but its key and Purser's URL;
 * the spend must be approved (exit 0).
 */
async function spend(purser: Purser, key: string, cents: number): Promise<void> {
  const run = agentProcess(
    ['spend', '--amount-cents', String(cents), '--merchant', 'GPU Cloud', '--reason', 'Eval run'],
    key,
    purser.url,
  );
  const { code, stderr } = await run.done;
  if (code !== 0) throw new Error(`purser spend exited ${code}: ${stderr}`);
}

/** The agent's `budget.alert` ledger entries, from the owner's CLI. */
async function ledgeredAlerts(purser: Purser, agentId: string): Promise<unknown[]> {
  const r = await purser.cli('ledger', 'export', '--agent', agentId, '--format', 'json');
  if (r.code !== 0) throw new Error(`purser ledger export exited ${r.code}: ${r.stderr}`);
  const parsed = JSON.parse(r.stdout) as unknown;
  const entries = (Array.isArray(parsed) ? parsed : (parsed as { entries: unknown[] }).entries) as {
    type: string;
  }[];
  return entries.filter((e) => e.type === 'budget.alert');
}

test('crossing 80% raises one alert for the month, and further spend under 100% no second', async ({
  page,
  purser,
}) => {
  test.setTimeout(90_000);
  const bot = await purser.agentWithKey('research-bot', ['--budget-cents', '10000']);
  await page.setViewportSize({ width: 1280, height: 800 });
  await purser.open(page);
  await expect(page.getByRole('heading', { name: 'Overview', level: 2 })).toBeVisible();
  const alerts = page.getByRole('region', { name: 'Budget alerts' });
  const limits = page.getByRole('region', { name: 'Nearest their limits' });
  const activity = page.getByRole('region', { name: 'Latest activity' });
  await expect(alerts).toContainText('No agent has reached a warning level of its budget');

  // 50 %: under the first level, nothing.
  await spend(purser, bot.key, 5_000);
  await expect(limits.locator(`[data-agent-id="${bot.id}"]`)).toContainText('50%');
  await expect(alerts.locator('li')).toHaveCount(0);

  // 85 %: past 80 %, one alert, live.
  await spend(purser, bot.key, 3_500);
  const line = alerts.locator(`li[data-agent-id="${bot.id}"]`);
  await expect(line).toHaveCount(1);
  await expect(line).toHaveAttribute('data-level', '80');
  await expect(line).toContainText('research-bot has used 80% of its budget this month');
  await expect(line).toContainText('$85.00 of $100.00');
  await expect(activity.locator('li[data-type="budget.alert"]')).toHaveText(
    /research-bot has used 80% of its budget/,
  );

  // 90 %, then 99 %: the same month, under 100 %: the meter moves, no second alert.
  await spend(purser, bot.key, 500);
  await spend(purser, bot.key, 900);
  await expect(limits.locator(`[data-agent-id="${bot.id}"]`)).toContainText('99%');
  await expect(alerts.locator('li')).toHaveCount(1);
  await expect(line).toHaveAttribute('data-level', '80');
  await expect(activity.locator('li[data-type="budget.alert"]')).toHaveCount(1);
  expect(await ledgeredAlerts(purser, bot.id)).toHaveLength(1);

  await expectAxeClean(page, 'overview');

  // The agent's card carries the alert once, and its policy lists the levels.
  await line.getByRole('link', { name: 'research-bot' }).click();
  await expect(page).toHaveURL(/#\/agents$/);
  const card = page.locator(`article.agent-card[data-agent-id="${bot.id}"]`);
  await expect(card.locator('.budget-alert')).toHaveCount(1);
  await expect(card.locator('.budget-alert')).toHaveText('80% of budget used');
  await expect(card.locator('.policy-summary')).toContainText('at 80%, 100% of the budget');
  await expectAxeClean(page, 'agents');
  expect(await ledgeredAlerts(purser, bot.id)).toHaveLength(1);
});

test('the warning levels are edited in the policy form, checked like the API', async ({
  page,
  purser,
}) => {
  const bot = await purser.agentWithKey('crawler', ['--budget-cents', '10000']);
  await purser.open(page, 'agents');
  const card = page.locator(`article.agent-card[data-agent-id="${bot.id}"]`);
  await card.getByRole('button', { name: 'Edit policy' }).click();
  const edit = page.getByRole('dialog', { name: 'Policy for crawler' });
  const levels = edit.getByLabel('Alert me at (% of budget)');
  await expect(levels).toHaveValue('80, 100');

  await levels.fill('50, 150');
  await edit.getByRole('button', { name: 'Save policy' }).click();
  await expect(edit.getByRole('alert')).toContainText(
    'Alert me at (% of budget): must be at most 100 (percent).',
  );
  await expect(levels).toBeFocused();

  // Typed in any order: saved in increasing order.
  await levels.fill('90 50');
  await edit.getByRole('button', { name: 'Save policy' }).click();
  await expect(edit).toHaveCount(0);
  await expect(card.locator('.policy-summary')).toContainText('at 50%, 90% of the budget');
  const shown = await purser.json<{ policy: { alert_levels_percent: number[] } }>(
    'agents',
    'show',
    bot.id,
  );
  expect(shown.policy.alert_levels_percent).toEqual([50, 90]);

  // 60 % now alerts at 50 %.
  await spend(purser, bot.key, 6_000);
  await expect(card.locator('.budget-alert')).toHaveText('50% of budget used');
});
