import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * The window's bundle budget (README, Performance): ≤ 300 KB gzipped, what a browser
 * downloads from `purser serve`. `npm test` builds the window before the tests run.
 */
const assets = join(import.meta.dirname, '..', '..', 'out', 'renderer', 'assets');
const built = existsSync(assets);
if (!built) console.warn(`renderer bundle test skipped: ${assets} not built (run npm run build)`);

describe.skipIf(!built)('the renderer bundle', () => {
  it('is at most 300 KB gzipped, scripts and styles together, and minified', () => {
    const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const file of files) {
      const content = readFileSync(join(assets, file));
      gzipped += gzipSync(content, { level: 9 }).length;
      // An unminified build starts with the bundler's commented runtime and keeps
      // indentation: 1.4 MB before minify was turned on in electron.vite.config.ts.
      if (file.endsWith('.js')) expect(content.toString('utf8', 0, 2000)).not.toMatch(/\n {2}/);
    }
    console.log(`renderer bundle: ${(gzipped / 1024).toFixed(0)} KB gzipped (${files.join(', ')})`);
    expect(gzipped).toBeLessThanOrEqual(300 * 1024);
  });
});
