/** The ledger's rows: what an append takes, and a row as read back (and as SQLite returns it). */
import type { Micros } from '../../../shared/money';
import type { Mode } from '../../../shared/domain';
import type { Actor, LedgerType } from '../../../shared/ledger';

export interface LedgerEntryInput {
  type: LedgerType;
  actor: Actor;
  mode?: Mode | null;
  agentId?: string | null;
  objectId?: string | null;
  amount?: Micros | null;
  /** What this entry adds to (or, negative, releases from) the money counted against limits. */
  counted?: Micros;
  status?: string | null;
  merchant?: string | null;
  rail?: string | null;
  data?: Record<string, unknown>;
}

export interface LedgerRow {
  seq: number;
  ts: number;
  type: LedgerType;
  actor: string;
  mode: Mode | null;
  agentId: string | null;
  objectId: string | null;
  amount: Micros | null;
  counted: Micros;
  status: string | null;
  merchant: string | null;
  rail: string | null;
  data: string;
  prevHash: Buffer;
  hash: Buffer;
}

export interface RawLedgerRow {
  seq: bigint;
  ts: bigint;
  type: LedgerType;
  actor: string;
  mode: Mode | null;
  agent_id: string | null;
  object_id: string | null;
  amount_micros: bigint | null;
  counted_micros: bigint;
  status: string | null;
  merchant: string | null;
  rail: string | null;
  data: string;
  prev_hash: Buffer;
  hash: Buffer;
}

export function rowFromRaw(r: RawLedgerRow): LedgerRow {
  return {
    seq: Number(r.seq),
    ts: Number(r.ts),
    type: r.type,
    actor: r.actor,
    mode: r.mode,
    agentId: r.agent_id,
    objectId: r.object_id,
    amount: r.amount_micros,
    counted: r.counted_micros,
    status: r.status,
    merchant: r.merchant,
    rail: r.rail,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
