#!/usr/bin/env node
// The `purser` command: plain JavaScript built from electron/cli.ts into out/cli/ by
// `npm install` (the prepare script) and `npm run build` (electron/build/build-cli.mjs), so
// starting it compiles nothing and loads only the command it runs (docs/performance.md,
// "Cold start").
import { existsSync } from 'node:fs';

const built = new URL('../../out/cli/cli.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'purser: the command is not built (out/cli/ is missing). Run `npm run build:cli` in ' +
      "Purser's folder (npm install does it too), then try again.\n",
  );
  process.exit(2);
}
const { main } = await import(built.href);
await main(process.argv);
