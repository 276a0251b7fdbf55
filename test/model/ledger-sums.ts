/**
 * The ledger read on its own (auditor rule d): every entry that counts money, followed to
 * the usage it counts for, gives what each usage counts against its agent (`counted`) and
 * against the shared limits (`shared`: a receipt's `data.shared_micros`, docs/money-
 * integrity.md), when it was first counted, each source's deposits and each grant's draws.
 * Read incrementally: only the entries since the last step.
 */
import type { WalletDeps } from '../../electron/core/wallet-deps';
import { rowFromRaw, type RawLedgerRow } from '../../electron/core/ledger/ledger-rows';
import { entryHash, GENESIS_HASH } from '../../electron/core/ledger/canonical';

export interface LedgerUsage {
  agentId: string;
  ts: number;
  counted: bigint;
  shared: bigint;
}

interface Data {
  usage_id?: number | null;
  shared_micros?: string;
  spend_request_id?: string | null;
  budget_request_id?: string | null;
  to?: string;
}

export class LedgerSums {
  private lastSeq = 0;
  private lastHash: Buffer = GENESIS_HASH;
  readonly usages = new Map<number, LedgerUsage>();
  /** Money put into each source: deposits (cash) and confirmed chain deposits (onchain). */
  readonly deposits = new Map<string, bigint>();
  readonly grantSpent = new Map<string, bigint>();

  constructor(private readonly deps: WalletDeps) {}

  catchUp(): void {
    const rows = this.deps.db
      .prepare<[number], RawLedgerRow>('SELECT * FROM ledger WHERE seq > ? ORDER BY seq')
      .safeIntegers(true)
      .all(this.lastSeq);
    for (const raw of rows) {
      const e = rowFromRaw(raw);
      // The chain, link by link, as each entry arrives (a full verify runs now and then).
      if (e.seq !== this.lastSeq + 1 || !e.prevHash.equals(this.lastHash))
        throw new Error(`ledger entry ${e.seq} does not follow ${this.lastSeq}`);
      if (!entryHash(e.prevHash, e).equals(e.hash))
        throw new Error(`ledger entry ${e.seq} (${e.type}) does not hash to its hash`);
      this.lastSeq = e.seq;
      this.lastHash = e.hash;
      const data = JSON.parse(e.data) as Data;
      if (e.type === 'funding.deposit' && e.objectId && e.amount !== null)
        this.add(this.deposits, e.objectId, e.amount);
      if (e.type === 'chain.funded' && data.to && e.amount !== null) {
        const source = this.deps.funding.onchainFor(data.to as `0x${string}`);
        if (source) this.add(this.deposits, source.id, e.amount);
      }
      const shared =
        e.type === 'receipt.recorded' || e.type === 'receipt.accepted'
          ? BigInt(data.shared_micros ?? '0')
          : e.counted;
      if (e.counted === 0n && shared === 0n) continue;
      // x402 entries name their request, not its usage: follow the request to it.
      const request = data.spend_request_id
        ? this.deps.spends.get(data.spend_request_id)
        : undefined;
      const usageId = data.usage_id ?? (e.type.startsWith('x402.') ? request?.usageId : undefined);
      if (usageId == null || e.agentId === null)
        throw new Error(`ledger entry ${e.seq} (${e.type}) counts money but names no usage`);
      const u = this.usages.get(usageId) ?? {
        agentId: e.agentId,
        ts: e.ts,
        counted: 0n,
        shared: 0n,
      };
      u.counted += e.counted;
      u.shared += shared;
      this.usages.set(usageId, u);
      const grant =
        data.budget_request_id ?? (e.type.startsWith('x402.') ? request?.budgetRequestId : null);
      if (grant) this.add(this.grantSpent, grant, e.counted);
    }
  }

  private add(map: Map<string, bigint>, key: string, v: bigint): void {
    map.set(key, (map.get(key) ?? 0n) + v);
  }
}
