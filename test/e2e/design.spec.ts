/**
 * The finished look (docs/design.md), page by page, against a real `purser serve`: every
 * page the navigation links to, at 1280×800 and 800 px wide, in light and dark. Each is
 * drawn without a sideways scroll, keeps Panic and Log out apart from the navigation, and
 * passes axe-core with nothing serious. The screenshots land in test-results/ to look at.
 */
import AxeBuilder from '@axe-core/playwright';
import { runCli } from '../helpers/cli';
import { expectNoSidewaysScroll } from './a11y';
import { expect, sharedPurser, test } from './fixtures';

const purser = sharedPurser({ label: 'design' });

test.beforeAll(async () => {
  // Something on every page: an agent with a budget, a key and a spend.
  const agent = await purser.agentWithKey('research-bot', ['--budget-cents', '50000'], 100_000);
  const spent = await runCli(
    ['spend', '--amount-cents', '1200', '--merchant', 'OpenAI', '--reason', 'Evaluation run'],
    { PURSER_KEY: agent.key, PURSER_URL: purser.url },
  );
  expect(spent.code, spent.stderr).toBe(0);
});

const SIZES = [
  { width: 1280, height: 800 },
  { width: 800, height: 800 },
] as const;

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every page, ${colorScheme}, at 1280 and 800 px`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize(SIZES[0]);
    await purser.open(page);
    const nav = page.getByRole('navigation', { name: 'Pages' });
    const hrefs = await nav
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThanOrEqual(6);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const href of hrefs) {
        await page.goto(`${purser.url}/app/${href}`);
        await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
        const name = href.replace('#/', '');
        await expectNoSidewaysScroll(page, `${name} at ${size.width} px`);
        // Panic and Log out sit apart from the pages, at the header's end.
        const navBox = await nav.boundingBox();
        const actions = await page.locator('.top-actions').boundingBox();
        expect(navBox && actions).toBeTruthy();
        if (navBox && actions) {
          const apart =
            actions.x >= navBox.x + navBox.width || actions.y >= navBox.y + navBox.height;
          expect(apart, `${name}: the header's buttons overlap the navigation`).toBe(true);
        }
        const axe = await new AxeBuilder({ page }).analyze();
        const serious = axe.violations.filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(
          serious.map((v) => `${name} ${size.width}px ${colorScheme}: ${v.id}: ${v.help}`),
        ).toEqual([]);
        await page.screenshot({
          path: `test-results/design-${name}-${size.width}-${colorScheme}.png`,
          fullPage: true,
        });
      }
    }
  });
}
