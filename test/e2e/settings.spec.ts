/**
 * The Settings page in Chromium against `purser serve`: the workspace settings edited in
 * the window (time zone, pending expiry, the global cap, notifications, start at login),
 * bad input refused in words with nothing saved, and an accessibility check.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { readmeScreenshot } from './readme-screenshot';

/** Each poll runs `purser settings show`, a process of its own: a second or more on a busy machine. */
const POLL_MS = 20_000;

test('the owner edits the workspace settings in the window', async ({ page, purser }) => {
  const settings = () => purser.json<Record<string, unknown>>('settings', 'show');
  await page.goto(await purser.loginLink());
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Settings' })
    .click();
  const form = page.getByRole('form', { name: 'Workspace settings' });

  // Bad input: said in words, nothing saved.
  await form.getByLabel('Pending requests expire after (hours)').fill('0');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(form.getByRole('alert')).toContainText('between a minute and 30 days');
  expect((await settings()).pending_expiry_hours).toBe(24);

  await form.getByLabel('Time zone (calendar budget windows)').selectOption('Asia/Tokyo');
  await form.getByLabel('Pending requests expire after (hours)').fill('2');
  await form.getByLabel('Cap all spending').check();
  await form.getByLabel('Amount ($)').fill('250.50');
  await form.getByLabel('Cap period').selectOption('weekly');
  await form.getByLabel('Desktop notifications for new requests and alerts').uncheck();
  await form.getByLabel('Open the desktop app when I log in (desktop app only)').check();
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(settings, { timeout: POLL_MS }).toMatchObject({
    time_zone: 'Asia/Tokyo',
    pending_expiry_hours: 2,
    notifications: false,
    start_at_login: true,
    global_cap: { amount_cents: 25050, period: 'weekly' },
  });
  await expect(form.getByRole('status')).toHaveText('Saved.');
  // The ledger has the change, as for any setting.
  const ledger = await purser.cli('ledger', 'export', '--format', 'json');
  expect(ledger.stdout).toContain('settings.updated');

  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await readmeScreenshot(page, 'settings');
});
