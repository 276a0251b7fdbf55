import { PurserError } from '../errors';
import { assertMoney } from '../invariants';
import {
  runEffects,
  runInOwnTransaction,
  type Committer,
  type CommitterHooks,
  type Job,
} from './committer';
import type { Db } from './types';
import { sqliteFsync, type Durability } from './durability';

export interface GroupCommitOptions {
  /** Most jobs in one transaction: bounds the time any one answer waits for its batch. */
  maxBatch?: number;
  /**
   * Most jobs in hand (queued, or committed and waiting for the disk); past it new ones
   * are shed with `rate_limited` rather than queued.
   */
  maxQueue?: number;
  /** How a commit reaches the disk; SQLite's own synchronous=FULL unless told otherwise. */
  durability?: Durability;
}

type Outcome =
  { ok: true; value: unknown; effects: Array<() => void> } | { ok: false; error: unknown };

interface Pending {
  job: Job<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit: jobs that arrive together share one `BEGIN IMMEDIATE … COMMIT`, so many
 * decisions share one fsync and durability stops costing throughput.
 *
 * - Jobs run in arrival order inside the one transaction, so each sees what the ones
 *   before it wrote: a batch can never overspend.
 * - A job that throws is undone alone and its caller gets the error; its neighbours
 *   commit. (Jobs run without savepoints; if one throws after writing, the batch is
 *   rolled back and run again with a savepoint per job. See runOptimistically.)
 * - Promises settle, and after-commit effects run, only once the batch is on disk
 *   (`durability.flush()`): no answer leaves before its decision is durable.
 * - With the WAL fsync off the thread (WalFsync), the event loop never waits for the disk:
 *   while one batch's fsync runs, requests keep being parsed and their jobs queue; when it
 *   lands they go in as the next batch (or sooner, once a full batch is waiting). A lone
 *   job with nothing else in hand is fsynced on the spot.
 *
 * Batching needs no timer: while one batch runs, requests pile up in the sockets; the next
 * turn of the event loop parses them all, and they become the next batch. A quiet server
 * commits each job as soon as it arrives.
 */
export class GroupCommitter implements Committer {
  private queue: Pending[] = [];
  private scheduled = false;
  private closed = false;
  /** Jobs committed whose fsync has not finished yet. */
  private onTheWayToDisk = 0;
  private lastDurable: Promise<unknown> = Promise.resolve();
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private readonly durability: Durability;
  /** Transaction control, prepared once: it runs several times per batch. */
  private readonly sql: Record<
    'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo',
    { run(): unknown }
  > & {
    totalChanges: { get(): unknown };
  };
  /** Batches committed and jobs run, for the benchmark and the status page. */
  readonly stats = {
    batches: 0,
    jobs: 0,
    largestBatch: 0,
    shed: 0,
    jobMs: 0,
    commitMs: 0,
    replays: 0,
  };

  constructor(
    private readonly db: Db,
    private readonly hooks: CommitterHooks = {},
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.maxQueue = options.maxQueue ?? 4096;
    this.durability = options.durability ?? sqliteFsync;
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT job'),
      release: db.prepare('RELEASE job'),
      rollbackTo: db.prepare('ROLLBACK TO job'),
      totalChanges: db.prepare('SELECT total_changes()').pluck().safeIntegers(false),
    };
  }

