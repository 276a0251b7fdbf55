import type { Statement } from 'better-sqlite3';
import { getAddress } from 'viem';
import type { Db } from '../db/types';
import { invalidTransition } from '../errors';
import { newId } from '../ids';
import type { Address } from './chain-config';
import type { Sealer } from './sealer';

export interface ChainAccount {
  id: string;
  role: 'owner' | 'agent';
  agentId: string | null;
  address: Address;
  /** False for a watch-only owner account: Purser can read it, never sign for it. */
  canSign: boolean;
  sealedWith: Sealer['kind'] | null;
  createdAt: number;
}

interface Row {
  id: string;
  role: 'owner' | 'agent';
  agent_id: string | null;
  address: Address;
  sealed_key: Buffer | null;
  sealed_with: Sealer['kind'] | null;
  created_at: bigint;
}

const fromRow = (r: Row): ChainAccount => ({
  id: r.id,
  role: r.role,
  agentId: r.agent_id,
  address: r.address,
  canSign: r.sealed_key !== null,
  sealedWith: r.sealed_with,
  createdAt: Number(r.created_at),
});

/** A new account, sealed and ready to insert (sealing is async, so it happens before the write job). */
export interface SealedAccount {
  address: Address;
  sealedKey: Buffer | null;
  sealedWith: Sealer['kind'] | null;
}

/** SQL for accounts. The sealed key is read only by `sealedKeyOf`, for signing. */
export class AccountRepository {
  private readonly insertStmt: Statement;
  private readonly ownerStmt: Statement<[], Row>;
  private readonly byAgentStmt: Statement<[string], Row>;
  private readonly byAddressStmt: Statement<[string], Row>;
  private readonly allStmt: Statement<[], Row>;
  private readonly dropOwnerStmt: Statement;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO chain_accounts (id, role, agent_id, address, sealed_key, sealed_with, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.ownerStmt = db.prepare<[], Row>("SELECT * FROM chain_accounts WHERE role = 'owner'");
    this.byAgentStmt = db.prepare<[string], Row>('SELECT * FROM chain_accounts WHERE agent_id = ?');
    this.byAddressStmt = db.prepare<[string], Row>(
      'SELECT * FROM chain_accounts WHERE address = ?',
    );
    this.allStmt = db.prepare<[], Row>('SELECT * FROM chain_accounts ORDER BY created_at');
    this.dropOwnerStmt = db.prepare("DELETE FROM chain_accounts WHERE role = 'owner'");
  }

  insert(role: 'owner' | 'agent', agentId: string | null, a: SealedAccount, now: number) {
    if (this.byAddressStmt.get(a.address)) {
      throw invalidTransition(`The address ${a.address} is already one of Purser's accounts.`, {
        address: a.address,
      });
    }
    const id = newId('chainAccount');
    this.insertStmt.run(id, role, agentId, a.address, a.sealedKey, a.sealedWith, now);
    return fromRow(this.byAddressStmt.get(a.address) as Row);
  }

  /** Replaces the owner's account (a new import); agent wallets are never replaced. */
  dropOwner(): void {
    this.dropOwnerStmt.run();
  }

  owner(): ChainAccount | undefined {
    const row = this.ownerStmt.get();
    return row ? fromRow(row) : undefined;
  }

  ofAgent(agentId: string): ChainAccount | undefined {
    const row = this.byAgentStmt.get(agentId);
    return row ? fromRow(row) : undefined;
  }

  byAddress(address: string): ChainAccount | undefined {
    const row = this.byAddressStmt.get(getAddress(address));
    return row ? fromRow(row) : undefined;
  }

  list(): ChainAccount[] {
    return this.allStmt.all().map(fromRow);
  }

  sealedKeyOf(address: Address): { sealed: Buffer; with: Sealer['kind'] } | undefined {
    const row = this.byAddressStmt.get(address);
    if (!row?.sealed_key || !row.sealed_with) return undefined;
    return { sealed: row.sealed_key, with: row.sealed_with };
  }
}
