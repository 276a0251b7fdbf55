/**
 * Every change to an agent reaches the owner's event stream once it is on disk, so other
 * windows (and the tray) read it again: created, a policy edit, a pause, a key issued or
 * revoked.
 */
import { describe, expect, it } from 'vitest';
import { openEvents } from '../helpers/sse';
import { startTestServer } from '../helpers/server';

describe('agent events on the owner stream', () => {
  it('announces creation, policy, status and key changes', async () => {
    const t = await startTestServer();
    const events = await openEvents(t.url, t.server.ownerToken);
    try {
      const made = await t.newAgent({ name: 'watched' }, 0);
      const id = made.agent.id;
      const seen = (change: string) =>
        events.next(
          (e) => e.event === 'agent' && e.data.agent_id === id && e.data.change === change,
        );
      await seen('created');
      await seen('keys'); // newAgent issues one
      expect(
        (await t.owner('PATCH', `/admin/v1/agents/${id}/policy`, { budget_cents: 5 })).status,
      ).toBe(200);
      await seen('policy');
      expect((await t.owner('POST', `/admin/v1/agents/${id}/pause`)).status).toBe(200);
      await seen('status');
      expect((await t.owner('POST', `/admin/v1/keys/${made.keyId}/revoke`)).status).toBe(200);
      const keyEvents = () =>
        events.events.filter((e) => e.event === 'agent' && e.data.change === 'keys').length;
      await expect.poll(keyEvents).toBe(2);
      // Nothing but the id and what changed: the window reads the rest through the API.
      expect(
        Object.keys(events.events.find((e) => e.event === 'agent')?.data ?? {}).sort(),
      ).toEqual(['agent_id', 'change']);
    } finally {
      events.close();
    }
  });
});
