import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';
import { normalizeMerchant } from '../policy/policy';

/** Merchants each agent has paid before, for the ask-on-new-merchant rule. */
export class KnownMerchants {
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
    return this.has.get(agentId, normalizeMerchant(merchant)) === undefined;
  }

  remember(agentId: string, merchant: string, now: number): void {
    this.add.run(agentId, normalizeMerchant(merchant), now);
  }
}
