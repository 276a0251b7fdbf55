/**
 * The Agents page in Chromium against a real `purser serve`, a fresh data folder per test
 * and no mocking: an agent created in the window, its policy edited (a value the form's
 * schema refuses, a value only the API refuses, each said in plain words), a key issued and
 * read once, then used by a separate agent process (`purser spend`) while the meter moves
 * without a reload; pause and resume; a rotation after which the old key is refused (403
 * revoked_api_key); an agent with no budget showing an empty bar; dialogs by keyboard; an
 * axe-core check; and the screenshot of docs/screenshots/agents.png.
 */
import AxeBuilder from '@axe-core/playwright';
import { type Locator, type Page } from '@playwright/test';
import { runCli } from '../helpers/cli';
import { expect, test, type Purser } from './fixtures';
import { readmeScreenshot } from './readme-screenshot';

test.use({ purserLabel: 'agents' });

async function openAgents(page: Page, purser: Purser): Promise<void> {
  await purser.open(page);
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Agents' })
    .click();
  await expect(page.getByRole('heading', { name: 'Agents', level: 2 })).toBeVisible();
}

/** A separate agent process: `purser spend` with the agent's key, as an agent runs it. */
function spend(purser: Purser, key: string, cents: number, merchant = 'AWS') {
  return runCli(
    ['spend', '--amount-cents', String(cents), '--merchant', merchant, '--reason', 'GPU hour'],
    { PURSER_KEY: key, PURSER_URL: purser.url },
  );
}

const card = (page: Page, name: string): Locator =>
  page.locator('article.agent-card').filter({ has: page.getByRole('heading', { name }) });

