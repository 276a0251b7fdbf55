/**
 * The Wallet page in Chromium against `purser serve`: funding sources and the global cap, the
 * on-chain empty states, and a refused action's reason kept until dismissed; then on a real
 * Hardhat chain an agent's Purser-held wallet created and funded from the page, the x402
 * approval prompt (payee, "new payee" then "paid before"), the payout prompt (the saved
 * recipient's name, a look-alike flagged), and a panic whose allowance
 * revokes each show as they are confirmed on chain.
 */
import { randomUUID } from 'node:crypto';
import {
  allowanceOf,
  localChainBody,
  startChainWorld,
  type ChainWorld,
} from '../chain/chain-world';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, sharedPurser, test, type Purser } from './fixtures';
import { readmeScreenshot } from './readme-screenshot';

/**
 * The owner API as a window reaches it: a login link's code swapped for a session token.
 * (The chain's CLI commands are not there yet, so the test configures the chain this way.)
 */
async function ownerApi(purser: Purser) {
  const url = purser.url;
  const code = /#code=(\w+)/.exec(await purser.loginLink())?.[1] ?? '';
  const grant = await fetch(`${url}/admin/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  }).then((r) => r.json() as Promise<{ token: string }>);
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${grant.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json()) as T;
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(payload)}`);
    return payload;
  };
}

