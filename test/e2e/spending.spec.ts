/**
 * The Spending view in Chromium against a real `purser serve`, with every agent a separate
 * process (`purser spend`, `purser receipt`, holding only its key and Purser's URL): the
 * page's figures, by agent, merchant, category and rail, equal the sums of the ledger
 * export's entries for the range on screen (the file the page's own Export button
 * downloads, and the whole ledger from `purser ledger export` cut to the range here), and a
 * new spend moves them live. Then axe-core in both themes at 1280×800 and 800 px wide, and
 * the README's screenshots.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { formatUsd } from '../../shared/money';
import { expectAxeClean, expectNoSidewaysScroll } from './a11y';
import { expect, sharedPurser, test } from './fixtures';
import { agentProcess, parseCsv, stopAgents } from './journey-processes';
import { readmeScreenshot } from './readme-screenshot';

const purser = sharedPurser({ label: 'spending' });
let research: { id: string; key: string };
let crawler: { id: string; key: string };

/** `purser ARGS` as one agent's own process; resolves to its exit code. */
async function agent(who: { key: string }, ...args: string[]): Promise<number | null> {
  const { code, stderr } = await agentProcess([...args, '--json'], who.key, purser.url).done;
  if (code !== 0 && code !== 10 && code !== 11)
    throw new Error(`purser ${args.join(' ')} exited ${code}: ${stderr}`);
  return code;
}

const spend = (who: { key: string }, cents: number, merchant: string, ...more: string[]) =>
  agent(
    who,
    'spend',
    '--amount-cents',
    String(cents),
    '--merchant',
    merchant,
    '--reason',
    'Nightly evaluation',
    ...more,
  );

test.beforeAll(async () => {
  research = await purser.agentWithKey(
    'research-bot',
    ['--budget-cents', '100000', '--approval-threshold-cents', '30000'],
    200_000,
  );
  crawler = await purser.agentWithKey('crawler', [
    '--budget-cents',
    '100000',
    '--max-transaction-cents',
    '40000',
  ]);
  await purser.json('settings', 'set', '--global-cap-cents', '50000');
  // Approved, with categories; declined (above the crawler's largest spend); a receipt on the
  // card rail; refused by the global cap ($150 + $25 + $4 spent, $400 more would pass $500).
  expect(await spend(research, 12_000, 'GPU Cloud', '--category', 'compute')).toBe(0);
  expect(await spend(research, 3_000, 'OpenAI', '--category', 'models')).toBe(0);
  expect(await spend(crawler, 60_000, 'Common Crawl')).toBe(10);
  expect(await spend(crawler, 2_500, 'Common Crawl', '--category', 'data')).toBe(0);
  expect(
    await agent(
      crawler,
      'receipt',
      '--amount-cents',
      '400',
      '--merchant',
      'Proxy Co',
      '--rail',
      'card',
    ),
  ).toBe(0);
  expect(await spend(crawler, 40_000, 'Common Crawl')).toBe(10);
});
test.afterEach(stopAgents);

/** One entry of the export, as the test needs it (CSV and JSON alike). */
interface Entry {
  time: string;
  type: string;
  mode: string | null;
  agent_id: string | null;
  amount_micros: string | null;
  counted_micros: string;
  merchant: string | null;
  rail: string | null;
  category: string | null;
}

type Group = 'agent' | 'merchant' | 'category' | 'rail';
const ATTEMPTS = ['spend.approved', 'spend.declined', 'spend.refused'];

interface Sums {
  spent: bigint;
  approved: number;
  declined: number;
  refused: number;
  declinedAsked: bigint;
  refusedAsked: bigint;
}

/** The Spending view's figures from an export alone (docs/spending.md). */
function sumsOf(entries: Entry[], group: Group): { total: Sums; groups: Map<string, Sums> } {
  const zero = (): Sums => ({
    spent: 0n,
    approved: 0,
    declined: 0,
    refused: 0,
    declinedAsked: 0n,
    refusedAsked: 0n,
  });
  const total = zero();
  const groups = new Map<string, Sums>();
  for (const e of entries) {
    if (e.counted_micros === '0' && !ATTEMPTS.includes(e.type)) continue;
    const key =
      (group === 'agent'
        ? e.agent_id
        : group === 'merchant'
          ? e.merchant
          : group === 'rail'
            ? e.rail
            : e.category) ?? '';
    const g = groups.get(key) ?? zero();
    for (const s of [g, total]) {
      s.spent += BigInt(e.counted_micros);
      const asked = BigInt(e.amount_micros ?? '0');
      if (e.type === 'spend.approved') s.approved += 1;
      if (e.type === 'spend.declined') {
        s.declined += 1;
        s.declinedAsked += asked;
      }
      if (e.type === 'spend.refused') {
        s.refused += 1;
        s.refusedAsked += asked;
      }
    }
    groups.set(key, g);
  }
  return { total, groups };
}

