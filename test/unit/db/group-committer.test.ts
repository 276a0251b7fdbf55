import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/db/database';
import { GroupCommitter } from '../../../electron/core/db/group-committer';
import { ManualClock } from '../../../electron/core/clock';
import { Wallet } from '../../../electron/core/wallet';
import { centsToMicros } from '../../../shared/money';
import { cleanupTmpDirs, tmpHome } from '../../helpers/tmp';
import { walletInternals } from '../../../electron/core/wallet-internals';
import { agentCommand, spendCommand } from '../../helpers/commands';

const opened: Array<{ close(): unknown }> = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  cleanupTmpDirs();
});

function setup(options?: ConstructorParameters<typeof GroupCommitter>[2]) {
  const home = tmpHome('group');
  const db = openDatabase(home);
  opened.push(db);
  db.exec('CREATE TABLE t (n INTEGER NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
  const total = () =>
    Number((db.prepare('SELECT coalesce(sum(n), 0) AS s FROM t').get() as { s: bigint }).s);
  let rollbacks = 0;
  const committer = new GroupCommitter(db, { onRollback: () => (rollbacks += 1) }, options);
  return { db, home, insert, total, committer, rollbacks: () => rollbacks };
}

describe('GroupCommitter', () => {
  it('commits jobs that arrive together in one transaction, in arrival order, each seeing the ones before', async () => {
    const { committer, insert, total } = setup();
    const seen: number[] = [];
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        committer.run(() => {
          seen.push(total());
          insert.run(n);
          return n * 10;
        }),
      ),
    );
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(seen).toEqual([0, 1, 3, 6, 10]);
    expect(committer.stats).toMatchObject({ batches: 1, jobs: 5, largestBatch: 5 });
  });

  it('a job that throws is rolled back alone; its neighbours commit', async () => {
    const { committer, insert, total, rollbacks } = setup();
    const outcomes = await Promise.allSettled([
      committer.run(() => insert.run(1)),
      committer.run(() => {
        insert.run(100);
        throw new Error('boom');
      }),
      committer.run(() => insert.run(2)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('boom'));
    expect(total()).toBe(3);
    // It wrote before throwing: the batch was run again with a savepoint per job.
    expect(committer.stats.replays).toBe(1);
    expect(rollbacks()).toBeGreaterThanOrEqual(1);
    expect(committer.stats.batches).toBe(1);
  });

  it('a job that throws before writing anything costs its neighbours nothing: no replay', async () => {
    const { committer, insert, total } = setup();
    const outcomes = await Promise.allSettled([
      committer.run(() => insert.run(1)),
      committer.run(() => {
        throw new Error('refused up front');
      }),
      committer.run(() => insert.run(2)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(total()).toBe(3);
    expect(committer.stats.replays).toBe(0);
  });

  it('a replayed batch answers every job once, with the results of the run that committed', async () => {
    const { committer, insert, total } = setup();
    let runs = 0;
    const results = await Promise.allSettled([
      committer.run(() => {
        runs += 1;
        insert.run(10);
        return `first, run ${runs}`;
      }),
      committer.run(() => {
        insert.run(1000);
        throw new Error('late failure');
      }),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'first, run 2' });
    expect(total()).toBe(10);
  });

  it('answers only after the commit: by then another connection sees the write', async () => {
    const { committer, insert, home, db } = setup();
    const reader = new Database(join(home, 'purser.db'), { readonly: true });
    opened.push(reader);
    const visibleAtResolve = await committer
      .run(() => insert.run(7))
      .then(() => {
        expect(db.inTransaction).toBe(false);
        return reader.prepare('SELECT count(*) AS c FROM t').get();
      });
    expect(visibleAtResolve).toEqual({ c: 1 });
  });

  it('runs after-commit effects of committed jobs only, after the commit', async () => {
    const { committer, insert, db } = setup();
    const effects: string[] = [];
    await Promise.allSettled([
      committer.run((tx) => {
        insert.run(1);
        tx.afterCommit(() => effects.push(`ok, in transaction: ${db.inTransaction}`));
      }),
      committer.run((tx) => {
        tx.afterCommit(() => effects.push('from a failed job'));
        throw new Error('no');
      }),
    ]);
    expect(effects).toEqual(['ok, in transaction: false']);
  });

  it('bounds the batch size', async () => {
    const { committer, insert, total } = setup({ maxBatch: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => committer.run(() => insert.run(i))));
    expect(total()).toBe(45);
    expect(committer.stats).toMatchObject({ batches: 3, largestBatch: 4 });
  });

  it('sheds load past its queue bound with rate_limited and a retry hint, instead of queueing forever', async () => {
    const { committer, insert } = setup({ maxQueue: 3 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => committer.run(() => insert.run(i))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const shed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(shed).toHaveLength(2);
    expect(shed[0]?.reason).toMatchObject({
      code: 'rate_limited',
      details: { retry_after_seconds: 1, reason: 'server_busy' },
    });
    expect(committer.stats.shed).toBe(2);
  });

  it('runNow drains the queue first, keeping arrival order', async () => {
    const { committer, insert, db } = setup();
    const queued = committer.run(() => insert.run(1));
    committer.runNow(() => insert.run(2));
    await queued;
    expect(
      (db.prepare('SELECT n FROM t ORDER BY rowid').all() as Array<{ n: bigint }>).map((r) =>
        Number(r.n),
      ),
    ).toEqual([1, 2]);
  });
});

describe('group commit inside the wallet', () => {
  it('a batch of concurrent spends never overspends the budget or the balance', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 14, 12));
    const wallet = Wallet.open({ home: tmpHome('batch'), clock });
    opened.push({ close: () => void wallet.close() });
    await wallet.funding.deposit({ mode: 'live' }, centsToMicros(70_000));
    const { agent } = await wallet.agents.create(
      agentCommand({
        name: 'a',
        mode: 'live',
        budget_cents: 100_000,
        rate_limit_per_minute: 100_000,
      }),
    );
    const { plaintext } = await wallet.keys.issue(agent.id, {});
    const auth = walletInternals(wallet).keys.authenticate(plaintext, clock.now());
    const results = await Promise.all(
      Array.from({ length: 300 }, () =>
        wallet.spend.create(
          auth,
          spendCommand({ amount_cents: 1_000, currency: 'usd', merchant_name: 'AWS', reason: 'x' }),
          undefined,
        ),
      ),
    );
    const approved = results.filter(
      (r) => r.kind === 'created' && r.record.status === 'approved',
    ).length;
    expect(approved).toBe(70); // the $700 balance, to the cent
    expect(results.filter((r) => r.kind === 'refused')).toHaveLength(230);
    expect(walletInternals(wallet).funding.defaultForMode('live')?.balance).toBe(0n);
    expect(
      (walletInternals(wallet).committer as GroupCommitter).stats.largestBatch,
    ).toBeGreaterThan(1);
  });
});