  run<T>(job: Job<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the wallet is closed'));
    if (this.queue.length + this.onTheWayToDisk >= this.maxQueue) {
      this.stats.shed += 1;
      return Promise.reject(
        new PurserError(
          'rate_limited',
          'Purser is busy; retry shortly with the same idempotency key.',
          {
            retry_after_seconds: 1,
            reason: 'server_busy',
          },
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  runNow<T>(job: Job<T>): T {
    // Anything queued goes first, so that arrival order holds.
    while (this.queue.length > 0) this.flush();
    return runInOwnTransaction(this.db, this.hooks, job, this.durability);
  }

  async close(): Promise<void> {
    while (this.queue.length > 0) this.flush();
    this.closed = true;
    await this.lastDurable;
  }

  private schedule(): void {
    if (this.scheduled) return;
    // While a batch is on its way to disk, new jobs wait for it to land and then go in as
    // one batch. They would share the next fsync anyway (WalFsync runs one at a time and
    // the next covers everything committed while it waited), so no answer waits for an
    // extra fsync; but one larger commit writes each shared page (the right edges of the
    // tables and indexes, the meters, the ledger head, the database header) once instead
    // of once per small batch. Measured with `npm run bench:decision` at 16 connections
    // and UUID keys: 225 → 190 µs of CPU per decision, 4,633 → 5,112 req/s, p99 8 → 7 ms
    // (docs/performance.md). A full queue does not wait.
    if (this.onTheWayToDisk > 0 && this.queue.length < this.maxBatch) return;
    this.scheduled = true;
    // After the I/O phase: every request parsed in this turn joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
      if (this.queue.length > 0) this.schedule();
    });
  }

  private flush(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    let upkeep: Array<() => void> = [];
    try {
      this.durability.assertWritable();
      const started = performance.now();
      const begin = () => {
        upkeep = [];
        this.sql.begin.run();
        this.hooks.onBegin?.({ afterCommit: (effect) => upkeep.push(effect) });
      };
      // Fast path: no savepoints. If a job throws after it wrote something, the whole
      // transaction is rolled back and the batch runs again, each job in its own savepoint.
      begin();
      const fast = this.runOptimistically(batch);
      if (fast === 'dirty') {
        this.sql.rollback.run();
        this.hooks.onRollback?.();
        this.stats.replays += 1;
        begin();
        outcomes = batch.map((pending) => this.runInSavepoint(pending.job));
      } else {
        outcomes = fast;
      }
      // Pair assertion: every job of the batch has exactly one outcome to answer it with.
      assertMoney(
        outcomes.length === batch.length,
        `a batch of ${batch.length} jobs has ${outcomes.length} outcomes`,
      );
      this.hooks.beforeCommit?.();
      const committing = performance.now();
      this.sql.commit.run();
      this.stats.jobMs += committing - started;
      this.stats.commitMs += performance.now() - committing;
    } catch (error) {
      // The disk failed before (assertWritable), or the transaction itself did (disk full,
      // I/O error): nothing in it is durable.
      if (this.db.inTransaction) this.sql.rollback.run();
      this.hooks.onRollback?.();
      rejectAll(batch, error);
      return;
    }
    this.stats.batches += 1;
    this.stats.jobs += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    const alone = batch.length === 1 && this.queue.length === 0 && this.onTheWayToDisk === 0;
    if (alone && this.durability.syncWhenAlone) {
      // A lone commit on a quiet server: nothing to decide while the disk works, so wait
      // for it here (see Durability). Busier batches keep the pipeline.
      try {
        this.durability.flushSync();
      } catch (error) {
        rejectAll(batch, error);
        return;
      }
      settle(batch, outcomes, upkeep);
      return;
    }
    this.onTheWayToDisk += batch.length;
    this.lastDurable = this.durability.flush().then(
      () => {
        this.onTheWayToDisk -= batch.length;
        settle(batch, outcomes, upkeep);
        // What arrived while this batch was on its way goes next (see schedule()).
        if (this.queue.length > 0) this.schedule();
      },
      (error: unknown) => {
        this.onTheWayToDisk -= batch.length;
        rejectAll(batch, error);
        if (this.queue.length > 0) this.schedule();
      },
    );
  }

  /**
   * Runs the batch without savepoints, which cost as much as a third of a decision. A job
   * that throws before writing anything (a refused key, a 409, a rate limit: every
   * expected refusal) is simply answered with its error. One that throws after writing
   * makes the batch 'dirty'. SQLite's change counter tells the two apart.
   */
  private runOptimistically(batch: Pending[]): Outcome[] | 'dirty' {
    const outcomes: Outcome[] = [];
    for (const pending of batch) {
      const effects: Array<() => void> = [];
      const before = this.changes();
      try {
        outcomes.push({
          ok: true,
          value: pending.job({ afterCommit: (effect) => effects.push(effect) }),
          effects,
        });
      } catch (error) {
        if (this.changes() !== before) return 'dirty';
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  private changes(): number {
    return this.sql.totalChanges.get() as number;
  }

  private runInSavepoint(job: Job<unknown>): Outcome {
    const effects: Array<() => void> = [];
    this.sql.savepoint.run();
    try {
      const value = job({ afterCommit: (effect) => effects.push(effect) });
      this.sql.release.run();
      return { ok: true, value, effects };
    } catch (error) {
      this.sql.rollbackTo.run();
      this.sql.release.run();
      this.hooks.onRollback?.();
      return { ok: false, error };
    }
  }
}

/** A batch that did not reach the disk: everyone in it gets the same error. */
function rejectAll(batch: Pending[], error: unknown): void {
  for (const pending of batch) pending.reject(error);
}

/** Answers a durable batch: upkeep effects first, then each job's effects and promise. */
function settle(batch: Pending[], outcomes: Outcome[], upkeep: Array<() => void>): void {
  runEffects(upkeep);
  batch.forEach((pending, i) => {
    const outcome = outcomes[i];
    if (outcome?.ok) {
      runEffects(outcome.effects);
      pending.resolve(outcome.value);
    } else {
      pending.reject(outcome?.error);
    }
  });
}