/** A row's cells as the page writes them. */
function cellsOf(s: Sums) {
  const attempts = (n: number, asked: bigint) => (n === 0 ? '0' : `${n} (${formatUsd(asked)})`);
  return {
    spent: formatUsd(s.spent),
    approved: String(s.approved),
    declined: attempts(s.declined, s.declinedAsked),
    refused: attempts(s.refused, s.refusedAsked),
  };
}

async function rowCells(row: Locator) {
  const cell = (col: string) => row.locator(`[data-col="${col}"]`).innerText();
  return {
    spent: await cell('spent'),
    approved: await cell('approved'),
    declined: await cell('declined'),
    refused: await cell('refused'),
  };
}

/** The range on screen: `[from, to)` as the page read it. */
async function rangeOnScreen(page: Page): Promise<{ from: string; to: string }> {
  const range = page.locator('.spending-range');
  return {
    from: (await range.getAttribute('data-range-from')) ?? '',
    to: (await range.getAttribute('data-range-to')) ?? '',
  };
}

/** Every entry of the ledger, from the owner's terminal, cut here to `[from, to)`. */
async function cliExport(from: string, to: string): Promise<Entry[]> {
  const result = await purser.cli('ledger', 'export', '--format', 'json');
  expect(result.code).toBe(0);
  const all = JSON.parse(result.stdout) as Array<Entry & { data: { category?: string } }>;
  return all
    .filter((e) => Date.parse(e.time) >= Date.parse(from) && Date.parse(e.time) < Date.parse(to))
    .map((e) => ({ ...e, category: e.data.category ?? null }));
}

/** The CSV the page's Export button downloads for the range on screen. */
async function pageExport(page: Page): Promise<Entry[]> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export this range (CSV)' }).click();
  const file = await (await download).path();
  const [head, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = (name: string) => head?.indexOf(name) ?? -1;
  const text = (row: string[], name: string) => {
    const v = row[col(name)] ?? '';
    return v === '' ? null : v;
  };
  return rows.map((row) => ({
    time: row[col('time')] ?? '',
    type: row[col('type')] ?? '',
    mode: text(row, 'mode'),
    agent_id: text(row, 'agent_id'),
    amount_micros: text(row, 'amount_micros'),
    counted_micros: row[col('counted_micros')] ?? '0',
    merchant: text(row, 'merchant'),
    rail: text(row, 'rail'),
    category: ((JSON.parse(row[col('data')] ?? '{}') as { category?: string }).category ?? null) as
      string | null,
  }));
}

/** The page's table, total row and summary equal the sums of `entries`, grouped by `group`. */
async function expectFigures(page: Page, entries: Entry[], group: Group) {
  const { total, groups } = sumsOf(entries, group);
  const table = page.locator('.spending table[aria-label^="Spending by"]');
  await expect(table.locator('tbody tr[data-group-key]')).toHaveCount(groups.size);
  for (const [key, sums] of groups) {
    const row = table.locator(`tbody tr[data-group-key="${key}"]`);
    expect({ group, key, ...(await rowCells(row)) }).toEqual({ group, key, ...cellsOf(sums) });
  }
  expect(await rowCells(table.locator('tfoot tr'))).toEqual(cellsOf(total));
  await expect(page.locator('[data-figure="spent"]')).toContainText(formatUsd(total.spent));
  await expect(page.locator('[data-figure="declined"]')).toHaveText(`${total.declined} declined`);
  await expect(page.locator('[data-figure="refused"]')).toHaveText(`${total.refused} refused`);
}

const groupBy = (page: Page) => page.getByLabel('Group by');

