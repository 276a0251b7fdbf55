/**
 * Migration 0005 (money integrity) rebuilds `usage` with a shared part and the database's
 * own checks, and tells which receipts settled the request they name. Data written before it
 * must keep counting exactly as it did, and a settled request must stay settled once.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/db/migrate';
import { MIGRATIONS } from '../../../electron/core/db/migrations';
import { Meters } from '../../../electron/core/ledger/meters';
import { ReceiptRepository } from '../../../electron/core/receipts/receipt-repository';

const T0 = Date.UTC(2026, 5, 1, 12);

describe('migration 0005: shared usage, settling receipts, reviews', () => {
  it('keeps every usage counting in full everywhere, and refuses what breaks the invariants', () => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    migrate(db, MIGRATIONS.slice(0, 4));
    const insert = db.prepare(
      `INSERT INTO usage (ts, agent_id, funding_source_id, mode, micros, origin_id)
       VALUES (?, ?, ?, 'live', ?, ?)`,
    );
    for (let i = 0; i < 30; i += 1)
      insert.run(T0 + i * 60_000, `agt_${i % 2}`, 'fs_1', 1_000 * (i + 1), `req_${i}`);

    expect(migrate(db)).toBe(MIGRATIONS.length);
    const rows = db
      .prepare('SELECT id, micros, shared_micros FROM usage ORDER BY id')
      .all() as Array<{ id: bigint; micros: bigint; shared_micros: bigint }>;
    expect(rows).toHaveLength(30);
    for (const [i, r] of rows.entries()) {
      expect(r.id).toBe(BigInt(i + 1));
      expect(r.shared_micros).toBe(r.micros);
    }
    // The meters read the same sums as before: the agent's whole, the source's shared part.
    const meters = new Meters(db);
    const day = { period: 'daily', kind: 'calendar', timeZone: 'UTC' } as const;
    const total = rows.reduce((s, r) => s + r.micros, 0n);
    expect(meters.read({ kind: 'funding', id: 'fs_1' }, day, T0 + HOUR).sum).toBe(total);
    expect(meters.read({ kind: 'global', mode: 'live' }, day, T0 + HOUR).sum).toBe(total);
    // The indexes the window sums use came back with the table.
    const indexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'usage'")
      .all()
      .map((r) => (r as { name: string }).name)
      .sort();
    expect(indexes).toEqual(['usage_agent', 'usage_funding', 'usage_mode']);
    // The table itself refuses a negative usage or a shared part past the whole.
    expect(() =>
      db.prepare('UPDATE usage SET micros = -1, shared_micros = 0 WHERE id = 1').run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare('UPDATE usage SET shared_micros = micros + 1 WHERE id = 1').run(),
    ).toThrow(/CHECK/);
  });

  it('marks the receipts that settled their request, once per request; flagged ones only named it', () => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    migrate(db, MIGRATIONS.slice(0, 4));
    db.prepare(
      `INSERT INTO funding_sources (id, kind, mode, name, created_at) VALUES ('fs_1', 'cash', 'live', 'Cash', 0)`,
    ).run();
    db.prepare(
      `INSERT INTO agents (id, name, mode, status, funding_source_id, policy_version, created_at, updated_at)
       VALUES ('agt_a', 'a', 'live', 'active', 'fs_1', 1, 0, 0)`,
    ).run();
    const receipt = db.prepare(
      `INSERT INTO receipts (id, agent_id, key_id, amount_micros, merchant, rail, spend_request_id,
         counted_micros, over_budget, flags, created_at)
       VALUES (?, 'agt_a', 'key_a', 1000, 'AWS', 'card', ?, 0, 0, ?, ?)`,
    );
    receipt.run('rcpt_1', 'req_settled', JSON.stringify({ flags: [], over: [] }), T0);
    receipt.run('rcpt_2', 'req_more', JSON.stringify({ flags: ['exceeds_request'], over: [] }), T0);
    receipt.run(
      'rcpt_3',
      'req_pending',
      JSON.stringify({ flags: ['request_needs_approval'], over: [] }),
      T0,
    );
    receipt.run('rcpt_4', null, JSON.stringify({ flags: [], over: ['budget'] }), T0);

    migrate(db);
    const repo = new ReceiptRepository(db);
    expect(repo.get('rcpt_1')).toMatchObject({ settles: true, review: null });
    expect(repo.get('rcpt_2')).toMatchObject({ settles: true });
    expect(repo.get('rcpt_3')).toMatchObject({ settles: false });
    expect(repo.get('rcpt_4')).toMatchObject({ settles: false });
    expect(repo.settling('req_settled')?.id).toBe('rcpt_1');
    expect(repo.settling('req_pending')).toBeUndefined();
    // Still settled once: a second settling receipt for the same request is refused.
    expect(() =>
      db
        .prepare(
          `INSERT INTO receipts (id, agent_id, key_id, amount_micros, merchant, rail, spend_request_id,
             settles, counted_micros, over_budget, flags, created_at)
           VALUES ('rcpt_5', 'agt_a', 'key_a', 1, 'AWS', 'card', 'req_settled', 1, 0, 0, '{"flags":[],"over":[]}', 0)`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
  });
});

const HOUR = 3_600_000;
