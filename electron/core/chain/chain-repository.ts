import type { Statement } from 'better-sqlite3';
import type { ChainName } from '../../../shared/domain';
import type { Db } from '../db/types';
import { invalidTransition } from '../errors';
import { networkOf, type Address, type ChainConfig } from './chain-config';

interface Row {
  id: ChainName;
  chain_id: bigint;
  rpc_url: string;
  usdc_address: Address;
  usdc_decimals: bigint;
  usdc_name: string;
  usdc_version: string;
  synced_block: bigint | null;
}

const fromRow = (r: Row): ChainConfig => ({
  id: r.id,
  chainId: Number(r.chain_id),
  rpcUrl: r.rpc_url,
  usdc: {
    address: r.usdc_address,
    decimals: Number(r.usdc_decimals),
    name: r.usdc_name,
    version: r.usdc_version,
  },
  syncedBlock: r.synced_block === null ? null : Number(r.synced_block),
});

/** SQL for the chain config and each chain's sync point. */
export class ChainRepository {
  private readonly all: Statement<[], Row>;
  private readonly one: Statement<[string], Row>;
  private readonly upsertStmt: Statement;
  private readonly syncStmt: Statement;

  constructor(db: Db) {
    this.all = db.prepare<[], Row>('SELECT * FROM chains ORDER BY id');
    this.one = db.prepare<[string], Row>('SELECT * FROM chains WHERE id = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO chains (id, chain_id, rpc_url, usdc_address, usdc_decimals, usdc_name, usdc_version, synced_block, updated_at)
       VALUES (@id, @chainId, @rpcUrl, @address, @decimals, @name, @version, @syncedBlock, @now)
       ON CONFLICT (id) DO UPDATE SET chain_id = excluded.chain_id, rpc_url = excluded.rpc_url,
         usdc_address = excluded.usdc_address, usdc_decimals = excluded.usdc_decimals,
         usdc_name = excluded.usdc_name, usdc_version = excluded.usdc_version,
         synced_block = COALESCE(chains.synced_block, excluded.synced_block), updated_at = excluded.updated_at`,
    );
    this.syncStmt = db.prepare('UPDATE chains SET synced_block = ? WHERE id = ?');
  }

  list(): ChainConfig[] {
    return this.all.all().map(fromRow);
  }

  get(id: string): ChainConfig | undefined {
    const row = this.one.get(id);
    return row ? fromRow(row) : undefined;
  }

  /** The configured chain with this CAIP-2 network id, if any. */
  byNetwork(network: string): ChainConfig | undefined {
    return this.list().find((c) => networkOf(c) === network);
  }

  upsert(config: ChainConfig, now: number): void {
    this.upsertStmt.run({
      id: config.id,
      chainId: config.chainId,
      rpcUrl: config.rpcUrl,
      address: config.usdc.address,
      decimals: config.usdc.decimals,
      name: config.usdc.name,
      version: config.usdc.version,
      syncedBlock: config.syncedBlock,
      now,
    });
  }

  /** The chain named, or the only one configured when none is named; else a 409 saying so. */
  named(name?: string): ChainConfig {
    const chains = this.list();
    const chain = name ? this.get(name) : chains.length === 1 ? chains[0] : undefined;
    if (!chain) {
      throw invalidTransition(
        name
          ? `Chain ${name} is not configured.`
          : 'Name the chain (more than one is configured, or none).',
        { chain: name ?? null },
      );
    }
    return chain;
  }

  setSynced(id: string, block: number): void {
    this.syncStmt.run(block, id);
  }
}
