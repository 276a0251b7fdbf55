import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * better-sqlite3 is a native module, and Electron has its own ABI. `npm start` builds a
 * copy for Electron into .electron-native/ (scripts in package.json) so that the copy in
 * node_modules stays built for Node, which the tests and `purser serve` use.
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
