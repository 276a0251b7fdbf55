/** Pending requests: read back, waited on, cancelled by the agent, expired by the clock. */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer } from '../helpers/server';
import { walletInternals } from '../../electron/core/wallet-internals';

describe('pending spend requests', () => {
  it('GET /v1/spend/:id and its alias read the request back', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const created = await t.agent<SpendRequestView>(
      key,
      'POST',
      '/v1/spend-requests',
      spendBody(1_000),
    );
    for (const path of [`/v1/spend/${created.body.id}`, `/v1/spend-requests/${created.body.id}`]) {
      const read = await t.agent<SpendRequestView>(key, 'GET', path);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        id: created.body.id,
        status: 'needs_approval',
        decided_at: null,
      });
    }
  });

  it('?wait=N returns as soon as the agent cancels, not after N seconds', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const created = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_000));
    const started = performance.now();
    const waiting = t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${created.body.id}?wait=30`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cancelled = await t.agent<SpendRequestView>(
      key,
      'POST',
      `/v1/spend/${created.body.id}/cancel`,
    );
    expect(cancelled.body.status).toBe('cancelled');
    const woken = await waiting;
    expect(woken.body.status).toBe('cancelled');
    // Woken by the commit, not by the 30 s timeout (a generous bound: this is not a benchmark).
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('?wait=N gives up after N seconds with the request still pending', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const created = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_000));
    const r = await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${created.body.id}?wait=1`);
    expect(r.body.status).toBe('needs_approval');
    expect(walletInternals(t.server.wallet).waiters.size).toBe(0);
  });

  it('a pending request expires after 24 hours, lazily on read and by the sweeper, and is ledgered', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const a = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_000));
    const b = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(2_000));
    // The tray's count, read from the partial index.
    expect(walletInternals(t.server.wallet).spends.countPending()).toBe(2);
    t.clock.advance(24 * 3_600_000 - 1);
    expect(
      (await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${a.body.id}`)).body.status,
    ).toBe('needs_approval');
    t.clock.advance(1);
    const read = await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${a.body.id}`);
    expect(read.body).toMatchObject({
      status: 'expired',
      decided_at: new Date(t.clock.now()).toISOString(),
    });
    expect(read.body.expires_at).toBeUndefined();
    // The same write expired b as well; a cancel now is refused.
    const cancel = await t.agent<ErrorEnvelope>(key, 'POST', `/v1/spend/${b.body.id}/cancel`);
    expect(cancel.status).toBe(409);
    const expired = await t.call('ledgerPage', { query: { type: 'spend.expired' } });
    expect(expired.body.entries.map((e) => e.object_id).sort()).toEqual(
      [a.body.id, b.body.id].sort(),
    );
    expect(expired.body.entries.every((e) => e.actor === 'system')).toBe(true);
    expect(walletInternals(t.server.wallet).spends.countPending()).toBe(0);
  });

  it('the sweeper expires requests nobody reads', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const a = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_000));
    t.clock.advance(25 * 3_600_000);
    await t.server.wallet.sweep();
    expect(walletInternals(t.server.wallet).spends.get(a.body.id)?.status).toBe('expired');
  });

  it('a configured expiry replaces the 24-hour default', async () => {
    const t = await startTestServer();
    await t.owner('PATCH', '/admin/v1/settings', { pending_expiry_hours: 1 });
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const a = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_000));
    expect(a.body.expires_at).toBe(new Date(t.clock.now() + 3_600_000).toISOString());
  });
});
