import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, type Migration } from '../../../electron/core/db/migrate';
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
