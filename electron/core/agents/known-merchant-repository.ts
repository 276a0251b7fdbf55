import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import { merchantKey } from '../policy/merchant-key';

/**
 * Merchants each agent has paid before, for the ask-on-new-merchant rule, by normalised
 * merchant key (docs/merchant-identity.md): `AWS`, `aws\u200b` and `ａｗｓ` are one merchant,
 * while a look-alike such as Cyrillic `аws` has a key of its own, so it is new and asks.
 * Pairs already written are remembered in memory so that a repeat costs no statement; a
 * rollback clears that memory.
 */
export class KnownMerchantRepository {
  private readonly seen = new Set<string>();
  private readonly has: Statement<[string, string], { one: bigint }>;
  private readonly add: Statement<[string, string, number]>;

  constructor(db: Db) {
    this.has = db.prepare(
      'SELECT 1 AS one FROM agent_merchants WHERE agent_id = ? AND merchant = ?',
    );
    this.add = db.prepare(
      'INSERT OR IGNORE INTO agent_merchants (agent_id, merchant, first_at) VALUES (?, ?, ?)',
    );
  }

  isNew(agentId: string, merchant: string): boolean {
    const name = merchantKey(merchant);
    return !this.seen.has(`${agentId} ${name}`) && this.has.get(agentId, name) === undefined;
  }

  remember(agentId: string, merchant: string, now: number): void {
    const name = merchantKey(merchant);
    const key = `${agentId} ${name}`;
    if (this.seen.has(key)) return;
    this.add.run(agentId, name, now);
    if (this.seen.size > 100_000) this.seen.clear();
    this.seen.add(key);
  }

  clearCache(): void {
    this.seen.clear();
  }
}
