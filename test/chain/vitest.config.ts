import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Chain tests start a real Hardhat node and compile Solidity, so they run on their own:
// `npx vitest run --config test/chain/vitest.config.ts`. Timeouts cover a first solc compile
// (~10-20 s, cached afterwards) and the node's start.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/chain/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/helpers/build-cli.setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
