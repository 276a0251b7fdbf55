import { closeSync, fstatSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/db/database';
import type { Db } from '../../../electron/core/db/types';
import { WalFsync, type Durability, type FsyncFn } from '../../../electron/core/db/durability';
import { GroupCommitter } from '../../../electron/core/db/group-committer';
import { PurserError } from '../../../electron/core/errors';
import { cleanupTmpDirs, tmpHome } from '../../helpers/tmp';

const opened: Array<{ close(): unknown }> = [];
afterEach(() => {
  for (const o of opened.splice(0).reverse()) o.close();
  cleanupTmpDirs();
});

/** An fsync the test completes by hand: each call waits in `pending` until released. */
function heldDisk() {
  const pending: Array<(error: NodeJS.ErrnoException | null) => void> = [];
  const fsync: FsyncFn = (_fd, callback) => pending.push(callback);
  return {
    fsync,
    pending,
    release(error: NodeJS.ErrnoException | null = null) {
      const callback = pending.shift();
      if (!callback) throw new Error('no fsync is running');
      callback(error);
    },
  };
}

function setup(fsync?: FsyncFn) {
  const db: Db = openDatabase(tmpHome('durable'));
  opened.push(db);
  db.exec('CREATE TABLE t (n INTEGER NOT NULL) STRICT');
  const durability = new WalFsync(db, fsync);
  opened.push(durability);
  const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
  const committer = new GroupCommitter(db, {}, { durability });
  return { db, durability, insert, committer };
}

/** Lets the event loop turn until nothing more is due (timers excluded). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('WalFsync', () => {
  it('leaves per-commit syncing to Purser (synchronous=NORMAL)', () => {
    const { db } = setup();
    expect(Number(db.pragma('synchronous', { simple: true }))).toBe(1);
  });

  it('resolves a flush only when an fsync that started after it completes, one fsync for all who waited', async () => {
    const disk = heldDisk();
    const { durability } = setup(disk.fsync);
    const done: string[] = [];
    void durability.flush().then(() => done.push('a'));
    expect(disk.pending).toHaveLength(1);
    // Asked while the first fsync runs: that fsync may have started before their commits.
    void durability.flush().then(() => done.push('b'));
    void durability.flush().then(() => done.push('c'));
    expect(disk.pending).toHaveLength(1);
    disk.release();
    await settle();
    expect(done).toEqual(['a']);
    expect(disk.pending).toHaveLength(1);
    disk.release();
    await settle();
    expect(done).toEqual(['a', 'b', 'c']);
    expect(durability.stats.fsyncs).toBe(2);
  });

  it('after a failed fsync refuses every waiter and every later flush, without internals', async () => {
    const disk = heldDisk();
    const { durability } = setup(disk.fsync);
    const first = durability.flush();
    const second = durability.flush();
    const io = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    const errors = console.error;
    console.error = () => undefined;
    try {
      disk.release(io);
      for (const outcome of await Promise.allSettled([first, second])) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason as PurserError;
        expect(reason).toBeInstanceOf(PurserError);
        expect(reason.code).toBe('internal_error');
        expect(reason.message).not.toMatch(/EIO/);
      }
      await expect(durability.flush()).rejects.toMatchObject({ code: 'internal_error' });
      expect(() => durability.flushSync()).toThrow(/restart Purser/);
    } finally {
      console.error = errors;
    }
  });

  it('really fsyncs: commits become durable through the real disk, fewer fsyncs than batches when they pile up', async () => {
    const { committer, insert, durability } = setup();
    const jobs = Array.from({ length: 200 }, (_, i) => committer.run(() => insert.run(i)));
    await Promise.all(jobs);
    expect(durability.stats.fsyncs).toBeGreaterThan(0);
    expect(durability.stats.fsyncs).toBeLessThanOrEqual(committer.stats.batches);
  });

  it('its descriptor still names the live WAL after checkpoints restart and truncate the log', async () => {
    const { db, committer, insert, durability } = setup();
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => committer.run(() => insert.run(i))));
      db.pragma(`wal_checkpoint(${round === 2 ? 'TRUNCATE' : 'RESTART'})`);
    }
    await committer.run(() => insert.run(1));
    const live = statSync(`${db.name}-wal`);
    const held = fstatSync(durability.fd);
    expect([held.dev, held.ino]).toEqual([live.dev, live.ino]);
  });
});

describe('a lone commit', () => {
  it('is fsynced on the calling thread when nothing else is in hand; a busier batch keeps the pipeline', async () => {
    const { committer, insert, durability } = setup();
    await committer.run(() => insert.run(1));
    expect(durability.stats).toEqual({ fsyncs: 0, syncFsyncs: 1 });
    await Promise.all([committer.run(() => insert.run(2)), committer.run(() => insert.run(3))]);
    expect(durability.stats).toEqual({ fsyncs: 1, syncFsyncs: 1 });
  });

  it('is answered, and its effects run, only after the synchronous fsync returns', async () => {
    const db: Db = openDatabase(tmpHome('lone'));
    opened.push(db);
    db.exec('CREATE TABLE t (n INTEGER NOT NULL) STRICT');
    const events: string[] = [];
    let fail = false;
    const count = () =>
      Number((db.prepare('SELECT count(*) AS c FROM t').get() as { c: bigint }).c);
    const durability: Durability = {
      syncWhenAlone: true,
      flush: () => Promise.reject(new Error('a lone commit must not take the pool')),
      flushSync: () => {
        events.push(`fsync sees ${count()} committed`);
        if (fail) throw new PurserError('internal_error', 'disk gone');
      },
      assertWritable: () => undefined,
      close: () => undefined,
    };
    const committer = new GroupCommitter(db, {}, { durability });
    const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
    const job = (n: number) =>
      committer.run((tx) => {
        insert.run(n);
        tx.afterCommit(() => events.push(`effect ${n}`));
        return n;
      });
    await job(1).then((n) => events.push(`answer ${n}`));
    expect(events).toEqual(['fsync sees 1 committed', 'effect 1', 'answer 1']);

    fail = true;
    events.length = 0;
    await expect(job(2)).rejects.toMatchObject({ code: 'internal_error' });
    expect(events).toEqual(['fsync sees 2 committed']);
  });

  it('a synchronous fsync that fails is as final as one on the pool', async () => {
    const db: Db = openDatabase(tmpHome('lone-fail'));
    opened.push(db);
    const durability = new WalFsync(db);
    closeSync(durability.fd); // the next fsync fails with EBADF: a disk error, as far as we can tell
    const errors = console.error;
    console.error = () => undefined;
    try {
      expect(() => durability.flushSync()).toThrow(/restart Purser/);
      // Refused as already failed: no fsync is even tried again.
      await expect(durability.flush()).rejects.toMatchObject({ code: 'internal_error' });
      expect(() => durability.flushSync()).toThrow(/restart Purser/);
      expect(durability.stats).toEqual({ fsyncs: 0, syncFsyncs: 1 });
      // And no committer even begins a transaction on it any more.
      expect(() => durability.assertWritable()).toThrow(/restart Purser/);
      const committer = new GroupCommitter(db, {}, { durability });
      db.exec('CREATE TABLE IF NOT EXISTS after_failure (n INTEGER) STRICT');
      await expect(
        committer.run(() => db.prepare('INSERT INTO after_failure VALUES (1)').run()),
      ).rejects.toMatchObject({ code: 'internal_error' });
      expect(() => committer.runNow(() => undefined)).toThrow(/restart Purser/);
      expect(db.prepare('SELECT count(*) AS n FROM after_failure').get()).toEqual({ n: 0n });
    } finally {
      console.error = errors;
    }
  });
});

describe('GroupCommitter over WalFsync', () => {
  it('answers nobody before the fsync; what arrives meanwhile goes in one batch once it lands', async () => {
    const disk = heldDisk();
    const { committer, insert, db } = setup(disk.fsync);
    const answered: number[] = [];
    const effects: number[] = [];
    const job = (n: number) =>
      committer
        .run((tx) => {
          insert.run(n);
          tx.afterCommit(() => effects.push(n));
          return n;
        })
        .then((value) => answered.push(value));
    void job(1);
    void job(2);
    await settle();
    // Committed (a reader sees it) but not on disk yet: no answer, no event.
    const count = () =>
      Number((db.prepare('SELECT count(*) AS c FROM t').get() as { c: bigint }).c);
    expect(count()).toBe(2);
    expect(answered).toEqual([]);
    expect(effects).toEqual([]);
    // Jobs that arrive while the batch is on its way wait for it (they would share the next
    // fsync anyway), then go in together: one commit, not three.
    void job(3);
    await settle();
    void job(4);
    void job(5);
    await settle();
    expect(count()).toBe(2);
    expect(committer.stats.batches).toBe(1);
    disk.release();
    await settle();
    expect(answered).toEqual([1, 2]);
    expect(effects).toEqual([1, 2]);
    expect(count()).toBe(5);
    expect(committer.stats.batches).toBe(2);
    expect(committer.stats.largestBatch).toBe(3);
    disk.release();
    await settle();
    expect(answered).toEqual([1, 2, 3, 4, 5]);
    expect(effects).toEqual([1, 2, 3, 4, 5]);
  });

  it('a full batch does not wait for the disk', async () => {
    const disk = heldDisk();
    const { db } = setup();
    const durability = new WalFsync(db, disk.fsync);
    opened.push(durability);
    const committer = new GroupCommitter(db, {}, { durability, maxBatch: 2 });
    void committer.run(() => 1);
    await settle();
    expect(committer.stats.batches).toBe(1);
    void committer.run(() => 2);
    await settle();
    expect(committer.stats.batches).toBe(1); // one waiting: it waits for the disk
    void committer.run(() => 3);
    await settle();
    expect(committer.stats.batches).toBe(2); // two waiting: a full batch goes at once
    disk.release();
    await settle();
    disk.release();
    await settle();
  });

  it('counts jobs waiting for the disk against the queue bound', async () => {
    const disk = heldDisk();
    const { db } = setup();
    const durability = new WalFsync(db, disk.fsync);
    opened.push(durability);
    const committer = new GroupCommitter(db, {}, { durability, maxQueue: 4 });
    const first = Array.from({ length: 4 }, () => committer.run(() => 1));
    await settle();
    await expect(committer.run(() => 1)).rejects.toMatchObject({
      code: 'rate_limited',
      details: { reason: 'server_busy' },
    });
    disk.release();
    await Promise.all(first);
    const next = committer.run(() => 2);
    await settle();
    disk.release();
    await expect(next).resolves.toBe(2);
  });
});