/** No serious or critical axe-core violation on the page as it stands. */
async function expectAccessible(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

test.describe('without a chain', () => {
  const purser = sharedPurser({ label: 'wallet' }); // no passphrase: the key store stays locked

  test.beforeAll(async () => {
    await purser.agentWithKey('research-bot', ['--budget-cents', '50000'], 125_000);
  });

  test('shows funding sources, the global cap as it changes, and what to do next on chain', async ({
    page,
  }) => {
    await purser.open(page);
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Wallet' })
      .click();
    await expect(page).toHaveURL(/#\/wallet$/);
    await expect(page.getByRole('heading', { name: 'Wallet', level: 2 })).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Wallet' }),
    ).toHaveAttribute('aria-current', 'page');

    const sources = page.getByRole('table', { name: 'Funding sources' });
    const live = sources.getByRole('row').filter({ hasText: 'live' });
    await expect(live).toContainText('$1,250.00');
    await expect(live).toContainText('no limit');
    await expect(page.getByText('Global cap across all agents: none')).toBeVisible();

    // The cap set from a terminal arrives over the event stream.
    const set = await purser.cli(
      'settings',
      'set',
      '--global-cap-cents',
      '40000',
      '--global-cap-period',
      'weekly',
    );
    expect(set.code, set.stderr).toBe(0);
    await expect(page.locator('.global-cap')).toContainText('$400.00 weekly (calendar window)');

    await expect(page.getByRole('status').filter({ hasText: 'Keys are locked' })).toHaveText(
      /Keys are locked: start purser serve with PURSER_PASSPHRASE/,
    );
    await expect(
      page.getByText('No chain configured: run purser chain set local --rpc'),
    ).toBeVisible();
    await expect(page.getByText('No account of yours yet')).toContainText(
      'purser chain owner --import-key-file',
    );
    await expect(page.getByText('No allowances.')).toContainText('purser chain allow');

    // Refused (the keys are locked): the API's reason stays until dismissed.
    const wallets = page.getByRole('table', { name: 'Agent wallets' });
    await wallets.getByRole('button', { name: 'Create wallet for research-bot' }).click();
    const reason = page.getByRole('alert').filter({ hasText: 'key store is locked' });
    await expect(reason).toContainText('PURSER_PASSPHRASE');
    await page.waitForTimeout(1_000); // the reload after the action does not clear it
    await expect(reason).toBeVisible();
    await page.screenshot({ path: 'test-results/wallet-page-no-chain.png', fullPage: true });
    await reason.getByRole('button', { name: 'Dismiss' }).click();
    await expect(reason).toHaveCount(0);
    await expect(wallets.getByText('no wallet')).toBeVisible();
  });

  test('the owner adds money from the window, and the ledger has the deposit', async ({ page }) => {
    await purser.open(page, 'wallet');
    const form = page.getByRole('form', { name: 'Add money' });
    const live = page
      .getByRole('table', { name: 'Funding sources' })
      .getByRole('row')
      .filter({ hasText: 'live' });
    const before = (await live.textContent()) ?? '';
    // Not an amount: said in words, nothing sent.
    await form.getByLabel('Add money ($)').fill('12,5');
    await form.getByRole('button', { name: 'Add money' }).click();
    await expect(form.getByRole('alert')).toContainText('Type an amount in dollars');
    await expect(live).toHaveText(before);

    await form.getByLabel('Add money ($)').fill('50');
    await form.getByRole('button', { name: 'Add money' }).click();
    await expect(live).toContainText('$1,300.00');
    await expect(form.getByLabel('Add money ($)')).toHaveValue('');
    const ledger = await purser.cli('ledger', 'export', '--format', 'json');
    const deposits = (JSON.parse(ledger.stdout) as { type: string; amount_micros: string }[])
      .filter((e) => e.type === 'funding.deposit')
      .map((e) => e.amount_micros);
    expect(deposits).toContain('50000000');
  });
});

test.describe('on a Hardhat chain', () => {
  test.describe.configure({ mode: 'serial' });
  test.setTimeout(120_000);

  const purser = sharedPurser({
    label: 'wallet-chain',
    passphrase: 'correct horse battery staple',
  });
  let world: ChainWorld;
  let owner: Awaited<ReturnType<typeof ownerApi>>;
  let payer: { id: string; key: string };
  const holders: { id: string; name: string }[] = [];

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    world = await startChainWorld();
    owner = await ownerApi(purser);
    await owner('PUT', '/admin/v1/chain/chains/local', localChainBody(world));
    await owner('PUT', '/admin/v1/chain/owner-account', { private_key: world.owner.privateKey });
    payer = await purser.agentWithKey('research-bot', [
      '--budget-cents',
      '5000',
      '--approval-threshold-cents',
      '10',
    ]);
    for (const name of ['ops-bot', 'trader-bot']) {
      const made = await purser.agentWithKey(name, ['--budget-cents', '10000'], 0);
      holders.push({ id: made.id, name });
    }
  });

  test.afterAll(async () => {
    await world?.stop();
  });

  test('the owner creates and funds an agent wallet from the page; balances come from the chain', async ({
    page,
  }) => {
    await purser.open(page, 'wallet');
    await expect(page.getByRole('status').filter({ hasText: 'Keys are unlocked' })).toBeVisible();
    const chains = page.getByRole('table', { name: 'Chains' });
    await expect(chains).toContainText('eip155:31337');
    await expect(chains).toContainText(world.usdc.address);
    await expect(chains.locator('tbody td').nth(3)).toHaveText(/^\d+$/); // the synced block

    const account = page.getByRole('definition').filter({ hasText: world.owner.address });
    await expect(account).toBeVisible();
    await expect(page.getByText('can sign', { exact: true })).toBeVisible();
    const ownerUsdc = page.locator('.owner-account');
    await expect(ownerUsdc).toContainText('$1,000.00 (1000000000 units)');

    const row = page
      .getByRole('table', { name: 'Agent wallets' })
      .locator(`[data-agent-id="${payer.id}"]`);
    await row.getByRole('button', { name: 'Create wallet for research-bot' }).click();
    await expect(row.locator('code.address')).toHaveText(/^0x[0-9a-fA-F]{40}$/);
    await expect(row).toContainText('$0.00 (0 units)');
    const field = row.getByLabel("Amount to fund research-bot's wallet, in dollars");
    await field.fill('12.5');
    await row.getByRole('button', { name: 'Fund' }).click();
    await expect(row).toContainText('$12.50 (12500000 units)', { timeout: 30_000 });
    await expect(field).toHaveValue('');
    await expect(ownerUsdc).toContainText('$987.50 (987500000 units)');
    const summary = await owner<{ accounts: { agent_id: string | null; address: string }[] }>(
      'GET',
      '/admin/v1/chain',
    );
    const address = summary.accounts.find((a) => a.agent_id === payer.id)?.address ?? '';
    await expect(row.locator('code.address')).toHaveText(address);
  });

  test('the x402 approval prompt names the payee in full and whether it was paid before', async ({
    page,
  }) => {
    await purser.open(page, 'approvals');
    const required = (await fetch(world.paywall.url)).headers.get('payment-required') ?? '';
    const pay = (idempotencyKey: string) =>
      fetch(`${purser.url}/v1/x402/pay`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${payer.key}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({ resource_url: world.paywall.url, payment_required: required }),
      }).then(
        (r) =>
          r.json() as Promise<{
            status: string;
            spend_request_id: string;
            payment_signature: string | null;
            payment_header_name: string;
          }>,
      );

    const first = randomUUID();
    const pending = await pay(first);
    expect(pending.status).toBe('awaiting_approval');
    const card = page.locator(`[data-request-id="${pending.spend_request_id}"]`);
    const details = card.getByRole('region', { name: 'x402 payment' });
    await expect(details).toContainText('127.0.0.1');
    await expect(details.locator('code.address').first()).toHaveText(world.merchant.address);
    await expect(details.getByText('new payee')).toBeVisible();
    await expect(details).toContainText('eip155:31337');
    await expect(details).toContainText(world.usdc.address);
    await expect(details).toContainText('$0.25 (250000 units)');
    await readmeScreenshot(page, 'x402-approval');

    await card.getByRole('button', { name: 'Approve' }).click();
    await expect(card).toHaveCount(0);
    const signed = await pay(first);
    expect(signed.status).toBe('signed');
    const paid = await fetch(world.paywall.url, {
      headers: { [signed.payment_header_name]: signed.payment_signature ?? '' },
    });
    expect(paid.status).toBe(200);

    // Purser follows the chain: the settlement is news on the Wallet page.
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Wallet' })
      .click();
    await owner('POST', '/admin/v1/chain/sync');
    const log = page.getByRole('log', { name: 'On-chain activity' });
    await expect(log.locator('[data-kind="payment_settled"]')).toContainText('research-bot', {
      timeout: 20_000,
    });

    // The same payee again: now it has been paid before.
    const second = await pay(randomUUID());
    expect(second.status).toBe('awaiting_approval');
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Approvals' })
      .click();
    const again = page.locator(`[data-request-id="${second.spend_request_id}"]`);
    await expect(again.getByText('paid before')).toBeVisible();
    await again.getByRole('button', { name: 'Decline' }).click();
    await expect(again).toHaveCount(0);
  });

  test('the payout prompt names the recipient, flags a look-alike of a saved one, and approving sends it', async ({
    page,
  }) => {
    // The owner saves Alice from the Wallet page, typing her address in lower case.
    await purser.open(page, 'wallet');
    const saved = world.spares[0].address;
    const form = page.getByRole('form', { name: 'Add a recipient' });
    await form.getByLabel('Name').fill('Alice (contractor)');
    await form.getByLabel('Address').fill(saved.toLowerCase());
    await form.getByRole('button', { name: 'Add recipient' }).click();
    const row = page.getByRole('table', { name: 'Recipients' }).locator('tbody tr');
    await expect(row).toHaveCount(1);
    await expect(row.locator('code.address')).toHaveText(saved); // checksummed
    const alice = { id: (await row.getAttribute('data-recipient-id')) ?? '' };
    await expect(form.getByLabel('Name')).toHaveValue('');
    // The same address again is refused, and says under which name it is saved.
    await form.getByLabel('Name').fill('Alice again');
    await form.getByLabel('Address').fill(saved);
    await form.getByRole('button', { name: 'Add recipient' }).click();
    await expect(page.getByRole('alert')).toContainText('already saved as "Alice (contractor)"');
    await readmeScreenshot(page, 'recipients');
    await expectAccessible(page);
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Approvals' })
      .click();
    const payout = (recipient: string, cents: number) =>
      fetch(`${purser.url}/v1/crypto/payout-intents`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${payer.key}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ recipient, amount_cents: cents, reason: 'the November invoice' }),
      }).then((r) => r.json() as Promise<{ id: string; status: string; spend_request_id: string }>);

    // The same first and last four hex digits as Alice's, another middle: address poisoning.
    const hex = saved.slice(2).toLowerCase();
    const middle = hex.slice(4, -4).replace(/./g, (c) => (c === '0' ? '1' : '0'));
    const fake = await payout(`0x${hex.slice(0, 4)}${middle}${hex.slice(-4)}`, 100);
    expect(fake.status).toBe('needs_approval');
    const card = page.locator(`[data-request-id="${fake.spend_request_id}"]`);
    const details = card.getByRole('region', { name: 'Payout' });
    await expect(details).toContainText('an address not in your address book');
    await expect(details.getByRole('alert')).toContainText('looks like Alice (contractor)');
    await expect(details.getByText('first payout')).toBeVisible();
    await card.getByRole('button', { name: 'Decline' }).click();
    await expect(card).toHaveCount(0);

    // Alice herself, above the approval threshold: the prompt names her, in full.
    const real = await payout(alice.id, 150);
    expect(real.status).toBe('needs_approval');
    const realCard = page.locator(`[data-request-id="${real.spend_request_id}"]`);
    const realDetails = realCard.getByRole('region', { name: 'Payout' });
    await expect(realCard).toContainText(
      'research-bot asks to pay out $1.50 to Alice (contractor)',
    );
    await expect(realDetails).toContainText('Alice (contractor)');
    await expect(realDetails.locator('code.address').first()).toHaveText(saved);
    await expect(realDetails).toContainText('local (eip155:31337)');
    await expect(realDetails).toContainText(world.usdc.address);
    await expect(realDetails).toContainText('$1.50 (1500000 units)');
    await readmeScreenshot(page, 'payout-approval');
    await expectAccessible(page);
    await realCard.getByRole('button', { name: 'Approve' }).click();
    await expect(realCard).toHaveCount(0);
    let status = '';
    for (let i = 0; i < 10 && status !== 'completed'; i += 1) {
      status = await fetch(`${purser.url}/v1/crypto/payout-intents/${real.id}?wait=5`, {
        headers: { authorization: `Bearer ${payer.key}` },
      })
        .then((r) => r.json() as Promise<{ status: string }>)
        .then((p) => p.status);
    }
    expect(status).toBe('completed');
  });

  test('panic revokes every allowance on chain, and the page shows each revoke confirmed', async ({
    page,
  }) => {
    for (const [i, holder] of holders.entries()) {
      await owner('PUT', `/admin/v1/agents/${holder.id}/allowance`, {
        spender: world.spares[i]?.address,
        amount_cents: 500 * (i + 1),
      });
    }
    await purser.open(page, 'wallet');
    const table = page.getByRole('table', { name: 'Allowances' });
    const rowOf = (h: { id: string }) => table.locator(`[data-allowance-agent-id="${h.id}"]`);
    const [ops, trader] = holders.map(rowOf);
    if (!ops || !trader) throw new Error('two agents with allowances');
    await expect(ops).toContainText('ops-bot');
    await expect(ops).toContainText('$5.00 (5000000 units)');
    await expect(trader).toContainText('$10.00 (10000000 units)');
    for (const row of [ops, trader]) await expect(row).toHaveAttribute('data-status', 'active');

    await page.getByRole('button', { name: 'Panic: freeze all' }).click();
    await page
      .getByRole('group', { name: 'Confirm freezing every agent' })
      .getByRole('button', { name: 'Freeze all' })
      .click();
    await expect(page.getByText('All spending is frozen')).toBeVisible();

    const log = page.getByRole('log', { name: 'On-chain activity' });
    const revoked = log.locator('[data-kind="allowance_revoked"]');
    await expect(revoked).toHaveCount(2, { timeout: 30_000 });
    for (const [i, holder] of holders.entries()) {
      const item = revoked.filter({ hasText: holder.name });
      await expect(item).toContainText(/Allowance revoked · \S+ · tx 0x[0-9a-f]{64}/);
      const hash = (await item.locator('code.hash').textContent()) ?? '';
      const row = rowOf(holder);
      await expect(row).toHaveAttribute('data-status', 'revoked');
      await expect(row.locator('.status')).toHaveText('revoked');
      await expect(row).toContainText(`last tx ${hash}`);
      await expect(row.getByRole('button', { name: /Revoke allowance/ })).toHaveCount(0);
      expect(await allowanceOf(world, world.owner.address, world.spares[i]?.address ?? '0x')).toBe(
        0n,
      );
    }
    await expect(ops).toContainText('$0.00 (0 units)'); // what the chain now says is left
    await readmeScreenshot(page, 'wallet');
  });
});
