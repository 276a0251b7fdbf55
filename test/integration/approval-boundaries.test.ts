/** Approving a pending request at the edges: exactly the budget, one micro-dollar over, a full funding limit. */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer } from '../helpers/server';

describe('approval boundaries', () => {
  it('approving exactly up to the budget is not an override', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000, approval_threshold_cents: 5_000 });
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(6_000));
    expect(p.body.status).toBe('needs_approval');
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(4_000))).body.status,
    ).toBe('approved');

    const list = await t.call('listApprovals');
    expect(list.body.spend_requests[0]).toMatchObject({
      id: p.body.id,
      impact: { exceeds_budget: false, over_by_cents: 0, spent_after_cents: 10_000 },
    });

    const approved = await t.call('approveSpend', { params: { id: p.body.id }, body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decision_rule: 'owner_approved' });
    expect(approved.body.decision_reason).toBe('Approved by the owner');
    const entry = await t.call('ledgerPage', { query: { type: 'spend.approved', limit: 1 } });
    expect(entry.body.entries[0]).toMatchObject({
      object_id: p.body.id,
      data: { override: false, over_by_micros: '0' },
    });
    const balance = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(balance.body).toMatchObject({ remaining_budget_cents: 0, over_budget: false });
  });

  it('one micro-dollar over the budget takes an override', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000, approval_threshold_cents: 5_000 });
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(6_000));
    expect(p.body.status).toBe('needs_approval');
    await t.agent(key, 'POST', '/v1/spend', spendBody(4_000));
    const micro = await t.agent(key, 'POST', '/v1/receipts', {
      rail: 'x402',
      host: 'api.example.com',
      amount_micros: 1,
    });
    expect(micro.status).toBe(200);

    const refused = await t.owner<ErrorEnvelope>(
      'POST',
      `/admin/v1/spend-requests/${p.body.id}/approve`,
      {},
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({
      override_required: true,
      over_by_micros: '1',
    });
    expect(
      (await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${p.body.id}`)).body.status,
    ).toBe('needs_approval');

    const overridden = await t.call('approveSpend', {
      params: { id: p.body.id },
      body: { override_budget: true },
    });
    expect(overridden.body).toMatchObject({ status: 'approved', decision_rule: 'owner_override' });
    const entry = await t.call('ledgerPage', { query: { type: 'spend.approved', limit: 1 } });
    expect(entry.body.entries[0]).toMatchObject({
      object_id: p.body.id,
      data: { override: true, over_by_micros: '1' },
    });
  });

  it('a pending request approved after its funding source period limit filled up is refused with 402', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent(
      { budget_cents: 100_000, approval_threshold_cents: 5_000 },
      50_000,
    );
    await t.owner('PUT', `/admin/v1/funding-sources/${agent.funding_source_id}/limit`, {
      limit_cents: 10_000,
      period: 'daily',
    });
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(6_000));
    expect(p.body.status).toBe('needs_approval');
    // Approved on the spot (under the threshold), it fills the limit past what p needs.
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(4_500))).body.status,
    ).toBe('approved');

    const refused = await t.owner<ErrorEnvelope>(
      'POST',
      `/admin/v1/spend-requests/${p.body.id}/approve`,
      { override_budget: true },
    );
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: 'funding_source_budget_exceeded',
      details: { limit: 10_000, spent: 4_500, remaining: 5_500, period: 'daily' },
    });
    expect(
      (await t.agent<SpendRequestView>(key, 'GET', `/v1/spend/${p.body.id}`)).body.status,
    ).toBe('needs_approval');
    const attempts = await t.call('ledgerPage', { query: { type: 'spend.refused' } });
    expect(attempts.body.entries).toEqual([
      expect.objectContaining({
        actor: 'owner',
        object_id: p.body.id,
        status: 'funding_source_budget_exceeded',
      }),
    ]);

    // With room under a raised limit, the same request can be approved.
    await t.owner('PUT', `/admin/v1/funding-sources/${agent.funding_source_id}/limit`, {
      limit_cents: 10_500,
      period: 'daily',
    });
    const approved = await t.call('approveSpend', { params: { id: p.body.id }, body: {} });
    expect(approved.body.status).toBe('approved');
  });
});
