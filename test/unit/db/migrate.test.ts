import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import type { Migration } from '../../../electron/core/db/types';
import { MIGRATIONS } from '../../../electron/core/db/migrations';

describe('migrations', () => {
  it('are numbered 1, 2, 3… with no gap', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('bring an empty database to the latest version, and running again changes nothing', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const schema = db.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all();
    migrate(db);
    expect(db.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all()).toEqual(schema);
  });

  it('refuse a database from a newer Purser', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/newer than this Purser/);
  });

  it('roll back a migration that fails, leaving the version where it was', () => {
    const db = new Database(':memory:');
    const broken: Migration[] = [
      { version: 1, name: 'ok', up: 'CREATE TABLE a (x INTEGER) STRICT;' },
      {
        version: 2,
        name: 'bad',
        up: 'CREATE TABLE b (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);',
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'b'").get()).toBeUndefined();
  });

  it('STRICT tables refuse a wrong type instead of converting it', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(() =>
      db.prepare("INSERT INTO ledger_head (id, seq, hash) VALUES (1, 'twelve', x'00')").run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() =>
      db.prepare("INSERT INTO ledger_head (id, seq, hash) VALUES (1, 1.5, x'00')").run(),
    ).toThrow(/cannot store REAL value in INTEGER column/);
  });
});

describe('migration 0002 (approvals, budget requests, receipts)', () => {
  it('keeps every spend request written under 0001 and gives it an empty owner comment', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    db.exec(`
      INSERT INTO funding_sources (id, kind, mode, name, created_at) VALUES ('fs_1', 'cash', 'live', 'Cash', 1);
      INSERT INTO agents (id, name, mode, status, funding_source_id, policy_version, created_at, updated_at)
        VALUES ('agt_1', 'a', 'live', 'active', 'fs_1', 1, 1, 1);
      INSERT INTO spend_requests (id, agent_id, key_id, status, decision_reason, decision_rule, amount_micros,
        merchant_name, reason, policy_version, created_at, expires_at)
        VALUES ('req_1', 'agt_1', 'key_1', 'needs_approval', 'Amount requires approval', 'approval_threshold', 5000000,
        'AWS', 'gpu', 1, 10, 86400010);
    `);
    migrate(db);
    expect(
      db.prepare('SELECT id, status, amount_micros, owner_comment FROM spend_requests').all(),
    ).toEqual([
      { id: 'req_1', status: 'needs_approval', amount_micros: 5_000_000, owner_comment: null },
    ]);
    // The new tables hold their rules: one active budget request per agent.
    const insert = db.prepare(
      `INSERT INTO budget_requests (id, agent_id, key_id, status, requested_micros, purpose, created_at, expires_at)
       VALUES (?, 'agt_1', 'key_1', ?, 100, 'p', 1, 2)`,
    );
    insert.run('breq_1', 'pending');
    expect(() => insert.run('breq_2', 'approved')).toThrow(/UNIQUE/);
    insert.run('breq_3', 'rejected');
  });
});
