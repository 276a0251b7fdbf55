/**
 * The owner window in Chromium against `purser serve`: the login link, an approval_url
 * opening its request, approving from the page, and new requests arriving live.
 */
import { expect, sharedPurser, test } from './fixtures';

const purser = sharedPurser();
let key: string;

test.beforeAll(async () => {
  ({ key } = await purser.agentWithKey('research-bot', [
    '--budget-cents',
    '50000',
    '--approval-threshold-cents',
    '20000',
  ]));
});

async function agentCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${purser.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

test('a window without the login link opens nothing, and a used link does not work twice', async ({
  page,
}) => {
  await page.goto(`${purser.url}/app/#/approvals`);
  await expect(page.getByRole('alert')).toContainText('not logged in');
  const printed = purser.printedLoginLink();
  await page.goto(printed);
  // The code leaves the address bar at once; the page is logged in, on the Overview.
  await expect(page).toHaveURL(`${purser.url}/app/#/overview`);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  const second = await page.context().newPage();
  await second.goto(printed);
  await expect(second.getByRole('alert')).toContainText('already used or has expired');
  await expect(second.getByRole('alert')).toContainText('purser login');
});

test('approval_url opens the request; approving it in the page reaches the waiting agent', async ({
  page,
}) => {
  await page.goto(await purser.loginLink());
  await expect(page).toHaveURL(`${purser.url}/app/#/overview`);

  const pending = await agentCall<{ id: string; status: string; approval_url: string }>(
    'POST',
    '/v1/spend',
    {
      amount_cents: 25_000,
      currency: 'usd',
      merchant_name: 'OpenAI',
      reason: 'Fine-tuning run',
    },
  );
  expect(pending.status).toBe('needs_approval');
  // What waits shows in the navigation and the window's title, live, on any page.
  const approvalsLink = page.getByRole('navigation').getByRole('link', { name: /^Approvals/ });
  await expect(approvalsLink).toHaveAccessibleName('Approvals 1 waiting');
  await expect(page).toHaveTitle('(1) Purser');
  await page.goto(pending.approval_url);
  const card = page.locator(`[data-request-id="${pending.id}"]`);
  await expect(card).toHaveClass(/focused/);
  await expect(card).toContainText('research-bot asks to spend $250.00 at OpenAI');
  await expect(card).toContainText('Approving leaves $250.00 of the $500.00 monthly budget.');

  const waiting = agentCall<{ status: string; decision_reason: string }>(
    'GET',
    `/v1/spend/${pending.id}?wait=30`,
  );
  await card.getByLabel('Comment').fill('ok for this run');
  await card.getByRole('button', { name: 'Approve' }).click();
  const decided = await waiting;
  expect(decided).toMatchObject({
    status: 'approved',
    decision_reason: 'Approved by the owner: ok for this run',
  });
  await expect(card.locator('.status')).toHaveText('approved');
  await expect(page).toHaveTitle('Purser');
  await expect(approvalsLink).toHaveAccessibleName('Approvals');
});

test('new requests appear without a reload; a budget request is approved with another amount', async ({
  page,
}) => {
  await purser.open(page, 'approvals');
  await expect(page.getByText('Nothing waits for you.')).toBeVisible();

  const asked = await agentCall<{ id: string }>('POST', '/v1/budget-requests', {
    amount_cents: 30_000,
    purpose: 'Crawl the archive',
  });
  const card = page.locator(`[data-budget-request-id="${asked.id}"]`);
  await expect(card).toContainText('research-bot asks for a budget of $300.00');
  await card.getByLabel('Approved amount').fill('120.00');
  await card.getByLabel('Hours').fill('6');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(card).toHaveCount(0);
  const read = await agentCall<{
    status: string;
    approved_amount_cents: number;
    adjusted: boolean;
  }>('GET', `/v1/budget-requests/${asked.id}`);
  expect(read).toMatchObject({ status: 'approved', approved_amount_cents: 12_000, adjusted: true });

  const over = await agentCall<{ id: string; status: string }>('POST', '/v1/spend', {
    amount_cents: 40_000,
    currency: 'usd',
    merchant_name: 'GPU Co',
    reason: 'big run',
  });
  expect(over.status).toBe('declined'); // exceeds what is left of the grant
  const declinedInPage = page.locator(`[data-request-id="${over.id}"]`);
  await expect(declinedInPage).toHaveCount(0);
});
