import { createHash } from 'node:crypto';

/**
 * The 64-bit lookup hash of an idempotency key within its agent: the first eight bytes of
 * SHA-256(agent id, NUL, key), as a signed integer (SQLite's INTEGER). A collision only
 * costs a second row to compare: the store matches agent id and key exactly.
 */
export function idempotencyLookup(agentId: string, key: string): bigint {
  return createHash('sha256').update(agentId).update('\0').update(key).digest().readBigInt64BE(0);
}
