/**
 * Migration 0003 moves idempotency keys to a table found through a hash index. Keys that
 * were stored before it must still replay and still conflict afterwards.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/core/canonical-json';
import { sha256 } from '../../../electron/core/sha256';
import { migrate } from '../../../electron/core/db/migrate';
import { MIGRATIONS } from '../../../electron/core/db/migrations';
import { IdempotencyRepository } from '../../../electron/core/spend/idempotency-repository';

describe('migration 0003: idempotency keys by hash', () => {
  it('moves every key; each still replays its object and conflicts on another body', () => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    migrate(db, MIGRATIONS.slice(0, 2));
    const body = { amount_cents: 100, merchant_name: 'AWS' };
    const old = db.prepare(
      `INSERT INTO idempotency_keys (agent_id, key, route, body_hash, object_id, created_at)
       VALUES (?, ?, 'spend', ?, ?, ?)`,
    );
    for (let i = 0; i < 50; i += 1)
      old.run(`agt_${i % 3}`, `key-${i}`, sha256(canonicalJson(body)), `req_${i}`, 1_000 + i);

    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(
      db.prepare("SELECT name FROM sqlite_schema WHERE name = 'idempotency_keys'").get(),
    ).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS n FROM idempotency').get()).toEqual({ n: 50n });

    const store = new IdempotencyRepository(db);
    for (let i = 0; i < 50; i += 1) {
      const hit = store.lookup(`agt_${i % 3}`, `key-${i}`, 'spend', body);
      expect(hit.objectId).toBe(`req_${i}`);
    }
    // Scoped to the agent: another agent's identical key is fresh.
    expect(store.lookup('agt_other', 'key-1', 'spend', body).objectId).toBeUndefined();
    expect(() => store.lookup('agt_1', 'key-1', 'spend', { ...body, amount_cents: 101 })).toThrow(
      /already used for a different request/,
    );
    // Purging by age still works on the new table.
    expect(store.purgeOlderThan(1_010)).toBe(10);
  });
});
