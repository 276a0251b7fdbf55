/**
 * The owner can always see and act on every pending request (docs/money-integrity.md, rule
 * 5), in Chromium against `purser serve`: one agent floods the owner, another asks once; the
 * window groups them by agent with counts, pages the flood, declines all of it at once, and
 * shows a receipt held for review, which the owner disputes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, sharedPurser, test } from './fixtures';
import { readmeScreenshot } from './readme-screenshot';

const purser = sharedPurser({ label: 'groups' });

async function agentWithKey(name: string, flags: string[]) {
  const agent = await purser.json<{ id: string }>('agents', 'create', '--name', name, ...flags);
  const { key } = await purser.json<{ key: string }>('keys', 'issue', agent.id);
  return { id: agent.id, key };
}

async function post(key: string, path: string, body: unknown) {
  const response = await fetch(`${purser.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

const spend = (cents: number, merchant: string) => ({
  amount_cents: cents,
  currency: 'usd',
  merchant_name: merchant,
  reason: 'a request',
});

test.beforeAll(async () => {
  await purser.cli('funding', 'deposit', '--cents', '100000');
});

test('a flood is grouped, paged and declined at once; a held receipt is disputed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const quiet = await agentWithKey('quiet-bot', [
    '--budget-cents',
    '100000',
    '--approval-threshold-cents',
    '1000',
  ]);
  const flood = await agentWithKey('flood-bot', [
    '--budget-cents',
    '1000',
    '--approval-threshold-cents',
    '1',
    '--max-pending',
    '45',
  ]);
  await post(quiet.key, '/v1/spend', spend(5_000, 'Vercel'));
  for (let i = 0; i < 45; i += 1) await post(flood.key, '/v1/spend', spend(1, `shop-${i}`));
  // The flood agent also says it paid $50 by card: $40 more than it could spend alone.
  await post(flood.key, '/v1/receipts', {
    amount_cents: 5_000,
    merchant_name: 'Cards',
    rail: 'card',
  });

  await purser.open(page);
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: /^Approvals/ })
    .click();

  const quietGroup = page.getByRole('region', { name: 'Waiting from quiet-bot' });
  const floodGroup = page.getByRole('region', { name: 'Waiting from flood-bot' });
  // The quiet agent's one request is there, however many the other sent.
  await expect(quietGroup.locator('[data-request-id]')).toHaveCount(1);
  await expect(floodGroup.locator('.group-counts')).toHaveText('45 requests · 1 receipt to review');
  // A few of each agent's newest first, so the quiet agent's group is near the top; the
  // flood pages on, twenty at a time, until all 45 are there.
  await expect(floodGroup.locator('[data-request-id]')).toHaveCount(5);
  await expect(page.getByRole('navigation', { name: 'Waiting, by agent' })).toContainText(
    'quiet-bot · 1',
  );
  await floodGroup.getByRole('button', { name: /Show more \(40 more waiting\)/ }).click();
  await expect(floodGroup.locator('[data-request-id]')).toHaveCount(25);
  await floodGroup.getByRole('button', { name: /Show more \(20 more waiting\)/ }).click();
  await expect(floodGroup.locator('[data-request-id]')).toHaveCount(45);
  await expect(floodGroup.getByRole('button', { name: /Show more/ })).toHaveCount(0);
  await expect(floodGroup.getByText('paused')).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await readmeScreenshot(page, 'approvals-groups');
  // What the owner sees first, without scrolling.
  await page.screenshot({ path: 'test-results/approvals-groups-top.png' });

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual(
    [],
  );

  // The held receipt: disputed, it counts nothing against the shared source.
  const review = floodGroup.locator('[data-receipt-id]');
  await expect(review).toContainText('$40.00 of it is more than it could spend on its own');
  await review.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/approvals-groups-review.png' });
  await review.getByRole('button', { name: 'Dispute' }).click();
  await expect(floodGroup.locator('[data-receipt-id]')).toHaveCount(0);

  await floodGroup.getByRole('button', { name: 'Decline all…' }).click();
  await floodGroup.getByRole('button', { name: 'Decline all', exact: true }).click();
  await expect(floodGroup).toHaveCount(0);
  await expect(quietGroup.locator('[data-request-id]')).toHaveCount(1);
  // The server agrees: only the quiet agent's request waits.
  const left = await purser.json<{ spend_requests: Array<{ agent_name: string }> }>(
    'approvals',
    'list',
  );
  expect(left.spend_requests.map((r) => r.agent_name)).toEqual(['quiet-bot']);
});

test('the owner settles an approved request for less from the ledger: the difference goes back', async ({
  page,
}) => {
  const agent = await agentWithKey('refund-bot', ['--budget-cents', '10000']);
  const approved = await post(agent.key, '/v1/spend', spend(4_000, 'GPU Co'));
  expect(approved.status).toBe('approved');
  await purser.open(page);
  await page.getByRole('link', { name: 'Ledger', exact: true }).click();
  await page.getByLabel('Kind').selectOption('spend.approved');
  await page.locator('.ledger-body [data-seq]').first().getByRole('button').click();
  const details = page.getByRole('region', { name: /^Entry #\d+$/ });
  await details.getByLabel('What it cost in the end').fill('10.00');
  await details.getByLabel('Why').fill('refunded by GPU Co');
  await details.getByRole('button', { name: 'Settle for less' }).click();
  await expect(details.getByRole('status')).toHaveText(
    "Settled: $30.00 went back to the agent's budget and funding.",
  );
  const balance = await fetch(`${purser.url}/v1/balance`, {
    headers: { authorization: `Bearer ${agent.key}` },
  });
  expect(await balance.json()).toMatchObject({ spent_cents: 1_000 });
  // Again for more than it now counts: refused, and said why.
  await details.getByLabel('What it cost in the end').fill('20.00');
  await details.getByRole('button', { name: 'Settle for less' }).click();
  await expect(details.getByRole('status')).toContainText('settling it is for less than that');
});
