import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { FundingKind, Mode, Period, WindowKind } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';
import { newId } from '../ids';
import { assertMoney } from '../invariants';

export interface FundingSource {
  id: string;
  kind: FundingKind;
  mode: Mode;
  name: string;
  balance: Micros;
  limit: { amount: Micros; period: Period; window: WindowKind } | null;
  isDefault: boolean;
  address: string | null;
  chainId: number | null;
  createdAt: number;
}

interface Row {
  id: string;
  kind: FundingKind;
  mode: Mode;
  name: string;
  balance_micros: bigint;
  limit_micros: bigint | null;
  limit_period: Period | null;
  limit_window: WindowKind;
  is_default: bigint;
  address: string | null;
  chain_id: bigint | null;
  created_at: bigint;
}

function fromRow(r: Row): FundingSource {
  return {
    id: r.id,
    kind: r.kind,
    mode: r.mode,
    name: r.name,
    balance: r.balance_micros,
    limit:
      r.limit_micros !== null && r.limit_period !== null
        ? { amount: r.limit_micros, period: r.limit_period, window: r.limit_window }
        : null,
    isDefault: r.is_default === 1n,
    address: r.address,
    chainId: r.chain_id === null ? null : Number(r.chain_id),
    createdAt: Number(r.created_at),
  };
}

/**
 * SQL for funding sources. Balances move only through `addToBalance`, inside a write job.
 * Sources are read on every decision, so they are cached; writes here keep the cache in
 * step, and a rollback clears it.
 */
export class FundingRepository {
  private readonly cache = new Map<string, FundingSource>();
  private readonly byId: Statement<[string], Row>;
  private readonly defaultFor: Statement<[Mode], Row>;
  private readonly all: Statement<[], Row>;
  private readonly insert: Statement;
  private readonly add: Statement<[Micros, string]>;
  private readonly addFrom: Statement<[Micros, string, Micros]>;
  private readonly setLimitStmt: Statement;
  private readonly onchainAt: Statement<[string], Row>;

  constructor(db: Db) {
    this.byId = db.prepare('SELECT * FROM funding_sources WHERE id = ?');
    this.defaultFor = db.prepare('SELECT * FROM funding_sources WHERE mode = ? AND is_default = 1');
    this.all = db.prepare('SELECT * FROM funding_sources ORDER BY created_at, id');
    this.onchainAt = db.prepare(
      "SELECT * FROM funding_sources WHERE kind = 'onchain' AND address = ? ORDER BY created_at LIMIT 1",
    );
    this.insert = db.prepare(
      `INSERT INTO funding_sources (id, kind, mode, name, balance_micros, is_default, address, created_at)
       VALUES (@id, @kind, @mode, @name, 0, @isDefault, @address, @createdAt)`,
    );
    this.add = db.prepare<[Micros, string]>(
      'UPDATE funding_sources SET balance_micros = balance_micros + ? WHERE id = ?',
    );
    // The same change, only if the balance is still what the caller read: a compare-and-set
    // is the pair assertion without reading the row back.
    this.addFrom = db.prepare<[Micros, string, Micros]>(
      'UPDATE funding_sources SET balance_micros = balance_micros + ? WHERE id = ? AND balance_micros = ?',
    );
    this.setLimitStmt = db.prepare(
      `UPDATE funding_sources SET limit_micros = @amount, limit_period = @period, limit_window = @window
       WHERE id = @id`,
    );
  }

  get(id: string): FundingSource | undefined {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const row = this.byId.get(id);
    if (!row) return undefined;
    const source = fromRow(row);
    this.cache.set(id, source);
    return source;
  }

  clearCache(): void {
    this.cache.clear();
  }

  defaultForMode(mode: Mode): FundingSource | undefined {
    const row = this.defaultFor.get(mode);
    return row && fromRow(row);
  }

  /** The on-chain source that follows this address (a Purser-held wallet's), if any. */
  onchainFor(address: string): FundingSource | undefined {
    const row = this.onchainAt.get(address);
    return row && this.get(row.id);
  }

  list(): FundingSource[] {
    return this.all.all().map(fromRow);
  }

  create(
    input: { kind: FundingKind; mode: Mode; name: string; isDefault: boolean; address?: string },
    now: number,
  ): FundingSource {
    const id = newId('fundingSource');
    this.insert.run({
      id,
      ...input,
      address: input.address ?? null,
      isDefault: input.isDefault ? 1 : 0,
      createdAt: now,
    });
    const created = this.get(id);
    if (!created) throw new Error('funding source vanished after insert');
    return created;
  }

  addToBalance(id: string, delta: Micros): void {
    const cached = this.cache.get(id);
    if (cached) {
      // Pair assertion: the balance moves by exactly delta from what the decision read.
      const { changes } = this.addFrom.run(delta, id, cached.balance);
      assertMoney(
        changes === 1,
        `funding source ${id} did not hold ${cached.balance} to move by ${delta}`,
      );
      this.cache.set(id, { ...cached, balance: cached.balance + delta });
      return;
    }
    if (this.add.run(delta, id).changes !== 1) throw new Error(`no funding source ${id}`);
  }

  setLimit(id: string, limit: FundingSource['limit']): void {
    this.cache.delete(id);
    this.setLimitStmt.run({
      id,
      amount: limit?.amount ?? null,
      period: limit?.period ?? null,
      window: limit?.window ?? 'calendar',
    });
  }
}
