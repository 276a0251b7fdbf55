/**
 * The funding balance moves by a compare-and-set (electron/core/funding/funding-repository.ts):
 * a decision reads the balance from the cache, and the write moves it only from that value.
 * If the table holds anything else (a write that went around the cache), the write is
 * refused inside its job instead of committing a balance nobody decided on.
 */
import { describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../../../electron/core/db/database';
import { FundingRepository } from '../../../electron/core/funding/funding-repository';
import { MoneyInvariantError } from '../../../electron/core/invariants';

describe('the funding balance', () => {
  it('moves only from the balance the decision read', () => {
    const db = openMemoryDatabase();
    const funding = new FundingRepository(db);
    const source = funding.create({ kind: 'cash', mode: 'live', name: 'cash', isDefault: true }, 0);
    funding.addToBalance(source.id, 500n);
    expect(funding.get(source.id)?.balance).toBe(500n); // read: now cached
    funding.addToBalance(source.id, -200n);
    expect(funding.get(source.id)?.balance).toBe(300n);

    // Something changes the row behind the cache's back: the next move is refused.
    db.prepare('UPDATE funding_sources SET balance_micros = 999 WHERE id = ?').run(source.id);
    expect(() => funding.addToBalance(source.id, -100n)).toThrow(MoneyInvariantError);
    const row = db
      .prepare('SELECT balance_micros AS b FROM funding_sources WHERE id = ?')
      .safeIntegers()
      .get(source.id) as { b: bigint };
    expect(row.b).toBe(999n);
    db.close();
  });
});
