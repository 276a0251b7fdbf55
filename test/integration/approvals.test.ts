/** Human approvals over real HTTP: the agent waits, the owner decides, the agent learns at once. */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer } from '../helpers/server';
import { openEvents } from '../helpers/sse';

describe('approvals', () => {
  it('pending → the owner approves → the waiting GET returns approved at once', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 50_000, approval_threshold_cents: 20_000 });
    const pending = await t.agent<SpendRequestView>(
      key,
      'POST',
      '/v1/spend',
      spendBody(25_000, 'OpenAI'),
    );
    expect(pending.body.status).toBe('needs_approval');

    const waiting = t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${pending.body.id}?wait=30`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const approvedAt = performance.now();
    const approved = await t.call('approveSpend', {
      params: { id: pending.body.id },
      body: { comment: 'go ahead' },
    });
    expect(approved.status).toBe(200);
    const woken = await waiting;
    const latency = performance.now() - approvedAt;
    expect(woken.body).toMatchObject({
      status: 'approved',
      decision_rule: 'owner_approved',
      remaining_budget_cents: 25_000,
    });
    expect(woken.body.decision_reason).toBe('Approved by the owner: go ahead');
    // Woken by the commit, not by the 30-second timeout (a loose bound: this is not a benchmark).
    expect(latency).toBeLessThan(5_000);
    expect(approved.body.owner_comment).toBe('go ahead');
  });

  it('the owner sees pending requests newest first, with what approving does to the budget', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({
      budget_cents: 10_000,
      approval_threshold_cents: 1_000,
      over_budget: 'ask',
    });
    const a = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(4_000));
    t.clock.advance(1_000);
    const b = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(12_000));
    const list = await t.call('listApprovals');
    expect(list.body.spend_requests.map((r) => r.id)).toEqual([b.body.id, a.body.id]);
    expect(list.body.spend_requests[0]?.impact).toMatchObject({
      exceeds_budget: true,
      over_by_cents: 2_000,
      spent_after_cents: 12_000,
      hard_limit: null,
    });
    expect(list.body.spend_requests[1]?.impact).toMatchObject({
      exceeds_budget: false,
      spent_after_cents: 4_000,
    });
  });

  it('decline with a comment; the agent reads the reason', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1 });
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(500));
    await t.owner('POST', `/admin/v1/spend-requests/${p.body.id}/decline`, {
      comment: 'not this vendor',
    });
    const read = await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${p.body.id}`);
    expect(read.body).toMatchObject({
      status: 'declined',
      decision_rule: 'owner_declined',
      decision_reason: 'Declined by the owner: not this vendor',
    });
  });

  it('a request resolves at most once: approving a declined, expired, cancelled or approved one is 409', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1 });
    const make = async () =>
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100))).body.id;
    const declined = await make();
    await t.owner('POST', `/admin/v1/spend-requests/${declined}/decline`, {});
    const cancelled = await make();
    await t.agent(key, 'POST', `/v1/spend/${cancelled}/cancel`);
    const approved = await make();
    await t.owner('POST', `/admin/v1/spend-requests/${approved}/approve`, {});
    const expired = await make();
    t.clock.advance(24 * 3_600_000);
    for (const id of [declined, cancelled, approved, expired]) {
      for (const action of ['approve', 'decline']) {
        const r = await t.owner<ErrorEnvelope>(
          'POST',
          `/admin/v1/spend-requests/${id}/${action}`,
          {},
        );
        expect(r.status, `${action} ${id}`).toBe(409);
        expect(r.body.error.code).toBe('invalid_request');
      }
    }
    expect((await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${expired}`)).body.status).toBe(
      'expired',
    );
    const approvals = await t.call('ledgerPage', { query: { type: 'spend.approved' } });
    expect(approvals.body.entries).toHaveLength(1);
  });

  it('going over the budget takes an explicit override, which the ledger records', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000, over_budget: 'ask' });
    await t.agent(key, 'POST', '/v1/spend', spendBody(4_000));
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(8_000));
    expect(p.body).toMatchObject({ status: 'needs_approval', decision_rule: 'over_budget' });
    const refused = await t.owner<ErrorEnvelope>(
      'POST',
      `/admin/v1/spend-requests/${p.body.id}/approve`,
      {},
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({
      override_required: true,
      over_by_micros: '20000000',
    });
    expect(
      (await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${p.body.id}`)).body.status,
    ).toBe('needs_approval');

    const overridden = await t.call('approveSpend', {
      params: { id: p.body.id },
      body: { override_budget: true },
    });
    expect(overridden.body).toMatchObject({ status: 'approved', decision_rule: 'owner_override' });
    expect(overridden.body.decision_reason).toContain('over the budget by $20.00');
    const entry = await t.call('ledgerPage', { query: { type: 'spend.approved', limit: 1 } });
    expect(entry.body.entries[0]).toMatchObject({
      actor: 'owner',
      data: { override: true, over_by_micros: '20000000' },
    });
    const balance = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(balance.body).toMatchObject({
      spent_cents: 12_000,
      remaining_budget_cents: 0,
      over_budget: true,
    });
  });

  it('approving re-checks the hard limits: a drained funding source refuses it, and it stays pending', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent(
      { mode: 'test', budget_cents: 100_000, approval_threshold_cents: 5_000 },
      10_000,
    );
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(6_000));
    await t.agent(key, 'POST', '/v1/spend', spendBody(4_500));
    const refused = await t.owner<ErrorEnvelope>(
      'POST',
      `/admin/v1/spend-requests/${p.body.id}/approve`,
      { override_budget: true },
    );
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: 'insufficient_wallet_balance',
      details: { balance: 5_500, requested: 6_000 },
    });
    expect(
      (await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${p.body.id}`)).body.status,
    ).toBe('needs_approval');
    const attempts = await t.call('ledgerPage', { query: { type: 'spend.refused' } });
    expect(attempts.body.entries).toEqual([
      expect.objectContaining({ actor: 'owner', object_id: p.body.id }),
    ]);
    await t.agent(key, 'POST', '/v1/sandbox/faucet', { amount_cents: 1_000 });
    expect(
      (await t.call('approveSpend', { params: { id: p.body.id }, body: {} })).body.status,
    ).toBe('approved');
  });

  it('the freeze and a paused agent stop approvals until lifted', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ approval_threshold_cents: 1 });
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100));
    await t.owner('POST', '/admin/v1/freeze');
    expect(
      (await t.owner('POST', `/admin/v1/spend-requests/${p.body.id}/approve`, {})).status,
    ).toBe(409);
    await t.owner('POST', '/admin/v1/unfreeze');
    await t.owner('POST', `/admin/v1/agents/${agent.id}/pause`);
    expect(
      (await t.owner('POST', `/admin/v1/spend-requests/${p.body.id}/approve`, {})).status,
    ).toBe(409);
    await t.owner('POST', `/admin/v1/agents/${agent.id}/resume`);
    expect(
      (await t.call('approveSpend', { params: { id: p.body.id }, body: {} })).body.status,
    ).toBe('approved');
  });

  it('an agent cannot approve its own request', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1 });
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100));
    expect(
      (await t.agent(key, 'POST', `/admin/v1/spend-requests/${p.body.id}/approve`, {})).status,
    ).toBe(401);
    expect((await t.agent(key, 'POST', `/v1/spend/${p.body.id}/approve`, {})).status).toBe(404);
    expect(
      (await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${p.body.id}`)).body.status,
    ).toBe('needs_approval');
  });

  it('the owner event stream announces new pending requests and every decision', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1_000 });
    const stream = await openEvents(t.url, t.server.ownerToken);
    try {
      const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(2_000));
      const created = await stream.next((e) => e.event === 'spend' && e.data.id === p.body.id);
      expect(created.data).toMatchObject({
        status: 'needs_approval',
        agent_name: 'test-agent',
        amount_cents: 2_000,
      });
      expect(created.data.impact).toMatchObject({ exceeds_budget: false });
      await t.owner('POST', `/admin/v1/spend-requests/${p.body.id}/approve`, {});
      const decided = await stream.next(
        (e) => e.event === 'spend' && e.data.id === p.body.id && e.data.status === 'approved',
      );
      expect(decided.data.impact).toBeNull();
      await t.agent(key, 'POST', '/v1/spend', spendBody(10));
      await stream.next(
        (e) => e.event === 'spend' && e.data.status === 'approved' && e.data.amount_cents === 10,
      );
    } finally {
      stream.close();
    }
  });

  it('approval_url names the request in the owner window, and the owner API reads it', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ approval_threshold_cents: 1 });
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100));
    expect(p.body.approval_url).toBe(`${t.url}/app/#/approvals/${p.body.id}`);
    const read = await t.call('getSpendRequest', { params: { id: p.body.id } });
    expect(read.body).toMatchObject({ id: p.body.id, status: 'needs_approval' });
  });
});
