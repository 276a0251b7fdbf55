/**
 * docs/decision-order.md over HTTP: no decision is answered before its WAL fsync is done, and
 * a disk that fails an fsync stops the wallet cleanly (500 in the envelope, no crash).
 */
import { fsync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FsyncFn } from '../../electron/core/db/durability';
import { spendBody, startTestServer } from '../helpers/server';
import { walletInternals } from '../../electron/core/wallet-internals';

/** The real fsync, which the test can hold (answers must wait) or make fail. */
function controllableDisk() {
  let held: Array<() => void> | null = null;
  let failNext = false;
  const fn: FsyncFn = (fd, callback) => {
    const go = () => {
      if (failNext) {
        failNext = false;
        callback(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
        return;
      }
      fsync(fd, callback);
    };
    if (held) held.push(go);
    else go();
  };
  return {
    fn,
    hold: () => (held = []),
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const go of waiting) go();
    },
    failNext: () => (failNext = true),
  };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

describe('durability over HTTP', () => {
  it('holds the answer to a spend until its fsync completes, though the decision is committed', async () => {
    const disk = controllableDisk();
    const t = await startTestServer({ fsync: disk.fn });
    const { key, agent } = await t.newAgent();
    disk.hold();
    const answer = t.agent(key, 'POST', '/v1/spend', spendBody(700));
    // The decision is in the database (committed, in the WAL) but not yet on disk…
    const committed = () =>
      Number(
        (
          walletInternals(t.server.wallet)
            .db.prepare('SELECT count(*) AS n FROM spend_requests WHERE agent_id = ?')
            .get(agent.id) as { n: bigint }
        ).n,
      );
    await expect.poll(committed).toBe(1);
    // …so the agent has no answer yet.
    expect(await within(answer, 300)).toBe('pending');
    disk.release();
    const result = await answer;
    expect(result.status).toBe(200);
    expect(result.body.status).toBe('approved');
  });

  it('a failed fsync answers 500 internal_error without internals, and refuses writes until restart', async () => {
    const disk = controllableDisk();
    const t = await startTestServer({ fsync: disk.fn });
    const { key } = await t.newAgent();
    const errors = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      disk.failNext();
      const failed = await t.agent(key, 'POST', '/v1/spend', spendBody(700));
      expect(failed.status).toBe(500);
      expect(failed.body).toEqual({
        error: {
          code: 'internal_error',
          message: expect.stringMatching(/restart Purser/) as unknown,
          details: {},
        },
      });
      expect(JSON.stringify(failed.body)).not.toMatch(/EIO/);
      // After the failure nothing more is written: a decision nobody can be told about
      // must not be committed either (it would count against the budget after a restart).
      const rows = () =>
        Number(
          (
            walletInternals(t.server.wallet)
              .db.prepare('SELECT count(*) AS n FROM spend_requests')
              .get() as { n: bigint }
          ).n,
        );
      const before = rows();
      const later = await t.agent(key, 'POST', '/v1/spend', spendBody(100));
      expect(later.status).toBe(500);
      expect(later.body).toMatchObject({ error: { code: 'internal_error' } });
      expect(rows()).toBe(before);
      // Reads still work, and the server is still up.
      const balance = await t.agent(key, 'GET', '/v1/balance');
      expect(balance.status).toBe(200);
      expect(logged.length).toBeGreaterThan(0);
    } finally {
      console.error = errors;
    }
  });
});
