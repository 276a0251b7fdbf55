import { describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../../../electron/core/db/database';
import { canonicalForm, entryHash, GENESIS_HASH } from '../../../electron/core/ledger/canonical';
import { Ledger } from '../../../electron/core/ledger/ledger';

function ledgerWith(n: number) {
  const db = openMemoryDatabase();
  const ledger = new Ledger(db);
  db.transaction(() => {
    for (let i = 0; i < n; i += 1) {
      ledger.append(
        {
          type: 'spend.approved',
          actor: 'key:key_x',
          agentId: 'agt_a',
          objectId: `req_${i}`,
          amount: BigInt(i + 1) * 10_000n,
          counted: BigInt(i + 1) * 10_000n,
          data: { i },
        },
        1_700_000_000_000 + i,
      );
    }
    ledger.persistHead(); // what the committer does before every COMMIT
  })();
  return { db, ledger };
}

describe('canonical form', () => {
  it('is a fixed-order JSON array with amounts as strings', () => {
    const text = canonicalForm({
      seq: 1,
      ts: 2,
      type: 't',
      actor: 'owner',
      mode: null,
      agentId: null,
      objectId: 'o',
      amount: 12n,
      counted: -3n,
      status: null,
      merchant: 'm',
      rail: null,
      data: '{}',
    });
    expect(text).toBe('[1,2,"t","owner",null,null,"o","12","-3",null,"m",null,"{}"]');
  });

  it('changes the hash when any hashed field or the previous hash changes', () => {
    const base = {
      seq: 1,
      ts: 2,
      type: 't',
      actor: 'owner',
      mode: null,
      agentId: null,
      objectId: 'o',
      amount: 12n,
      counted: 0n,
      status: null,
      merchant: 'm',
      rail: null,
      data: '{}',
    };
    const h = entryHash(GENESIS_HASH, base);
    expect(entryHash(GENESIS_HASH, { ...base, amount: 13n }).equals(h)).toBe(false);
    expect(entryHash(GENESIS_HASH, { ...base, data: '{"a":1}' }).equals(h)).toBe(false);
    expect(entryHash(Buffer.alloc(32, 1), base).equals(h)).toBe(false);
    expect(entryHash(GENESIS_HASH, { ...base }).equals(h)).toBe(true);
  });
});

describe('Ledger', () => {
  it('appends only inside a transaction', () => {
    const db = openMemoryDatabase();
    expect(() => new Ledger(db).append({ type: 'wallet.frozen', actor: 'owner' }, 1)).toThrow(
      /transaction/,
    );
  });

  it('chains entries and verifies a clean chain across pages', async () => {
    const { ledger } = ledgerWith(12_345);
    const result = ledger.verify();
    expect(result).toMatchObject({ ok: true, entries: 12_345, headSeq: 12_345 });
    expect(await ledger.verifyInBackground()).toEqual(result);
    expect([...ledger.rows(1000)].map((r) => r.seq)).toEqual(
      Array.from({ length: 12_345 }, (_, i) => i + 1),
    );
  });

  it('after a job is rolled back to its savepoint, the head follows its neighbours, not the stale committed head', () => {
    const { db, ledger } = ledgerWith(2);
    const entry = (i: number) =>
      ledger.append(
        { type: 'spend.approved', actor: 'owner', objectId: `o${i}` },
        1_800_000_000_000 + i,
      );
    db.transaction(() => {
      entry(1); // a job that stays
      db.exec('SAVEPOINT job');
      entry(2); // a job that is undone
      db.exec('ROLLBACK TO job');
      db.exec('RELEASE job');
      ledger.forgetHead();
      entry(3);
      ledger.persistHead();
    })();
    expect(ledger.verify()).toMatchObject({ ok: true, entries: 4 });
  });

  it('an empty ledger verifies', () => {
    const db = openMemoryDatabase();
    expect(new Ledger(db).verify()).toMatchObject({ ok: true, entries: 0 });
  });

  it('finds an edit deep in the chain, past the first page', () => {
    const { db, ledger } = ledgerWith(7_000);
    db.exec('DROP TRIGGER ledger_no_update; UPDATE ledger SET counted_micros = 0 WHERE seq = 6543');
    expect(ledger.verify().firstBad).toMatchObject({ seq: 6543, problem: 'edited_entry' });
  });

  it('finds an entry whose hash was recomputed to hide an edit: the next link breaks', () => {
    const { db, ledger } = ledgerWith(10);
    const row = db.prepare('SELECT * FROM ledger WHERE seq = 5').get() as Record<string, unknown>;
    const forged = {
      seq: 5,
      ts: Number(row.ts),
      type: String(row.type),
      actor: String(row.actor),
      mode: null,
      agentId: 'agt_a',
      objectId: String(row.object_id),
      amount: 1n,
      counted: 1n,
      status: null,
      merchant: null,
      rail: null,
      data: String(row.data),
    };
    const hash = entryHash(row.prev_hash as Buffer, forged);
    db.exec('DROP TRIGGER ledger_no_update');
    db.prepare(
      'UPDATE ledger SET amount_micros = 1, counted_micros = 1, hash = ? WHERE seq = 5',
    ).run(hash);
    expect(ledger.verify().firstBad).toMatchObject({ seq: 6, problem: 'broken_link' });
  });
});
