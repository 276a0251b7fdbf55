import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Explicit entries: the main process, the preload script and the renderer. Dependencies
// (better-sqlite3 above all, a native module) stay outside the bundle and are loaded from
// node_modules at run time.
const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: { input: { main: resolve(root, 'electron/main.ts') } },
    },
  },
  preload: {
    build: {
      rollupOptions: { input: { preload: resolve(root, 'electron/preload.ts') } },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: '/app/',
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
