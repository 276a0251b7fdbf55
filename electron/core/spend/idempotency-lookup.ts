import { hash } from 'node:crypto';

/**
 * The 64-bit lookup hash of an idempotency key within its agent: the first eight bytes of
 * SHA-256(agent id, NUL, key), as a signed integer (SQLite's INTEGER). A collision only
 * costs a second row to compare: the store matches agent id and key exactly.
 */
export function idempotencyLookup(agentId: string, key: string): bigint {
  // The one-shot hash of the joined text: the same bytes as hashing the three parts in
  // turn (UTF-8 of a concatenation is the concatenation of the UTF-8), without a Hash
  // object per call: 2.5 → 1.0 µs per key.
  return hash('sha256', `${agentId}\0${key}`, 'buffer').readBigInt64BE(0);
}
