/**
 * The Ledger page in Chromium against `purser serve`, with a few thousand entries made
 * through the agent API: newest first, filters by agent and kind, an export of exactly the
 * filtered view, "verify chain" with its progress and result, scrolling deep (older pages
 * read, far ones dropped), newer entries offered, an accessibility check in light and dark,
 * the screenshot of docs/screenshots/ledger.png, and last a tampered entry reported.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import { type Page } from '@playwright/test';
import { expect, sharedPurser, test } from './fixtures';
import { readmeScreenshot } from './readme-screenshot';

const purser = sharedPurser({ label: 'ledger' });
let research: { id: string; key: string };
let crawler: { id: string; key: string };
const SPENDS = 2400;

async function owner<T>(path: string): Promise<T> {
  const token = readFileSync(join(purser.home, 'owner-token'), 'utf8').trim();
  const response = await fetch(`${purser.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

async function spend(key: string, cents: number, merchant: string): Promise<void> {
  const response = await fetch(`${purser.url}/v1/spend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      amount_cents: cents,
      currency: 'usd',
      merchant_name: merchant,
      reason: 'batch job',
    }),
  });
  if (!response.ok) throw new Error(`spend: ${response.status} ${await response.text()}`);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const flags = ['--budget-cents', '100000000', '--rate-limit-per-minute', '1000000'];
  research = await purser.agentWithKey(
    'research-bot',
    // Many requests wait for the owner here: above the default cap of 20 waiting at once.
    [...flags, '--approval-threshold-cents', '20000', '--max-pending', '1000'],
    50_000_000,
  );
  crawler = await purser.agentWithKey('crawler', flags, 0);
  // Sixteen at a time: every one is an entry (approved, or waiting for the owner).
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < SPENDS; i = next++) {
        if (i % 2 === 0)
          await spend(
            research.key,
            i % 25 === 0 ? 25_000 : 100 + (i % 900),
            i % 4 ? 'AWS' : 'OpenAI',
          );
        else await spend(crawler.key, 50 + (i % 300), i % 3 ? 'Hetzner' : 'GitHub');
      }
    }),
  );
});

async function openLedger(page: Page): Promise<void> {
  await page.goto(await purser.loginLink());
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Ledger' })
    .click();
  await expect(page).toHaveURL(/#\/ledger$/);
  await expect(page.getByRole('heading', { name: 'Ledger', level: 2 })).toBeVisible();
  await expect(page.locator('.ledger-scroll')).toHaveAttribute('aria-busy', 'false');
}

const rows = (page: Page) => page.locator('.ledger-body [data-seq]');
const table = (page: Page) => page.locator('.ledger-scroll');

/** Every entry the API selects for this query, through the export, for counting. */
async function expected(query: Record<string, string>) {
  const token = readFileSync(join(purser.home, 'owner-token'), 'utf8').trim();
  const response = await fetch(
    `${purser.url}/admin/v1/ledger/export?${new URLSearchParams({ ...query, format: 'json' })}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  return (await response.json()) as Array<{ seq: number; type: string; agent_id: string | null }>;
}

test('newest first; filters by agent and kind; exports exactly the filtered view', async ({
  page,
}) => {
  await openLedger(page);
  const newest = (await owner<{ entries: Array<{ seq: number }> }>('/admin/v1/ledger?limit=1'))
    .entries[0]?.seq;
  expect(newest).toBeGreaterThan(SPENDS);
  await expect(rows(page).first()).toHaveAttribute('data-seq', String(newest));
  await expect(page.locator('.ledger-body [aria-rowindex="2"]')).toContainText(`#${newest}`);

  await page.getByLabel('Agent').selectOption({ label: 'research-bot' });
  await expect(table(page)).toHaveAttribute('aria-busy', 'false');
  await expect(rows(page).first()).toHaveAttribute('data-agent', research.id);
  for (const agent of await rows(page).evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-agent')),
  ))
    expect(agent).toBe(research.id);

  await page.getByLabel('Kind').selectOption('spend.needs_approval');
  const waiting = await expected({ agent_id: research.id, type: 'spend.needs_approval' });
  expect(waiting.length).toBe(SPENDS / 50);
  await expect(page.locator('.ledger-count')).toHaveText(
    `${waiting.length} entries: the end of the ledger.`,
  );
  const shown = await rows(page).evaluateAll((els) =>
    els.map((e) => [Number(e.getAttribute('data-seq')), e.getAttribute('data-type')] as const),
  );
  // Only the rows on screen are in the page: the newest of them, in order.
  expect(shown.length).toBeGreaterThan(10);
  expect(shown.length).toBeLessThan(waiting.length);
  expect(shown.map(([seq]) => seq)).toEqual(
    waiting
      .map((e) => e.seq)
      .reverse()
      .slice(0, shown.length),
  );
  expect(new Set(shown.map(([, type]) => type))).toEqual(new Set(['spend.needs_approval']));
  await expect(page.locator('.ledger-export .hint')).toHaveText('Exports the filtered view.');

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/^purser-ledger-filtered-\d{8}-\d{6}\.csv$/);
  const lines = readFileSync((await csv.path()) ?? '', 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toMatch(/^seq,time,type,actor,mode,agent_id,/);
  expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(waiting.map((e) => e.seq));
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    expect([cells[2], cells[5]]).toEqual(['spend.needs_approval', research.id]);
  }

  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const exportedJson = JSON.parse(
    readFileSync((await (await jsonDownload).path()) ?? '', 'utf8'),
  ) as Array<{ seq: number; type: string; agent_id: string }>;
  expect(exportedJson.map((e) => e.seq)).toEqual(waiting.map((e) => e.seq));
  expect(
    exportedJson.every((e) => e.type === 'spend.needs_approval' && e.agent_id === research.id),
  ).toBe(true);

  // The details of one entry, every column of it.
  await rows(page).first().getByRole('button').click();
  const details = page.getByRole('region', { name: /^Entry #\d+$/ });
  await expect(details).toContainText('spend.needs_approval');
  await expect(details).toContainText('$250.00');
  await expect(details).toContainText('research-bot');
  await details.getByRole('button', { name: 'Close' }).click();
  await expect(details).toHaveCount(0);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows(page).first()).toHaveAttribute('data-seq', String(newest));
});

