/**
 * Agent text in the owner's window is shown as text (docs/trust-model.md): backspaces,
 * terminal escapes and bidi overrides are drawn as visible escapes, and a look-alike
 * merchant is shown beside the key it was matched as. The same on the Overview.
 */
import { expect, test } from './fixtures';

test.use({ purserLabel: 'text' });

test('controls, escapes and overrides are drawn visibly; the merchant key is shown', async ({
  page,
  purser,
}) => {
  const { key } = await purser.agentWithKey('bot', [
    '--budget-cents',
    '100000',
    '--approval-threshold-cents',
    '100',
  ]);
  const merchant = `${'\b'.repeat(9)}$4.00    \u0430ws\u202e`;
  const reason = 'ok\x1b]0;pwned\x07 \u2066hidden\u2069';
  const res = await fetch(`${purser.url}/v1/spend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      amount_cents: 40_000,
      currency: 'usd',
      merchant_name: merchant,
      reason,
    }),
  });
  const pending = (await res.json()) as { id: string; status: string };
  expect(pending.status).toBe('needs_approval');

  await purser.open(page, 'approvals');
  const card = page.locator(`[data-request-id="${pending.id}"]`);
  await expect(card).toContainText('asks to spend $400.00 at \\x08');
  await expect(card).toContainText('\\u{202e}');
  await expect(card).toContainText('\\x1b]0;pwned\\x07');
  await expect(card).toContainText('matched as');
  const shown = (await card.textContent()) ?? '';
  // eslint-disable-next-line no-control-regex -- looking for exactly those characters
  expect(shown).not.toMatch(/[\u0000-\u0008\u001b\u007f\u202a-\u202e\u2066-\u2069]/);
  await page.screenshot({ path: 'test-results/hostile-text-window.png' });

  // The Overview's latest activity names the merchant too: as text, the same way.
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Overview' })
    .click();
  const latest = page.getByRole('region', { name: 'Latest activity' }).locator('li').first();
  await expect(latest).toContainText('bot asks to spend $400.00 at \\x08');
  await expect(latest).toContainText('\\u{202e}');
  expect((await latest.textContent()) ?? '').not.toMatch(
    // eslint-disable-next-line no-control-regex -- looking for exactly those characters
    /[\u0000-\u0008\u001b\u007f\u202a-\u202e]/,
  );
});
