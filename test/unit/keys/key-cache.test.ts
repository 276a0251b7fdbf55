/**
 * Authenticated keys are cached (every agent request authenticates). The cache must never
 * outlive a revocation or an expiry, and what it hands out must not be changeable by a
 * caller, since every request with that key shares it.
 */
import { describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../../../electron/core/db/database';
import { KeyRepository } from '../../../electron/core/keys/key-repository';
import { insertAgentRows } from '../../helpers/rows';

function setup() {
  const db = openMemoryDatabase();
  insertAgentRows(db);
  const keys = new KeyRepository(db);
  const issue = (expiresAt: number | null) =>
    db.transaction(() =>
      keys.issue(
        {
          agentId: 'agt',
          mode: 'live',
          scopes: ['spend.read', 'spend.write'],
          label: null,
          expiresAt,
        },
        1,
      ),
    )();
  return { db, keys, issue };
}

describe('the key cache', () => {
  it('hands out one frozen KeyAuth per key', () => {
    const { keys, issue } = setup();
    const { plaintext, key } = issue(null);
    const first = keys.authenticate(plaintext, 2);
    expect(first).toEqual({
      keyId: key.id,
      agentId: 'agt',
      mode: 'live',
      scopes: ['spend.read', 'spend.write'],
      expiresAt: null,
    });
    expect(keys.authenticate(plaintext, 3)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.scopes)).toBe(true);
  });

  it('a cached key is refused from the next request after it is revoked', () => {
    const { db, keys, issue } = setup();
    const { plaintext, key } = issue(null);
    keys.authenticate(plaintext, 2);
    db.transaction(() => keys.revoke(key.id, 3))();
    expect(() => keys.authenticate(plaintext, 4)).toThrow(/revoked/);
  });

  it('a cached key is refused once its expiry has passed', () => {
    const { keys, issue } = setup();
    const { plaintext } = issue(100);
    expect(keys.authenticate(plaintext, 99).agentId).toBe('agt');
    expect(() => keys.authenticate(plaintext, 100)).toThrow(/expired/);
  });
});
