import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The data folder: `PURSER_HOME`, else the platform's app-data folder for Purser (the same
 * folder Electron's `app.getPath('userData')` gives the desktop app, so the CLI and the
 * window find one database).
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PURSER_HOME) return env.PURSER_HOME;
  switch (process.platform) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Purser');
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Purser');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Purser');
  }
}

/** Creates the data folder if needed and makes sure only its owner can enter it. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

export const DB_FILE = 'purser.db';
export const SERVER_FILE = 'server.json';
export const OWNER_TOKEN_FILE = 'owner-token';

/** Writes a file only its owner can read, whatever mode an older copy had. */
export function writePrivateFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(path, 0o600);
}
