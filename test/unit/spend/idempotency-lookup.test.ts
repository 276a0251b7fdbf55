import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idempotencyLookup } from '../../../electron/core/spend/idempotency-lookup';

/**
 * Keys already stored were indexed with SHA-256 of (agent id, NUL, key) hashed in three
 * parts (migration 0003). The one-shot hash of the joined text must give the same 64 bits
 * for every input, or stored keys would no longer be found and a retry would spend twice.
 */
const streamed = (agentId: string, key: string) =>
  createHash('sha256').update(agentId).update('\0').update(key).digest().readBigInt64BE(0);

describe('idempotencyLookup', () => {
  it('matches the three-part hash that stored keys were indexed with', () => {
    const cases: Array<[string, string]> = [
      ['agt_0VcbrDTU7AfkLWeKd268', randomUUID()],
      ['agt_ü', 'clé-\u{1F600}'],
      ['a', '\u0000b'],
      ['', ''],
      ['agt_\uD83D', '\uDE00rest'], // lone surrogates either side of the separator
      ['agt_x', '\u202Eevil\u200B'],
    ];
    for (let i = 0; i < 200; i += 1) cases.push([`agt_${i}`, randomUUID()]);
    for (const [agentId, key] of cases)
      expect(idempotencyLookup(agentId, key)).toBe(streamed(agentId, key));
  });
});
