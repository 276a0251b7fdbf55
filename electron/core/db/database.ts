import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE, ensurePrivateDir } from '../paths';
import { migrate } from './migrate';
import type { Db } from './types';

export interface OpenOptions {
  /** Path to a better-sqlite3 build for another ABI (Electron's); tests use the default. */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) the wallet database in `dir` and brings it to the current
 * schema. The file is created 0600 before SQLite touches it: SQLite gives the WAL and
 * shared-memory files the same mode as the database.
 */
export function openDatabase(dir: string, options: OpenOptions = {}): Db {
  ensurePrivateDir(dir);
  const file = join(dir, DB_FILE);
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  if (process.platform !== 'win32') chmodSync(file, 0o600);
  const db = new Database(
    file,
    options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
  );
  configure(db);
  migrate(db);
  return db;
}

/** An in-memory database with the same schema, for unit tests of the pure-ish parts. */
export function openMemoryDatabase(): Db {
  const db = new Database(':memory:');
  configure(db);
  migrate(db);
  return db;
}

function configure(db: Db): void {
  // WAL lets readers run beside the writer. synchronous=FULL (every commit fsyncs the WAL)
  // is the safe default for anything that opens the file, migrations included; the wallet
  // then takes the per-commit fsync off the event loop with WalFsync (durability.ts), which
  // sets NORMAL. fullfsync matters on macOS, where plain fsync does not flush the drive's
  // cache (SQLite still syncs at checkpoints).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('fullfsync = ON');
  db.pragma('checkpoint_fullfsync = ON');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Savepoints (one per job in a group commit) keep their undo pages in a sub-journal:
  // in memory, not in a temporary file on every job.
  db.pragma('temp_store = MEMORY');
  // SQLite's default page cache (2 MB), set here so that nobody raises it for speed: every
  // write transaction ends by walking the cache's hash table (pcache1TruncateUnsafe), so a
  // larger cache makes every COMMIT slower as it fills. At 64 MB that walk was 5 % of the
  // server's CPU under load, and growing with the run (docs/performance.md, "The page
  // cache"). Pages that fall out of it are read back from the OS's file cache.
  db.pragma('cache_size = -2000');
  // Amounts are 64-bit integers: read every integer as a bigint so none is rounded.
  db.defaultSafeIntegers(true);
}
