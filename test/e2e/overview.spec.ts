/**
 * The Overview, the window's first page, in Chromium against a real `purser serve`, with
 * every agent a separate process (`purser spend`, holding only its key and Purser's URL):
 * a spend, a pending request and a paused agent reach it live, without a reload, and each
 * waiting thing links to where it is acted on. Then an accessibility check in both themes
 * at 1280×800 and 800 px wide, and the README's screenshots.
 */
import type { Page } from '@playwright/test';
import { expectAxeClean, expectNoSidewaysScroll } from './a11y';
import { expect, sharedPurser, test } from './fixtures';
import { agentProcess, stopAgents } from './journey-processes';
import { readmeScreenshot } from './readme-screenshot';

const purser = sharedPurser({ label: 'overview' });
/** A cold `purser` process starting, on a busy 2-core machine. */
const STARTS_MS = 20_000;
let research: { id: string; key: string };
let crawler: { id: string; key: string };

test.beforeAll(async () => {
  research = await purser.agentWithKey('research-bot', [
    '--budget-cents',
    '100000',
    '--approval-threshold-cents',
    '20000',
  ]);
  crawler = await purser.agentWithKey('crawler', ['--budget-cents', '50000']);
  await purser.json('settings', 'set', '--global-cap-cents', '200000');
});
test.afterEach(stopAgents);

/** `purser spend` as research-bot's own process; resolves to its exit code. */
async function spend(cents: number, merchant: string): Promise<number | null> {
  const run = agentProcess(
    [
      'spend',
      '--amount-cents',
      String(cents),
      '--merchant',
      merchant,
      '--reason',
      'Evaluation run',
      '--json',
    ],
    research.key,
    purser.url,
  );
  const { code, stderr } = await run.done;
  if (code !== 0 && code !== 11) throw new Error(`purser spend exited ${code}: ${stderr}`);
  return code;
}

const panel = (page: Page, name: string) => page.getByRole('region', { name });

test('the first page reflects a spend, a pending request and a paused agent, live', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await purser.open(page);
  // The login link lands on the Overview, first in the navigation.
  await expect(page).toHaveURL(`${purser.url}/app/#/overview`);
  await expect(page.getByRole('heading', { name: 'Overview', level: 2 })).toBeVisible();
  const nav = page.getByRole('navigation').first().getByRole('link');
  await expect(nav.first()).toHaveText('Overview');
  await expect(nav.first()).toHaveAttribute('aria-current', 'page');

  const spent = panel(page, 'Spent across all agents');
  const waiting = panel(page, 'Waiting for you');
  const limits = panel(page, 'Nearest their limits');
  const activity = panel(page, 'Latest activity');
  await expect(spent.locator('[data-figure="today"]')).toContainText('$0.00');
  await expect(spent.locator('[data-figure="period"]')).toContainText(
    '$0.00of the $2,000.00 global cap · $2,000.00 left',
  );
  await expect(waiting).toContainText('Nothing waits for you.');

  // 1. A spend, by the agent's own process: the figures move without a reload.
  expect(await spend(12_000, 'GPU Cloud')).toBe(0);
  await expect(spent.locator('[data-figure="today"]')).toContainText('$120.00');
  await expect(spent.locator('[data-figure="period"]')).toContainText('$1,880.00 left');
  await expect(spent.getByRole('meter', { name: 'Global cap used' })).toHaveAttribute(
    'aria-valuenow',
    '6',
  );
  const researchRow = limits.locator(`[data-agent-id="${research.id}"]`);
  await expect(researchRow).toContainText('$120.00 of $1,000.00 this month · 12%');
  await expect(limits.locator('li').first()).toHaveAttribute('data-agent-id', research.id);
  await expect(activity.locator('li').first()).toContainText(
    'research-bot spent $120.00 at GPU Cloud',
  );

  // 2. A request above the threshold waits for the owner: it shows, with its age.
  expect(await spend(25_000, 'OpenAI')).toBe(11);
  const pending = waiting.locator('[data-waiting="spend_requests"]');
  await expect(pending).toContainText(/^1 spend request, waiting \d+ (s|min)$/, {
    timeout: STARTS_MS,
  });
  await expect(activity.locator('li').first()).toContainText(
    'research-bot asks to spend $250.00 at OpenAI',
  );
  await expect(page.getByRole('link', { name: /^Approvals/ })).toHaveAccessibleName(
    'Approvals 1 waiting',
  );
  // Pending money holds nothing: the figures are as they were.
  await expect(spent.locator('[data-figure="today"]')).toContainText('$120.00');

  // 3. The owner pauses an agent from a terminal: the window hears of it.
  await purser.json('agents', 'pause', crawler.id);
  const paused = waiting.locator('[data-waiting="paused_agents"]');
  await expect(paused).toHaveText('1 paused agent: crawler');
  await expect(limits.locator(`[data-agent-id="${crawler.id}"]`)).toContainText('paused');
  await expect(activity.locator('li').first()).toContainText('crawler was paused');

  // Each waiting thing is a link to where it is acted on.
  await paused.getByRole('link').click();
  await expect(page).toHaveURL(/#\/agents$/);
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Overview' })
    .click();
  await pending.getByRole('link').click();
  await expect(page).toHaveURL(/#\/approvals$/);
  await expect(page.locator('[data-request-id]')).toHaveCount(1);

  // Resumed, it no longer waits; the bare address is the Overview too.
  await purser.json('agents', 'resume', crawler.id);
  await page.goto(`${purser.url}/app/#/`);
  await expect(page.getByRole('heading', { name: 'Overview', level: 2 })).toBeVisible();
  await expect(waiting.locator('[data-waiting]')).toHaveCount(1);
  await expect(paused).toHaveCount(0);
});

test('reads well in both themes, wide and narrow (axe-core)', async ({ page }) => {
  // Something of each look on the page: a waiting request, a paused agent and its badge.
  await purser.json('agents', 'pause', crawler.id);
  await purser.open(page);
  await expect(page.locator('[data-waiting]')).toHaveCount(2);
  for (const [width, height] of [
    [1280, 800],
    [800, 900],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expectAxeClean(page, `${width}px`);
  }
  // Narrow, the panels stack in one column: none is cut off or scrolls sideways.
  await expectNoSidewaysScroll(page, 'narrow');
  await page.screenshot({ path: 'test-results/overview-narrow.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  await readmeScreenshot(page, 'overview');
  await page.emulateMedia({ colorScheme: 'dark' });
  await readmeScreenshot(page, 'overview-dark');
});