test('verify chain shows its progress, then "verified"', async ({ page }) => {
  await openLedger(page);
  // Every text the status line shows, however briefly.
  await page.evaluate(() => {
    const texts: string[] = [];
    (window as unknown as { verifyTexts: string[] }).verifyTexts = texts;
    const target = document.querySelector('.ledger-verify') as HTMLElement;
    new MutationObserver(() => {
      const text = target.querySelector('[role=status]')?.textContent ?? '';
      if (texts.at(-1) !== text) texts.push(text);
    }).observe(target, { subtree: true, childList: true, characterData: true });
  });
  const total = Number(
    (await owner<{ entries: Array<{ seq: number }> }>('/admin/v1/ledger?limit=1')).entries[0]?.seq,
  );
  await page.getByRole('button', { name: 'Verify chain' }).click();
  const status = page.locator('.ledger-verify [role=status]');
  await expect(status).toContainText(
    `Chain verified: all ${total.toLocaleString('en-US')} entries are intact`,
  );
  const progress = page.getByRole('progressbar', { name: 'Entries verified' });
  await expect(progress).toHaveAttribute('value', String(total));
  await expect(progress).toHaveAttribute('max', String(total));
  const texts = await page.evaluate(
    () => (window as unknown as { verifyTexts: string[] }).verifyTexts,
  );
  expect(texts.some((t) => /^Verifying: [\d,]+ of [\d,]+ entries checked…$/.test(t))).toBe(true);
  await expect(page.getByRole('button', { name: 'Verify chain' })).toBeEnabled();

  // A verification the CLI runs is the same one the window reports.
  const cli = await purser.cli('ledger', 'verify');
  expect(cli.code, cli.stderr).toBe(0);
  expect(cli.stdout).toMatch(new RegExp(`^ok: ${total} entries, head [0-9a-f]{64}`));
  expect(cli.stderr).toBe(''); // not a terminal: no progress bar
});

