import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is a native module, and Electron has its own ABI. `npm start`
 * (electron/bin/start.mjs) builds a copy for Electron into .electron-native/ so that the
 * copy in node_modules stays built for Node, which the tests and `purser serve` use. The
 * main process finds it here and passes its path in the wallet's start message; the
 * wallet's utility process runs Electron's Node, so the same build loads there.
 *
 * A packaged app has no .electron-native/: electron-builder rebuilds node_modules'
 * better-sqlite3 for Electron (npmRebuild) and unpacks its .node file from app.asar
 * (electron-builder.yml), and better-sqlite3 finds it itself (undefined here).
 */
export function electronSqliteBinding(appRoot: string): string | undefined {
  const candidate = join(
    appRoot,
    '.electron-native',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
  return existsSync(candidate) ? candidate : undefined;
}