test('the Spending view’s figures equal the ledger export’s for the same range', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await purser.open(page);
  // In the navigation after the Ledger.
  const nav = page.getByRole('navigation').first().getByRole('link');
  await expect(nav).toHaveText([
    'Overview',
    'Approvals',
    'Agents',
    'Wallet',
    'Ledger',
    'Spending',
    'Settings',
  ]);
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Spending' })
    .click();
  await expect(page).toHaveURL(/#\/spending$/);
  await expect(page.getByRole('heading', { name: 'Spending', level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Month', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.locator('[data-figure="spent"]')).toContainText('$179.00');

  // This month: every grouping against the page's own export and the CLI's, cut to the range.
  const month = await rangeOnScreen(page);
  const downloaded = await pageExport(page);
  const exported = await cliExport(month.from, month.to);
  expect(downloaded.map((e) => e.counted_micros)).toEqual(exported.map((e) => e.counted_micros));
  for (const group of ['agent', 'merchant', 'category', 'rail'] as const) {
    await groupBy(page).selectOption(group);
    await expect(page.locator(`.spending table[aria-label="Spending by ${group}"]`)).toBeVisible();
    await expectFigures(page, exported, group);
  }
  // By hand, once: research-bot $150 of $179; crawler one declined and one refused attempt.
  await groupBy(page).selectOption('agent');
  const researchRow = page.locator(`tr[data-group-key="${research.id}"]`);
  await expect(researchRow.locator('th')).toHaveText('research-bot');
  expect(await rowCells(researchRow)).toEqual({
    spent: '$150.00',
    approved: '2',
    declined: '0',
    refused: '0',
  });
  expect(await rowCells(page.locator(`tr[data-group-key="${crawler.id}"]`))).toEqual({
    spent: '$29.00',
    approved: '1',
    declined: '1 ($600.00)',
    refused: '1 ($400.00)',
  });

  // Live: an agent's new spend moves the figures without a reload.
  expect(await spend(research, 1_000, 'OpenAI', '--category', 'models')).toBe(0);
  await expect(page.locator('[data-figure="spent"]')).toContainText('$189.00');
  await expectFigures(page, await cliExport(month.from, month.to), 'agent');

  // Custom, from the month on screen: its first and last days, the same range and figures.
  await page.getByRole('button', { name: 'Custom', exact: true }).click();
  const first = page.getByLabel('First day');
  const last = page.getByLabel('Last day');
  await expect(first).toBeVisible();
  expect(await rangeOnScreen(page)).toEqual(month);
  const monthEnd = await last.inputValue();
  await last.fill('2000-01-01');
  await expect(page.getByRole('alert')).toContainText('Pick a first day and a last day');
  await last.fill(monthEnd);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expectFigures(page, await cliExport(month.from, month.to), 'agent');

  // Today: the same equality over its range; the day before has nothing.
  await page.getByRole('button', { name: 'Day', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Day', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect
    .poll(async () => {
      const r = await rangeOnScreen(page);
      return Date.parse(r.to) - Date.parse(r.from);
    })
    .toBeLessThanOrEqual(25 * 3_600_000);
  const day = await rangeOnScreen(page);
  await expectFigures(page, await cliExport(day.from, day.to), 'agent');
  await page.getByRole('button', { name: /Previous day/ }).click();
  await expect(page.locator('.spending-range')).toHaveAttribute('data-range-to', day.from);
  await expect(page.getByText('No spending or spend attempts in this range.')).toBeVisible();
  await expect(page.getByText('Nothing spent in this range.')).toBeVisible();
});

test('reads well in both themes, wide and narrow (axe-core)', async ({ page }) => {
  await purser.open(page, 'spending');
  await expect(page.locator('.spending[data-ready="true"]')).toBeVisible();
  await groupBy(page).selectOption('merchant');
  await expect(page.locator('tr[data-group-key="Common Crawl"]')).toBeVisible();
  for (const [width, height] of [
    [1280, 800],
    [800, 900],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expectAxeClean(page, `${width}px`);
  }
  // Narrow, nothing is cut off or scrolls sideways.
  await page.screenshot({ path: 'test-results/spending-narrow.png', fullPage: true });
  await expectNoSidewaysScroll(page, 'narrow');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  await readmeScreenshot(page, 'spending');
  await page.emulateMedia({ colorScheme: 'dark' });
  await readmeScreenshot(page, 'spending-dark');
});
