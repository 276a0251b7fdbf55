/**
 * Secrets are compared in constant time: both spending keys and the owner token go
 * through crypto.timingSafeEqual, never `===` on the secret or its hash.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { insertAgentRows } from '../../helpers/rows';

const calls: Array<[Buffer, Buffer]> = [];
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: Buffer, b: Buffer) => {
      calls.push([a, b]);
      return real.timingSafeEqual(a, b);
    },
  };
});

const { openMemoryDatabase } = await import('../../../electron/core/db/database');
const { KeyRepository, hashKey } = await import('../../../electron/core/keys/key-repository');

describe('constant-time secret comparison', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('authenticating a spending key compares its hash with timingSafeEqual', () => {
    const db = openMemoryDatabase();
    insertAgentRows(db);
    const keys = new KeyRepository(db);
    const { plaintext } = db.transaction(() =>
      keys.issue(
        { agentId: 'agt', mode: 'live', scopes: ['spend.read'], label: null, expiresAt: null },
        1,
      ),
    )();
    expect(keys.authenticate(plaintext, 2).agentId).toBe('agt');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[1].equals(hashKey(plaintext))).toBe(true);
    // Another last character (not always `x`: one key in 62 already ends in it).
    const other = plaintext.endsWith('x') ? 'y' : 'x';
    expect(() => keys.authenticate(`${plaintext.slice(0, -1)}${other}`, 2)).toThrow(
      /Unknown spending key/,
    );
  });

  it('the owner token is checked with timingSafeEqual on its hash', async () => {
    const { buildApp } = await import('../../../electron/api/app');
    const { Wallet } = await import('../../../electron/core/wallet');
    const { tmpHome, cleanupTmpDirs } = await import('../../helpers/tmp');
    const wallet = Wallet.open({ home: tmpHome('ct') });
    const app = await buildApp({ wallet, ownerToken: 'pot_secret', port: 1 });
    calls.length = 0;
    const ok = await app.inject({
      method: 'GET',
      url: '/admin/v1/settings',
      headers: { host: '127.0.0.1:1', authorization: 'Bearer pot_secret' },
    });
    expect(ok.statusCode).toBe(200);
    const bad = await app.inject({
      method: 'GET',
      url: '/admin/v1/settings',
      headers: { host: '127.0.0.1:1', authorization: 'Bearer pot_secreT' },
    });
    expect(bad.statusCode).toBe(401);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every(([a, b]) => a.length === 32 && b.length === 32)).toBe(true);
    await app.close();
    await wallet.close();
    cleanupTmpDirs();
  });
});
