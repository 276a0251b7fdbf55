/**
 * The one owner client and event follower (shared/contract/owner-client.ts,
 * event-follower.ts) against a real `purser` server: each surface's error type for a
 * refusal, its own error when the server is gone, every event checked against the
 * contract (one that does not parse, or a name not ours, is skipped), and a follower that
 * stops for good when the surface says a failure is final.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOwnerClient } from '../../../shared/contract/owner-client';
import { followOwnerEvents, parseOwnerEvent } from '../../../shared/contract/event-follower';
import type { OwnerEvent } from '../../../shared/contract/owner';
import type { ErrorEnvelope } from '../../../shared/errors';
import { spendBody, startTestServer } from '../../helpers/server';

class SurfaceError extends Error {
  constructor(
    readonly status: number,
    readonly envelope: ErrorEnvelope | undefined,
  ) {
    super(`surface: ${status}`);
  }
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('the owner client', () => {
  it("throws the surface's error with the server's envelope, and its own when unreachable", async () => {
    const t = await startTestServer();
    const client = createOwnerClient({
      baseUrl: t.url,
      token: () => t.server.ownerToken,
      refused: (status, envelope) => new SurfaceError(status, envelope),
      unreachable: () => new Error('gone'),
    });
    const { agents } = await client.call('listAgents');
    expect(Array.isArray(agents)).toBe(true);
    const missing = await client.call('getAgent', { params: { id: 'agt_nope' } }).catch((e) => e);
    expect(missing).toBeInstanceOf(SurfaceError);
    expect(missing).toMatchObject({ status: 404, envelope: { error: { code: 'not_found' } } });

    const anonymous = createOwnerClient({
      baseUrl: t.url,
      token: () => undefined,
      refused: (status, envelope) => new SurfaceError(status, envelope),
    });
    await expect(anonymous.call('listAgents')).rejects.toMatchObject({ status: 401 });

    const away = createOwnerClient({
      baseUrl: 'http://127.0.0.1:9',
      token: () => 'x',
      refused: (status, envelope) => new SurfaceError(status, envelope),
      unreachable: () => new Error('gone'),
    });
    await expect(away.call('listAgents')).rejects.toThrow('gone');
  });
});

describe('the event follower', () => {
  it('reads events as the contract says, and skips what does not parse or is not ours', () => {
    expect(parseOwnerEvent('receipt', '{}')).toBeUndefined();
    expect(parseOwnerEvent('newer_event', '{}')).toBeUndefined();
    expect(parseOwnerEvent('agent', 'not json')).toBeUndefined();
    expect(parseOwnerEvent('agent', JSON.stringify({ agent_id: 'a', change: 'nonsense' }))).toBe(
      undefined,
    );
    expect(parseOwnerEvent('agent', JSON.stringify({ agent_id: 'a', change: 'status' }))).toEqual({
      event: 'agent',
      data: { agent_id: 'a', change: 'status' },
    });
  });

  it('hears what commits once open, and stops for good on a final failure', async () => {
    const t = await startTestServer();
    const client = createOwnerClient({
      baseUrl: t.url,
      token: () => t.server.ownerToken,
      refused: (status, envelope) => new SurfaceError(status, envelope),
    });
    const heard: OwnerEvent[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const follower = followOwnerEvents({ client, onEvent: (e) => heard.push(e), onOpen: opened });
    closers.push(() => follower.close());
    await open;
    const { key } = await t.newAgent({ approval_threshold_cents: 100 });
    const asked = await t.agent<{ id: string }>(key, 'POST', '/v1/spend', spendBody(500));
    await expect
      .poll(() => heard.find((e) => e.event === 'spend' && e.data.id === asked.body.id))
      .toBeDefined();

    // A session that ended: the surface says the 401 is final, and no second attempt comes.
    let attempts = 0;
    let closes = 0;
    const ended = createOwnerClient({
      baseUrl: t.url,
      token: () => 'not-a-session',
      refused: (status, envelope) => new SurfaceError(status, envelope),
      onStatus: () => (attempts += 1),
    });
    const stopped = followOwnerEvents({
      client: ended,
      onEvent: () => undefined,
      onClose: () => (closes += 1),
      final: (error) => error instanceof SurfaceError && error.status === 401,
      retryDelaysMs: [10],
    });
    closers.push(() => stopped.close());
    await expect.poll(() => attempts).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toBe(1);
    expect(closes).toBe(0);
  });
});
