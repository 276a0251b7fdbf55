import type { Db } from './types';
import { sqliteFsync, type Durability } from './durability';

/** What a write job may do besides writing: schedule work for after its commit. */
export interface TxContext {
  /** Runs after the transaction holding this job is durably committed (events, wake-ups). */
  afterCommit(effect: () => void): void;
}

export type Job<T> = (tx: TxContext) => T;

export interface CommitterHooks {
  /** Runs first inside every write transaction (lazy expiry and other upkeep). */
  onBegin?: (tx: TxContext) => void;
  /** Runs last inside every write transaction, before COMMIT (state kept once per batch). */
  beforeCommit?: () => void;
  /** Runs after a rollback, so that in-memory caches re-read the database. */
  onRollback?: () => void;
}

/**
 * The one write path. A job is a synchronous function: it reads, decides and writes with
 * no `await` inside, so nothing can interleave between the check and the write. The
 * promise settles only after the transaction holding the job has been committed and is
 * on disk (see durability.ts), which is when an answer may be sent.
 *
 * Two implementations: SerialCommitter (below) commits each job on its own and is what
 * `serial` mode and some tests use; GroupCommitter (group-committer.ts) lets jobs that
 * arrive together share one transaction and one fsync, each in its own savepoint. Jobs
 * are handed over and answered asynchronously, so callers do not know which one runs them.
 */
export interface Committer {
  run<T>(job: Job<T>): Promise<T>;
  /** Runs a job now, synchronously, in its own transaction (start-up and tests). */
  runNow<T>(job: Job<T>): T;
  close(): Promise<void>;
}

export class SerialCommitter implements Committer {
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly hooks: CommitterHooks = {},
    private readonly durability: Durability = sqliteFsync,
  ) {}

  run<T>(job: Job<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the wallet is closed'));
    try {
      return Promise.resolve(this.runNow(job));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  runNow<T>(job: Job<T>): T {
    return runInOwnTransaction(this.db, this.hooks, job, this.durability);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** One job in its own `BEGIN IMMEDIATE` transaction; effects after the commit. */
export function runInOwnTransaction<T>(
  db: Db,
  hooks: CommitterHooks,
  job: Job<T>,
  durability: Durability = sqliteFsync,
): T {
  const effects: Array<() => void> = [];
  const tx: TxContext = { afterCommit: (effect) => effects.push(effect) };
  let result: T;
  durability.assertWritable();
  try {
    result = db
      .transaction(() => {
        hooks.onBegin?.(tx);
        const result = job(tx);
        hooks.beforeCommit?.();
        return result;
      })
      .immediate();
  } catch (error) {
    hooks.onRollback?.();
    throw error;
  }
  durability.flushSync();
  runEffects(effects);
  return result;
}

/**
 * Most expiries one write transaction records (the upkeep in onBegin); any beyond it are
 * recorded by the next one, so a backlog never makes one batch of decisions wait long.
 */
export const EXPIRY_BATCH = 500;

/**
 * An empty write. Its transaction's upkeep (expiring what is due) is the point: a read
 * that finds something past its expiry runs this, then reads again.
 */
export function runUpkeep(committer: Committer): Promise<void> {
  return committer.run(() => undefined);
}

/** Effects run after the commit; one that throws must not undo an answered decision. */
export function runEffects(effects: ReadonlyArray<() => void>): void {
  for (const effect of effects) {
    try {
      effect();
    } catch (error) {
      console.error('purser: an after-commit effect failed', error);
    }
  }
}
