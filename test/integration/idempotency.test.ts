/** docs/decision-order.md, step 3: replays give the original, conflicts 409, keys per agent. */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer } from '../helpers/server';

describe('idempotency', () => {
  it('replays the original request with Idempotent-Replayed, and writes nothing new', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000 });
    const first = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(3_000), {
      'idempotency-key': 'job-42',
    });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(3_000), {
      'idempotency-key': 'job-42',
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.remaining_budget_cents).toBe(7_000);

    // The body field is the same key as the header.
    const viaBody = await t.agent<SpendRequestView>(
      key,
      'POST',
      '/v1/spend',
      spendBody(3_000, 'AWS', { idempotency_key: 'job-42' }),
    );
    expect(viaBody.body.id).toBe(first.body.id);

    const spends = await t.call('ledgerPage', { query: { type: 'spend.approved' } });
    expect(spends.body.entries).toHaveLength(1);
  });

  it('treats "usdc" and "USD" as the same body as "usd"', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const a = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100), {
      'idempotency-key': 'k',
    });
    const b = await t.agent<SpendRequestView>(
      key,
      'POST',
      '/v1/spend',
      { ...spendBody(100), currency: 'USDC' },
      { 'idempotency-key': 'k' },
    );
    expect(b.body.id).toBe(a.body.id);
  });

  it('answers 409 idempotency_key_conflict for the same key with another body', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    await t.agent(key, 'POST', '/v1/spend', spendBody(100), { 'idempotency-key': 'k' });
    const conflict = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/spend', spendBody(101), {
      'idempotency-key': 'k',
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('idempotency_key_conflict');
  });

  it('replays the current state of a request, not the state it was created in', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 100 });
    const pending = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(500), {
      'idempotency-key': 'p',
    });
    expect(pending.body.status).toBe('needs_approval');
    await t.agent(key, 'POST', `/v1/spend/${pending.body.id}/cancel`);
    const replay = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(500), {
      'idempotency-key': 'p',
    });
    expect(replay.body).toMatchObject({ id: pending.body.id, status: 'cancelled' });
  });

  it('scopes keys to the agent: two agents may use the same key', async () => {
    const t = await startTestServer();
    const a = await t.newAgent({ name: 'a' });
    const b = await t.newAgent({ name: 'b' });
    const ra = await t.agent<SpendRequestView>(a.key, 'POST', '/v1/spend', spendBody(100), {
      'idempotency-key': 'same',
    });
    const rb = await t.agent<SpendRequestView>(b.key, 'POST', '/v1/spend', spendBody(200), {
      'idempotency-key': 'same',
    });
    expect(rb.status).toBe(200);
    expect(rb.body.id).not.toBe(ra.body.id);
  });

  it('refuses a header and a body field that disagree', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const r = await t.agent<ErrorEnvelope>(
      key,
      'POST',
      '/v1/spend',
      spendBody(100, 'AWS', { idempotency_key: 'one' }),
      { 'idempotency-key': 'two' },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
  });

  it('does not spend a key on a 402: the retry is decided afresh', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ mode: 'test' }, 1_000);
    const poor = await t.agent(key, 'POST', '/v1/spend', spendBody(2_000), {
      'idempotency-key': 'retry-me',
    });
    expect(poor.status).toBe(402);
    await t.agent(key, 'POST', '/v1/sandbox/faucet', { amount_cents: 5_000 });
    const retried = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(2_000), {
      'idempotency-key': 'retry-me',
    });
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('approved');
  });

  it('keeps keys for at least 24 hours', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const first = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100), {
      'idempotency-key': 'day',
    });
    t.clock.advance(25 * 3_600_000);
    await t.server.wallet.sweep();
    const again = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100), {
      'idempotency-key': 'day',
    });
    expect(again.body.id).toBe(first.body.id);
  });
});
