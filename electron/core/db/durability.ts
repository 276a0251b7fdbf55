import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { PurserError } from '../errors';
import type { Db } from './types';

/**
 * When a committed transaction is on stable storage. The committer asks for it after every
 * COMMIT and answers nobody before it holds (docs/decision-order.md: fsync before the
 * answer).
 */
export interface Durability {
  /** Resolves once everything committed before the call is on disk. */
  flush(): Promise<void>;
  /** The same, blocking the thread: start-up, the one-commit-per-job path, a lone commit. */
  flushSync(): void;
  /**
   * Whether a commit with nothing else in hand should use flushSync. With nothing to
   * overlap the disk wait with, handing the fsync to another thread only adds the cost of
   * waking that thread and being woken by it.
   */
  readonly syncWhenAlone: boolean;
  /**
   * Throws once the disk has failed. The committers ask before BEGIN: a decision nobody can
   * be told about must not be committed either, or it would count after a restart.
   */
  assertWritable(): void;
  close(): void;
}

/**
 * SQLite makes each COMMIT durable itself (synchronous=FULL: the COMMIT call returns after
 * the fsync). Simple, and it blocks the thread for the length of the fsync. In-memory
 * databases and unit tests use it.
 */
export const sqliteFsync: Durability = {
  flush: () => Promise.resolve(),
  flushSync: () => undefined,
  syncWhenAlone: false,
  assertWritable: () => undefined,
  close: () => undefined,
};

export type FsyncFn = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void;

/**
 * Pipelined durability for a WAL database: SQLite writes each commit into the WAL without
 * waiting for the disk (synchronous=NORMAL), and this class fsyncs the WAL file on libuv's
 * thread pool. While one fsync runs, the event loop goes on parsing requests and deciding
 * the next batch; every commit made meanwhile shares the next fsync.
 *
 * Why this is as durable as synchronous=FULL:
 * - fsync flushes the whole file, whichever descriptor asks: an fsync that starts after a
 *   COMMIT returned covers that commit's WAL frames, its commit frame included;
 * - SQLite still syncs what consistency needs by itself at synchronous=NORMAL (the WAL
 *   before a checkpoint copies it back, the database file after, a new WAL header before
 *   frames are written over an old log), so a power cut leaves the database consistent and
 *   loses only commits whose fsync had not finished, which nobody was told about;
 * - the WAL file lives as long as any connection is open (SQLite deletes it on the last
 *   close), and this wallet's own connection is open until `close()`, so the descriptor
 *   always names the live WAL;
 * - on macOS libuv's fsync is F_FULLFSYNC, as `PRAGMA fullfsync` would be.
 *
 * A lone commit (nothing queued, nothing else waiting for the disk) is fsynced on the
 * calling thread instead (`syncWhenAlone`): there is no work to overlap with, and on the
 * machines we measured the two thread wake-ups of the pool cost more than they saved
 * (a sixth to a third of the CPU of a request at one connection).
 *
 * An fsync that fails leaves the page cache in an unknown state (a retry may "succeed"
 * without writing anything), so the first failure is final: every later flush is refused
 * until the wallet is restarted, and SQLite's recovery decides what is on disk.
 */
export class WalFsync implements Durability {
  /** The WAL's descriptor (a test checks it still names the live file). */
  readonly fd: number;
  private running = false;
  private failure: Error | undefined;
  /** Flushes asked for since the running fsync started: the next fsync is theirs. */
  private waiting: Array<{ resolve(): void; reject(e: Error): void }> = [];
  /** fsyncs issued on the pool and on the calling thread (tests check who shares them). */
  readonly stats = { fsyncs: 0, syncFsyncs: 0 };
  /**
   * A disk a test injected is asynchronous only (it holds or fails fsyncs by hand), so
   * then every flush goes through it; the real disk takes lone commits synchronously.
   */
  readonly syncWhenAlone: boolean;
  private readonly fsyncFn: FsyncFn;

  constructor(db: Db, injected?: FsyncFn) {
    this.fsyncFn = injected ?? fsync;
    this.syncWhenAlone = injected === undefined;
    // The WAL file exists from `journal_mode = WAL` on. Its directory entry is made durable
    // once here, as SQLite does for a new WAL at its first sync.
    this.fd = openSync(`${db.name}-wal`, 'r');
    syncDirectory(dirname(db.name));
    db.pragma('synchronous = NORMAL');
  }

  flush(): Promise<void> {
    if (this.failure) return Promise.reject(storageFailure());
    const done = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.pump();
    return done;
  }

  assertWritable(): void {
    if (this.failure) throw storageFailure();
  }

  flushSync(): void {
    this.assertWritable();
    this.stats.syncFsyncs += 1;
    try {
      fsyncSync(this.fd);
    } catch (error) {
      this.fail(error as Error);
      throw storageFailure();
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  /**
   * One fsync at a time. It answers exactly the flushes asked for before it started; those
   * asked for while it runs wait for the next one, which starts as soon as it ends.
   */
  private pump(): void {
    if (this.running || this.waiting.length === 0) return;
    this.running = true;
    const covered = this.waiting.splice(0);
    this.stats.fsyncs += 1;
    this.fsyncFn(this.fd, (error) => {
      this.running = false;
      if (error) {
        this.fail(error);
        for (const waiter of covered) waiter.reject(storageFailure());
        return;
      }
      for (const waiter of covered) waiter.resolve();
      this.pump();
    });
  }

  /** The first failure is final: it is logged once, and everyone waiting is refused. */
  private fail(error: Error): void {
    if (!this.failure) {
      console.error('purser: fsync of the write-ahead log failed; restart Purser', error);
      this.failure = error;
    }
    for (const waiter of this.waiting.splice(0)) waiter.reject(storageFailure());
  }
}

function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What callers see; the cause went to the log (internal_error never shows internals). */
function storageFailure(): PurserError {
  return new PurserError(
    'internal_error',
    'The wallet could not confirm a write to disk; restart Purser before trying again.',
  );
}
