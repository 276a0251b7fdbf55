/**
 * The window's controls that are not a page: the panic button (one confirmation, then
 * every agent frozen; a banner with "unfreeze" while frozen, in every open window), a
 * refused action's reason that stays on screen until dismissed, "not found" for an unknown
 * route, and a banner when Purser goes away.
 */
import { type Page } from '@playwright/test';
import { expect, sharedPurser, test, type Purser } from './fixtures';

const purser = sharedPurser({ label: 'controls' });
let key: string;

test.beforeAll(async () => {
  ({ key } = await purser.agentWithKey('bot', [
    '--budget-cents',
    '100000',
    '--approval-threshold-cents',
    '1000',
  ]));
});

async function logIn(page: Page, into: Purser = purser): Promise<void> {
  const link = await into.loginLink();
  expect(link.startsWith(into.url)).toBe(true);
  await page.goto(link);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

const frozen = async () => (await purser.json<{ frozen: boolean }>('settings', 'show')).frozen;

test('panic asks once, freezes every agent, and every window shows it until unfrozen', async ({
  page,
  context,
}) => {
  await logIn(page);
  const other = await context.newPage();
  await logIn(other);

  await page.getByRole('button', { name: 'Panic: freeze all' }).click();
  expect(await frozen()).toBe(false); // one confirmation first
  await page
    .getByRole('group', { name: 'Confirm freezing every agent' })
    .getByRole('button', {
      name: 'Freeze all',
    })
    .click();
  await expect(page.getByText('All spending is frozen')).toBeVisible();
  expect(await frozen()).toBe(true);
  // The other window hears it over its event stream, without a reload.
  await expect(other.getByText('All spending is frozen')).toBeVisible();

  const spend = await fetch(`${purser.url}/v1/spend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount_cents: 100, currency: 'usd', merchant_name: 'AWS', reason: 'x' }),
  }).then((r) => r.json() as Promise<{ status: string; decision_rule: string }>);
  expect(spend).toMatchObject({ status: 'declined', decision_rule: 'wallet_frozen' });
  await page.screenshot({ path: 'test-results/window-frozen.png' });

  await other.getByRole('button', { name: 'Unfreeze' }).click();
  await expect(page.getByText('All spending is frozen')).toHaveCount(0);
  expect(await frozen()).toBe(false);
});

test('a refused approval says why, and the reason stays until dismissed', async ({ page }) => {
  const pending = await fetch(`${purser.url}/v1/spend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      amount_cents: 5_000,
      currency: 'usd',
      merchant_name: 'GPU Co',
      reason: 'big run',
    }),
  }).then((r) => r.json() as Promise<{ id: string; status: string }>);
  expect(pending.status).toBe('needs_approval');
  await logIn(page);
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: /^Approvals/ })
    .click();
  const card = page.locator(`[data-request-id="${pending.id}"]`);
  await expect(card.getByRole('button', { name: 'Approve' })).toBeEnabled();
  // After the page loaded, the owner caps the funding source from a terminal: approving
  // is now refused by a hard limit, which the page only learns by trying.
  const sources = await purser.json<Array<{ id: string; mode: string }>>('funding', 'list');
  const live = sources.find((f) => f.mode === 'live')?.id ?? '';
  const capped = await purser.cli('funding', 'limit', live, '--cents', '1');
  expect(capped.code, capped.stderr).toBe(0);

  await card.getByRole('button', { name: 'Approve' }).click();
  const reason = page.getByRole('alert').filter({ hasText: 'limit' });
  await expect(reason).toBeVisible();
  await page.waitForTimeout(1_500); // the reload after the action does not clear it
  await expect(reason).toBeVisible();
  await reason.getByRole('button', { name: 'Dismiss' }).click();
  await expect(reason).toHaveCount(0);
  await purser.cli('funding', 'limit', live, '--cents', 'none');
});

test('an unknown route says not found instead of showing Approvals', async ({ page }) => {
  await logIn(page);
  await page.goto(`${purser.url}/app/#/no-such-page`);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Approvals' })).toHaveCount(0);
  await page.goto(`${purser.url}/app/#/approvals/not-an-id`);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});

test('when Purser goes away the window says so', async ({ page, launchPurser }) => {
  const other = await launchPurser({ label: 'controls-gone' });
  await logIn(page, other);
  await other.stop();
  await expect(page.getByText('Purser is not reachable; reconnecting')).toBeVisible({
    timeout: 15_000,
  });
});
