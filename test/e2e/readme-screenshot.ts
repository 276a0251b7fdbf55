import type { Page } from '@playwright/test';

/**
 * A page as the README shows it. The tests take it on every run (and so check the page can
 * be drawn), into test-results/; `PURSER_SCREENSHOTS=1 npm run test:e2e` writes them to
 * docs/screenshots/, where the README links them, so that a plain test run leaves the
 * checkout as it was.
 */
export async function readmeScreenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.PURSER_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results';
  await page.screenshot({ path: `${folder}/${name}.png`, fullPage: true });
}
