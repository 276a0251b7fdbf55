import type { Db } from './types';

/**
 * Synchronous reads inside one read transaction. In WAL mode every statement outside a
 * transaction takes and drops a shared-memory lock (two fcntl calls); a read route makes
 * several statements, and one transaction makes them ten times cheaper. It also gives the
 * caller one consistent snapshot. Inside a write transaction it simply runs.
 */
export class Reads {
  private tx: ReturnType<Db['transaction']> | undefined;

  constructor(private readonly db: Db) {}

  run<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.tx ??= this.db.transaction((f: () => unknown) => f());
    return this.tx.deferred(fn) as T;
  }
}
