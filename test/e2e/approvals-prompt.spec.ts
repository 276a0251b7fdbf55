/**
 * The approval prompt in Chromium against `purser serve`: what a pending request says
 * (category, age, a live expiry countdown, a before/after budget bar), the keyboard
 * (j/k, a, d, Escape), the confirmation an over-budget approval needs, an accessibility
 * check, and the dark theme that follows the OS.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { readmeScreenshot } from './readme-screenshot';

let url: string;
let key: string;

test.beforeEach(async ({ purser }) => {
  url = purser.url;
  ({ key } = await purser.agentWithKey(
    'research-bot',
    ['--budget-cents', '50000', '--approval-threshold-cents', '2000', '--over-budget', 'ask'],
    500_000,
  ));
});

async function spend(cents: number, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/v1/spend`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      amount_cents: cents,
      currency: 'usd',
      merchant_name: 'GPU Cloud',
      reason: 'an evaluation run',
      ...extra,
    }),
  });
  return (await response.json()) as { id: string; status: string };
}

const statusOf = async (id: string) =>
  (
    (await (
      await fetch(`${url}/v1/spend/${id}`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { status: string }
  ).status;

test('a pending request shows its category, age, expiry countdown and what approving does', async ({
  page,
  purser,
}) => {
  const asked = await spend(3000, { category: 'compute' });
  await purser.open(page, 'approvals');
  const card = page.locator(`[data-request-id="${asked.id}"]`);
  await expect(card.getByLabel('Category compute')).toBeVisible();
  await expect(card.getByText(/asked \d+ s ago|asked \d+ min ago/)).toBeVisible();
  await expect(card.getByText(/expires in 23 h \d+ min|expires in 1 d/)).toBeVisible();
  await expect(
    card.getByRole('img', { name: 'Before: $0.00 of $500.00; after approving: $30.00' }),
  ).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
  await readmeScreenshot(page, 'approvals');
});

test('the keyboard moves, approves and declines; over budget it asks first', async ({
  page,
  purser,
}) => {
  const first = await spend(3000);
  const second = await spend(2500);
  await purser.open(page, 'approvals');
  await expect(page.locator('[data-request-id]')).toHaveCount(2);
  // Newest first: j selects the newest, j again the next.
  await page.keyboard.press('j');
  await expect(page.locator(`[data-request-id="${second.id}"]`)).toHaveClass(/selected/);
  await page.keyboard.press('a');
  await expect.poll(() => statusOf(second.id)).toBe('approved');
  await page.keyboard.press('j');
  await expect(page.locator(`[data-request-id="${first.id}"]`)).toHaveClass(/selected/);
  await page.keyboard.press('d');
  await expect.poll(() => statusOf(first.id)).toBe('declined');
  // The server may say "declined" before the window has its answer (a read can see a
  // commit whose fsync is still running): wait until the window drops the card, as a
  // person would, before the next keys, or `j` would stay on it and `a` act on it.
  await expect(page.locator(`[data-request-id="${first.id}"]`)).toHaveCount(0);

  const big = await spend(60_000);
  const card = page.locator(`[data-request-id="${big.id}"]`);
  await expect(card.getByRole('button', { name: 'Approve over budget…' })).toBeVisible();
  await page.keyboard.press('j');
  await page.keyboard.press('a');
  const confirm = card.getByRole('alertdialog', { name: 'Confirm approving over budget' });
  await expect(confirm).toContainText('go over the budget by');
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  expect(await statusOf(big.id)).toBe('needs_approval');
  await card.getByRole('button', { name: 'Approve over budget…' }).click();
  await confirm.getByRole('button', { name: 'Yes, approve over budget' }).click();
  await expect.poll(() => statusOf(big.id)).toBe('approved');
});

test('the window follows a dark OS theme, and stays readable there', async ({ page, purser }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await spend(3000, { category: 'compute' });
  await purser.open(page, 'approvals');
  await expect(page.locator('[data-request-id]')).toHaveCount(1);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(250, 250, 250)');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2aa']).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await readmeScreenshot(page, 'approvals-dark');
});
