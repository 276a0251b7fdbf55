import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/types';
import type { Address } from '../../chain/chain-config';

/** A recipient in the owner's address book (docs/payouts.md). */
export interface Recipient {
  id: string;
  name: string;
  /** Checksummed (EIP-55). */
  address: Address;
  /** Chain names from the chain config; empty means every configured chain. */
  networks: string[];
  createdAt: number;
  archivedAt: number | null;
}

interface Row {
  id: string;
  name: string;
  address: Address;
  networks: string;
  created_at: bigint;
  archived_at: bigint | null;
}

const fromRow = (r: Row): Recipient => ({
  id: r.id,
  name: r.name,
  address: r.address,
  networks: JSON.parse(r.networks) as string[],
  createdAt: Number(r.created_at),
  archivedAt: r.archived_at === null ? null : Number(r.archived_at),
});

/** SQL for the address book. Archived recipients stay, so that old payouts keep their name. */
export class RecipientRepository {
  private readonly insertStmt: Statement;
  private readonly byId: Statement<[string], Row>;
  private readonly byAddress: Statement<[string], Row>;
  private readonly listStmt: Statement<[], Row>;
  private readonly archiveStmt: Statement<[number, string]>;
  private readonly renameStmt: Statement<[string, string, string]>;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO recipients (id, name, address, networks, created_at)
       VALUES (@id, @name, @address, @networks, @createdAt)`,
    );
    this.byId = db.prepare<[string], Row>('SELECT * FROM recipients WHERE id = ?');
    this.byAddress = db.prepare<[string], Row>(
      'SELECT * FROM recipients WHERE address = ? AND archived_at IS NULL',
    );
    this.listStmt = db.prepare<[], Row>(
      'SELECT * FROM recipients WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE, id',
    );
    this.archiveStmt = db.prepare(
      'UPDATE recipients SET archived_at = ? WHERE id = ? AND archived_at IS NULL',
    );
    this.renameStmt = db.prepare('UPDATE recipients SET name = ?, networks = ? WHERE id = ?');
  }

  insert(r: Omit<Recipient, 'archivedAt'>): void {
    this.insertStmt.run({ ...r, networks: JSON.stringify(r.networks) });
  }

  get(id: string): Recipient | undefined {
    const row = this.byId.get(id);
    return row ? fromRow(row) : undefined;
  }

  /** The live recipient saved under this (checksummed) address. */
  ofAddress(address: Address): Recipient | undefined {
    const row = this.byAddress.get(address);
    return row ? fromRow(row) : undefined;
  }

  list(): Recipient[] {
    return this.listStmt.all().map(fromRow);
  }

  update(id: string, name: string, networks: string[]): void {
    this.renameStmt.run(name, JSON.stringify(networks), id);
  }

  archive(id: string, now: number): boolean {
    return this.archiveStmt.run(now, id).changes === 1;
  }
}
