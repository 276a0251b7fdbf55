import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Explicit entries: the main process, the wallet's utility process, the preload script and
// the renderer. Dependencies (better-sqlite3 above all, a native module) stay outside the
// bundle and are loaded from node_modules at run time.
const root = dirname(fileURLToPath(import.meta.url));

// Electron is an optional dependency: where its binary cannot be downloaded, npm leaves it
// out and Purser runs headless. electron-vite reads Electron's version to pick the Node
// target of the main bundle, so tell it the version package.json asks for.
if (!process.env.ELECTRON_MAJOR_VER) {
  try {
    createRequire(import.meta.url).resolve('electron/package.json');
  } catch {
    const wanted = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'))
      .optionalDependencies.electron as string;
    process.env.ELECTRON_MAJOR_VER = /\d+/.exec(wanted)?.[0] ?? '';
  }
}

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          main: resolve(root, 'electron/main.ts'),
          // The wallet's utility process (utilityProcess.fork in main.ts): out/main/wallet.js.
          wallet: resolve(root, 'electron/desktop/wallet-process.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { preload: resolve(root, 'electron/preload.ts') },
        // A sandboxed preload cannot be an ES module: CommonJS, out/preload/preload.cjs.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: '/app/',
    plugins: [react()],
    build: {
      // electron-vite leaves the renderer unminified by default; the window is also served
      // to a browser by `purser serve`, and the bundle's budget is 300 KB gzipped (README,
      // Performance).
      minify: true,
      // Vite warns past 500 kB of minified code; the budget that matters is what a browser
      // downloads, 300 KB gzipped, and test/integration/renderer-bundle.test.ts holds it.
      chunkSizeWarningLimit: 800,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