test('scrolling deep reads older pages and drops far ones; newer entries are offered', async ({
  page,
}) => {
  await openLedger(page);
  const newest = Number(await rows(page).first().getAttribute('data-seq'));
  const scroll = table(page);
  // Scrolled to the bottom until the end is read: by time, not by steps, since each page is
  // a read from the server and a busy machine answers slower.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const state = await scroll.evaluate(async (el) => {
      el.scrollTop = el.scrollHeight;
      await new Promise((resolve) => setTimeout(resolve, 60));
      return { known: Number(el.dataset.known), end: el.dataset.end === 'true' };
    });
    if (state.end) break;
  }
  await expect(scroll).toHaveAttribute('data-end', 'true');
  await expect(scroll).toHaveAttribute('data-known', String(newest));
  await expect(page.locator('.ledger-count')).toHaveText(
    `${newest.toLocaleString('en-US')} entries: the end of the ledger.`,
  );
  // The oldest entries are on screen; only a window of pages is held, a few dozen rows drawn.
  await expect(page.locator('.ledger-body [data-seq="1"]')).toBeVisible();
  const held = Number(await scroll.getAttribute('data-rows-held'));
  expect(held).toBeGreaterThan(0);
  expect(held).toBeLessThanOrEqual(1200);
  expect(await page.locator('.ledger-body [role=row]').count()).toBeLessThan(80);
  await expect(page.locator('.ledger-body [data-seq]').last()).toHaveAttribute('data-seq', '1');

  // Somewhere in the middle: its page was dropped, and is read again with the same rows.
  await scroll.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  const middle = page.locator('.ledger-body [data-seq]').first();
  await expect(middle).toBeVisible();
  const index = Number(await middle.getAttribute('aria-rowindex'));
  expect(Number(await middle.getAttribute('data-seq'))).toBe(newest - (index - 2));

  // A new entry while the view is down there: offered, then shown at the top.
  await spend(crawler.key, 123, 'Newcomer');
  await expect(page.getByRole('status').filter({ hasText: 'Newer entries match' })).toBeVisible({
    timeout: 10_000,
  });
  await page.getByRole('button', { name: 'Show newest' }).click();
  await expect(rows(page).first()).toHaveAttribute('data-seq', String(newest + 1));
  await expect(rows(page).first()).toContainText('Newcomer');
  await expect(rows(page).first()).toContainText('$1.23');

  // At the top, newer entries simply appear.
  await spend(crawler.key, 456, 'Latecomer');
  await expect(rows(page).first()).toHaveAttribute('data-seq', String(newest + 2), {
    timeout: 10_000,
  });
  await expect(rows(page).first()).toContainText('Latecomer');
  await expect(page.getByRole('status').filter({ hasText: 'Newer entries match' })).toHaveCount(0);
});

test('has no serious accessibility problems', async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 1000 });
  await openLedger(page);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.locator('.ledger-verify .verified')).toBeVisible();
  await rows(page).nth(2).getByRole('button').click();
  await expect(page.getByRole('region', { name: /^Entry #/ })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).include('main').analyze();
    const serious = results.violations.filter((v) =>
      ['serious', 'critical'].includes(v.impact ?? ''),
    );
    expect(
      serious.map((v) => `${scheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // docs/screenshots/ledger.png with PURSER_SCREENSHOTS=1, else under test-results/.
  await readmeScreenshot(page, 'ledger');
});

// Last: it alters the database under the running server.
test('a tampered entry is reported as broken', async ({ page }) => {
  const db = new Database(join(purser.home, 'purser.db'));
  db.exec('DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete;');
  db.prepare("UPDATE ledger SET merchant = 'Evil Corp' WHERE seq = ?").run(1234);
  db.close();
  await openLedger(page);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  const alert = page.locator('.ledger-verify [role=alert]');
  await expect(alert).toContainText(
    'Chain BROKEN at entry 1234: entry 1234 was changed after it was written (edited_entry). 1,233 entries before it are intact.',
  );
  await expect(page.getByRole('progressbar', { name: 'Entries verified' })).toHaveCount(0);
  await expect(page.locator('.ledger-verify .verified')).toHaveCount(0);
});