test('create an agent, edit its policy, issue a key and watch an agent spend with it', async ({
  page,
  context,
  purser,
}) => {
  test.setTimeout(90_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openAgents(page, purser);

  // The empty state says what to do next.
  await expect(page.getByText('No agents yet.')).toBeVisible();
  await expect(page.locator('.agents-empty')).toContainText('PURSER_KEY');

  // By keyboard: the dialog takes the focus, Escape closes it and gives the focus back.
  const newAgent = page.getByRole('button', { name: 'New agent' });
  await newAgent.focus();
  await page.keyboard.press('Enter');
  const create = page.getByRole('dialog', { name: 'New agent' });
  await expect(create).toBeVisible();
  await expect(create.getByLabel('Name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(create).toHaveCount(0);
  await expect(newAgent).toBeFocused();

  // Created in the window.
  await newAgent.click();
  await create.getByLabel('Name').fill('research-bot');
  await create.getByLabel('Budget', { exact: true }).fill('50');
  await create.getByRole('button', { name: 'Create agent' }).click();
  await expect(create).toHaveCount(0);
  const bot = card(page, 'research-bot');
  await expect(bot).toBeVisible();
  await expect(bot.locator('.agent-meter-figures')).toHaveText(/\$0\.00 of \$50\.00 this month/);
  await expect(bot.locator('.agent-meter-forecast')).toHaveText('No spend yet this window.');
  await expect(bot.locator('.status')).toHaveText('Active');

  // Edit the policy: what the schema refuses is said in plain words, by the field.
  await bot.getByRole('button', { name: 'Edit policy' }).click();
  const edit = page.getByRole('dialog', { name: 'Policy for research-bot' });
  await expect(edit).toBeVisible();
  await edit.getByLabel('Requests per minute').fill('0');
  await edit.getByLabel('Budget', { exact: true }).fill('12.345');
  await edit.getByRole('button', { name: 'Save policy' }).click();
  const summary = edit.getByRole('alert');
  await expect(summary).toContainText(
    'Budget: must be an amount in dollars with at most two decimals, like 25 or 12.50.',
  );
  await expect(summary).toContainText('Requests per minute: must be at least 1.');
  await expect(summary).not.toContainText('Too small');
  await expect(edit.getByLabel('Budget', { exact: true })).toBeFocused();
  await expect(edit.getByLabel('Budget', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(edit.locator('[data-field="rate_limit_per_minute"] .field-error')).toHaveText(
    'Must be at least 1.',
  );

  // A value the schema accepts but the API refuses: a block list over the 64 KiB body limit
  // (500 entries of 253 characters each are valid; the server takes 64 KiB at most).
  await edit.getByLabel('Requests per minute').fill('600');
  await edit.getByLabel('Budget', { exact: true }).fill('50');
  const huge = Array.from({ length: 300 }, (_, i) => `m${i}-${'x'.repeat(240)}.example`);
  await edit.getByLabel('Blocked merchants').fill(huge.join('\n'));
  await edit.getByRole('button', { name: 'Save policy' }).click();
  await expect(edit.getByRole('alert')).toHaveText(
    'Purser refused it: Request body too large (at most 64 KiB). Shorten the merchant and category lists.',
  );
  await expect(edit).toBeVisible();

  // A good edit saves a new policy version.
  await edit.getByLabel('Blocked merchants').fill('casino.example');
  await edit.getByLabel('Largest single purchase').fill('20');
  await edit.getByRole('button', { name: 'Save policy' }).click();
  await expect(edit).toHaveCount(0);
  await expect(bot.locator('.policy-summary')).toContainText('at most $20.00');
  await expect(bot.locator('.policy-summary')).toContainText('never casino.example');
  await expect(bot.locator('.policy-version')).toHaveText('policy v2');

  // Issue a key: shown once, with a warning and a copy button.
  expect((await purser.cli('funding', 'deposit', '--cents', '100000')).code).toBe(0);
  await expect(bot.getByText('No working key.')).toBeVisible();
  await bot.getByRole('button', { name: 'Issue key' }).click();
  const issue = page.getByRole('dialog', { name: 'New key for research-bot' });
  await issue.getByLabel('Label (optional)').fill('laptop');
  await issue.getByRole('button', { name: 'Issue key' }).click();
  const reveal = page.getByRole('dialog', { name: 'Copy the new key for research-bot' });
  await expect(reveal).toBeVisible();
  await expect(reveal).toContainText('This is the only time Purser shows this key.');
  await expect(reveal.getByRole('button', { name: 'Copy' })).toBeFocused();
  const shown = await reveal.getByLabel('Spending key').inputValue();
  expect(shown).toMatch(/^psk_live_[0-9A-Za-z]{32,}$/);
  await reveal.getByRole('button', { name: 'Copy' }).click();
  await expect(reveal.getByRole('status')).toHaveText('Copied to the clipboard.');
  const key = await page.evaluate(() => navigator.clipboard.readText());
  expect(key).toBe(shown);
  await reveal.getByRole('button', { name: /Done/ }).click();
  await expect(reveal).toHaveCount(0);
  // Gone from the page once closed: not in the DOM, not in the tab's storage.
  expect(await page.content()).not.toContain(key);
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
  expect(stored).not.toContain(key);
  await expect(bot.locator('.key-list li')).toHaveCount(1);
  await expect(bot.locator('.key-list')).toContainText(`${key.slice(0, 13)}…${key.slice(-4)}`);
  await expect(bot.locator('.key-list')).toContainText('laptop');
  await expect(bot.getByRole('button', { name: 'Issue key' })).toBeFocused();

  // A separate agent process spends with it; the meter moves without a reload.
  const first = await spend(purser, key, 1200);
  expect(first.code, first.stderr).toBe(0);
  await expect(bot.locator('.agent-meter-figures')).toHaveText(/\$12\.00 of \$50\.00 this month/);
  await expect(bot.getByRole('meter')).toHaveAttribute('aria-valuenow', '24');
  await expect(bot.locator('.spend-chart table')).toContainText('$12.00');
  // One $12 spend seconds old is no rate: the forecast waits for an hour of spending.
  await expect(bot.locator('.agent-meter-forecast')).toHaveText(
    /^Too early to forecast: spending began less than an hour ago/,
  );

  // Pause: the agent's next spend is declined; resume: it spends again.
  await bot.getByRole('button', { name: 'Pause' }).click();
  await expect(bot.locator('.status')).toHaveText('Paused');
  await expect(bot.locator('.agent-note')).toContainText('every spend request is declined');
  await expect(bot.locator('.agent-meter-forecast')).toHaveText(/^No forecast while paused/);
  const paused = await spend(purser, key, 300);
  expect(paused.code, paused.stdout).toBe(10);
  await bot.getByRole('button', { name: 'Resume' }).click();
  await expect(bot.locator('.status')).toHaveText('Active');
  const resumed = await spend(purser, key, 300);
  expect(resumed.code, resumed.stderr).toBe(0);
  await expect(bot.locator('.agent-meter-figures')).toHaveText(/\$15\.00 of \$50\.00/);

  // Rotate: confirmed first; a new key shown once; the old one is refused from then on.
  const short = `${key.slice(0, 13)}…${key.slice(-4)}`;
  await bot.getByRole('button', { name: `Rotate key ${short}` }).click();
  const confirm = page.getByRole('dialog', { name: `Rotate key ${short}?` });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Rotate key' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(reveal).toBeVisible();
  await expect(reveal).toContainText(`The old key ${short} is revoked`);
  const rotated = await reveal.getByLabel('Spending key').inputValue();
  expect(rotated).not.toBe(key);
  await page.keyboard.press('Escape');
  await expect(reveal).toHaveCount(0);
  expect(await page.content()).not.toContain(rotated);
  await expect(bot.locator('.key-list li')).toHaveCount(1);
  await expect(bot.locator('.key-list')).toContainText('laptop'); // the label carried over
  await expect(bot.locator('.key-dead')).toHaveText('1 revoked or expired key');

  const refused = await fetch(`${purser.url}/v1/spend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount_cents: 100, currency: 'usd', merchant_name: 'AWS', reason: 'x' }),
  });
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
    'revoked_api_key',
  );
  const old = await spend(purser, key, 100);
  expect(old.code).toBe(1);
  expect(old.stderr).toContain('revoked_api_key');
  const fresh = await spend(purser, rotated, 500);
  expect(fresh.code, fresh.stderr).toBe(0);
  await expect(bot.locator('.agent-meter-figures')).toHaveText(/\$20\.00 of \$50\.00/);

  // Revoke, confirmed: no working key left.
  const newShort = `${rotated.slice(0, 13)}…${rotated.slice(-4)}`;
  await bot.getByRole('button', { name: `Revoke key ${newShort}` }).click();
  const revoke = page.getByRole('dialog', { name: `Revoke key ${newShort}?` });
  await expect(revoke).toContainText('will have no working key');
  await revoke.getByRole('button', { name: 'Revoke key' }).click();
  await expect(revoke).toHaveCount(0);
  await expect(bot.getByText('No working key.')).toBeVisible();
  expect((await spend(purser, rotated, 100)).stderr).toContain('revoked_api_key');
});

test('an agent with no budget shows an empty bar, never a full green one', async ({
  page,
  purser,
}) => {
  expect((await purser.cli('agents', 'create', '--name', 'idle-bot', '--json')).code).toBe(0);
  await openAgents(page, purser);
  const idle = card(page, 'idle-bot');
  const meter = idle.getByRole('meter');
  await expect(meter).toHaveAttribute('aria-valuenow', '0');
  await expect(meter).toHaveAttribute('aria-valuetext', /^No budget/);
  await expect(meter).toHaveClass(/level-none/);
  const fill = meter.locator('.agent-meter-fill');
  expect((await fill.boundingBox())?.width ?? -1).toBe(0);
  expect(await fill.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
    'rgba(0, 0, 0, 0)',
  );
  await expect(idle.locator('.agent-meter-figures')).toContainText('no budget set');
  await expect(idle.locator('.agent-meter-forecast')).toHaveText(
    'No budget: this agent can spend nothing until you give it one.',
  );
});

test('spend made elsewhere for an agent created elsewhere shows up live', async ({
  page,
  purser,
}) => {
  await openAgents(page, purser);
  await expect(page.getByText('No agents yet.')).toBeVisible();
  const { key } = await purser.agentWithKey('cron-bot', [
    '--budget-cents',
    '1000',
    '--period',
    'daily',
  ]);
  const first = await spend(purser, key, 850);
  expect(first.code, first.stderr).toBe(0);
  const cron = card(page, 'cron-bot');
  await expect(cron.locator('.agent-meter-figures')).toHaveText(/\$8\.50 of \$10\.00 today/);
  await expect(cron.getByRole('meter')).toHaveClass(/level-high/);
  await expect(cron.locator('.agent-meter-reset')).toHaveText(/^Resets in /);
});

test('the page passes axe-core, and its screenshot', async ({ page, purser }) => {
  test.setTimeout(90_000);
  const research = await purser.agentWithKey(
    'research-bot',
    [
      '--budget-cents',
      '50000',
      '--max-transaction-cents',
      '5000',
      '--deny-merchant',
      'casino.example',
    ],
    500_000,
  );
  const ops = await purser.agentWithKey('ops-nightly', [
    '--budget-cents',
    '2000',
    '--period',
    'daily',
    '--velocity-per-hour',
    '30',
  ]);
  await purser.cli('agents', 'create', '--name', 'new-intern-bot', '--json');
  const paused = await purser.agentWithKey('scraper', [
    '--budget-cents',
    '10000',
    '--period',
    'weekly',
    '--window',
    'rolling',
  ]);
  for (const [key, cents, merchant] of [
    [research.key, 1850, 'AWS'],
    [research.key, 4200, 'api.openai.com'],
    [research.key, 960, 'Anthropic'],
    [ops.key, 1250, 'GitHub'],
    [ops.key, 480, 'Fly.io'],
    [paused.key, 2900, 'Bright Data'],
  ] as const) {
    const r = await spend(purser, key, cents, merchant);
    expect(r.code, r.stderr).toBe(0);
  }
  expect((await purser.cli('agents', 'pause', paused.id)).code).toBe(0);

  await page.setViewportSize({ width: 1100, height: 900 });
  await openAgents(page, purser);
  await expect(page.locator('article.agent-card')).toHaveCount(4);
  await expect(card(page, 'research-bot').locator('.agent-meter-figures')).toContainText(
    '$70.10 of $500.00',
  );
  await expect(page.locator('.spend-chart canvas')).toHaveCount(4);

  const results = await new AxeBuilder({ page }).include('main').analyze();
  const serious = results.violations.filter((v) =>
    ['serious', 'critical'].includes(v.impact ?? ''),
  );
  expect(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);

  // And with a dialog open.
  await card(page, 'research-bot').getByRole('button', { name: 'Edit policy' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  const inDialog = await new AxeBuilder({ page }).include('dialog').analyze();
  expect(
    inDialog.violations
      .filter((v) => ['serious', 'critical'].includes(v.impact ?? ''))
      .map((v) => v.id),
  ).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  await readmeScreenshot(page, 'agents');
});
