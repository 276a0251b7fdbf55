import { sha256 } from '../sha256';

/** The columns that an entry's hash covers, in the order they are hashed. */
export interface HashedFields {
  seq: number;
  ts: number;
  type: string;
  actor: string;
  mode: string | null;
  agentId: string | null;
  objectId: string | null;
  /** Single amounts are at most 10^15, so a number holds them exactly too. */
  amount: bigint | number | null;
  counted: bigint | number;
  status: string | null;
  merchant: string | null;
  rail: string | null;
  data: string;
}

export const GENESIS_HASH = Buffer.alloc(32);

/**
 * The canonical form is a JSON array in a fixed order, with amounts as decimal strings, so
 * that it never depends on object key order or number formatting. The hash chains the
 * previous entry's hash with it: SHA-256(prev_hash ‖ canonical).
 */
export function canonicalForm(f: HashedFields): string {
  return JSON.stringify([
    f.seq,
    f.ts,
    f.type,
    f.actor,
    f.mode,
    f.agentId,
    f.objectId,
    f.amount === null ? null : String(f.amount),
    String(f.counted),
    f.status,
    f.merchant,
    f.rail,
    f.data,
  ]);
}

export function entryHash(prevHash: Buffer, fields: HashedFields): Buffer {
  return sha256(Buffer.concat([prevHash, Buffer.from(canonicalForm(fields), 'utf8')]));
}
