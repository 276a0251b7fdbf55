/**
 * Migration 0006 drops the idempotency table's age index; the purge then walks the rows in
 * insertion order. A key must never be forgotten before its retention has passed, and the
 * purge must not scan the whole table to find the expired ones.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { MIGRATIONS } from '../../../electron/core/db/migrations';
import { IdempotencyRepository } from '../../../electron/core/spend/idempotency-repository';

const body = { amount_cents: 100, merchant_name: 'AWS' };

function store() {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  migrate(db);
  return { db, repo: new IdempotencyRepository(db) };
}

const remember = (repo: IdempotencyRepository, key: string, at: number) => {
  const { bodyHash } = repo.lookup('agt_1', key, 'spend', body);
  repo.remember('agt_1', key, 'spend', bodyHash, `req_${key}`, at);
};

describe('migration 0006: idempotency purged in insertion order', () => {
  it('drops the age index and keeps every key that was stored before it', () => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    migrate(db, MIGRATIONS.slice(0, 5));
    const before = new IdempotencyRepository(db);
    for (let i = 0; i < 20; i += 1) remember(before, `k${i}`, 1_000 + i);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(
      db.prepare("SELECT name FROM sqlite_schema WHERE name = 'idempotency_created'").get(),
    ).toBeUndefined();
    const repo = new IdempotencyRepository(db);
    for (let i = 0; i < 20; i += 1)
      expect(repo.lookup('agt_1', `k${i}`, 'spend', body).objectId).toBe(`req_k${i}`);
  });

  it('purges exactly the expired rows, oldest first', () => {
    const { repo } = store();
    for (let i = 0; i < 30; i += 1) remember(repo, `k${i}`, 1_000 + i * 10);
    expect(repo.purgeOlderThan(1_100)).toBe(10); // 1000…1090
    expect(repo.lookup('agt_1', 'k9', 'spend', body).objectId).toBeUndefined();
    expect(repo.lookup('agt_1', 'k10', 'spend', body).objectId).toBe('req_k10');
    expect(repo.purgeOlderThan(1_100)).toBe(0);
    expect(repo.purgeOlderThan(10_000)).toBe(20); // all of them
    expect(repo.purgeOlderThan(10_000)).toBe(0); // and an empty table is no error
  });

  it('never forgets a key early when the clock stepped back between two rows', () => {
    const { repo } = store();
    remember(repo, 'a', 1_000);
    remember(repo, 'b', 5_000); // stored before the step back
    remember(repo, 'c', 2_000); // the clock went back: older time, later row
    // c has expired by its time, but b has not: c stays until b goes (late, never early).
    expect(repo.purgeOlderThan(3_000)).toBe(1);
    expect(repo.lookup('agt_1', 'b', 'spend', body).objectId).toBe('req_b');
    expect(repo.lookup('agt_1', 'c', 'spend', body).objectId).toBe('req_c');
    expect(repo.purgeOlderThan(6_000)).toBe(2);
  });

  it('finds the expired rows by rowid, without scanning for them through an index on age', () => {
    const { db, repo } = store();
    // The repository's own statement (TypeScript allows element access to a private member).
    const purge = repo['purge'] as { source: string };
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${purge.source}`).all(0) as Array<{
      detail: string;
    }>;
    const details = plan.map((row) => row.detail).join('\n');
    expect(details).toMatch(/SEARCH idempotency USING INTEGER PRIMARY KEY \(rowid<\?\)/);
    expect(details).not.toMatch(/USE TEMP B-TREE/);
  });
});
