/**
 * docs/decision-order.md over real HTTP: every step of the decision order, each shown deciding, and
 * each shown to lose to the step before it.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer } from '../helpers/server';

describe('the decision order (docs/decision-order.md, steps 5–15)', () => {
  it('approves a spend inside every limit, and says what is left', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 50_000, period: 'monthly' });
    const r = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(12_000));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'approved',
      decision_reason: 'Spend request approved',
      amount_cents: 12_000,
      currency: 'usd',
      merchant_name: 'AWS',
      budget_period: 'monthly',
      remaining_budget_cents: 38_000,
      remaining_monthly_budget_cents: 38_000,
      policy_version: 1,
    });
    expect(r.body.id).toMatch(/^req_[0-9A-Za-z]{20}$/);
    expect(r.body.approval_url).toBeUndefined();
  });

  it('step 5: a paused agent, a revoked agent and the global freeze decline', async () => {
    const t = await startTestServer();
    const a = await t.newAgent();
    await t.owner('POST', `/admin/v1/agents/${a.agent.id}/pause`);
    expect(
      (await t.agent<SpendRequestView>(a.key, 'POST', '/v1/spend', spendBody(100))).body,
    ).toMatchObject({
      status: 'declined',
      decision_rule: 'agent_paused',
    });
    await t.owner('POST', `/admin/v1/agents/${a.agent.id}/resume`);
    expect(
      (await t.agent<SpendRequestView>(a.key, 'POST', '/v1/spend', spendBody(100))).body.status,
    ).toBe('approved');

    await t.owner('POST', '/admin/v1/freeze');
    const frozen = await t.agent<SpendRequestView>(a.key, 'POST', '/v1/spend', spendBody(100));
    expect(frozen.status).toBe(200);
    expect(frozen.body).toMatchObject({ status: 'declined', decision_rule: 'wallet_frozen' });
    await t.owner('POST', '/admin/v1/unfreeze');

    // Revoking the agent revokes its keys as well: the key itself now fails (step 1).
    await t.owner('POST', `/admin/v1/agents/${a.agent.id}/revoke`);
    const revoked = await t.agent(a.key, 'POST', '/v1/spend', spendBody(100));
    expect(revoked.status).toBe(403);
    expect(revoked.body).toMatchObject({ error: { code: 'revoked_api_key' } });
  });

  it('step 6: deny-list, allow-list (names and host globs) and categories', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({
      allow_merchants: ['AWS', '*.openai.com'],
      deny_merchants: ['evil.openai.com'],
      allowed_categories: ['compute'],
    });
    const spend = (merchant: string, category?: string) =>
      t.agent<SpendRequestView>(
        key,
        'POST',
        '/v1/spend',
        spendBody(100, merchant, category ? { category } : {}),
      );
    expect((await spend('aws', 'compute')).body.status).toBe('approved');
    expect((await spend('api.openai.com', 'Compute')).body.status).toBe('approved');
    expect((await spend('evil.openai.com', 'compute')).body).toMatchObject({
      status: 'declined',
      decision_rule: 'merchant_denied',
    });
    expect((await spend('openai.com', 'compute')).body).toMatchObject({
      status: 'declined',
      decision_rule: 'merchant_not_allowed',
    });
    expect((await spend('aws', 'travel')).body).toMatchObject({
      status: 'declined',
      decision_rule: 'category_not_allowed',
    });
    expect((await spend('aws')).body).toMatchObject({
      status: 'declined',
      decision_rule: 'category_not_allowed',
    });
  });

  it('step 7: above the max transaction size declines, even for a request that would need approval', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({
      max_transaction_cents: 5_000,
      approval_threshold_cents: 1_000,
    });
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(5_001))).body,
    ).toMatchObject({
      status: 'declined',
      decision_rule: 'max_transaction',
    });
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(5_000))).body.status,
    ).toBe('needs_approval');
  });

  it('step 8: velocity counts approved spends in the last hour', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ velocity_per_hour: 2 });
    for (let i = 0; i < 2; i += 1)
      expect(
        (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100))).body.status,
      ).toBe('approved');
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100))).body,
    ).toMatchObject({
      status: 'declined',
      decision_rule: 'velocity',
    });
    t.clock.advance(60 * 60_000 + 1);
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100))).body.status,
    ).toBe('approved');
  });

  it('steps 9–11: funding limit, global cap and balance are HTTP 402s, ledgered, with no request object', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ budget_cents: 1_000_000 }, 30_000);
    await t.owner('PUT', `/admin/v1/funding-sources/${agent.funding_source_id}/limit`, {
      limit_cents: 20_000,
      period: 'daily',
    });
    await t.owner('PATCH', '/admin/v1/settings', {
      global_cap: { amount_cents: 15_000, period: 'weekly' },
    });

    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(10_000))).body.status,
    ).toBe('approved');

    const funding = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/spend', spendBody(10_001));
    expect(funding.status).toBe(402);
    expect(funding.body.error.code).toBe('funding_source_budget_exceeded');
    expect(funding.body.error.details).toMatchObject({
      limit: 20_000,
      spent: 10_000,
      remaining: 10_000,
      period: 'daily',
      remaining_budget_cents: 990_000,
    });
    expect(funding.body.error.details.windowStart).toEqual(expect.any(String));
    expect(funding.body.error.details.windowEnd).toEqual(expect.any(String));

    const cap = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/spend', spendBody(6_000));
    expect(cap.status).toBe(402);
    expect(cap.body.error.code).toBe('plan_spend_volume_exceeded');
    expect(cap.body.error.details).toMatchObject({
      limit: 15_000,
      spent: 10_000,
      remaining: 5_000,
      period: 'weekly',
    });

    await t.owner('PATCH', '/admin/v1/settings', { global_cap: null });
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(6_000))).body.status,
    ).toBe('approved');

    // A test-mode agent has the test cash source to itself: $50 in it.
    const poor = await t.newAgent({ mode: 'test' }, 5_000);
    expect(
      (await t.agent<SpendRequestView>(poor.key, 'POST', '/v1/spend', spendBody(4_000))).body
        .status,
    ).toBe('approved');
    const broke = await t.agent<ErrorEnvelope>(poor.key, 'POST', '/v1/spend', spendBody(1_001));
    expect(broke.status).toBe(402);
    expect(broke.body.error).toMatchObject({
      code: 'insufficient_wallet_balance',
      details: { balance: 1_000, requested: 1_001 },
    });

    // Every refusal is on the ledger, though no request object exists.
    const ledger = await t.call('ledgerPage', { query: { type: 'spend.refused' } });
    expect(ledger.body.entries.map((e) => e.status).sort()).toEqual(
      [
        'funding_source_budget_exceeded',
        'insufficient_wallet_balance',
        'plan_spend_volume_exceeded',
      ].sort(),
    );
  });

  it('step 13: over budget declines, or asks when the policy says ask', async () => {
    const t = await startTestServer();
    const decline = await t.newAgent({ budget_cents: 10_000 });
    expect(
      (await t.agent<SpendRequestView>(decline.key, 'POST', '/v1/spend', spendBody(7_000))).body
        .status,
    ).toBe('approved');
    const over = await t.agent<SpendRequestView>(
      decline.key,
      'POST',
      '/v1/spend',
      spendBody(3_001),
    );
    expect(over.body).toMatchObject({
      status: 'declined',
      decision_rule: 'over_budget',
      remaining_budget_cents: 3_000,
    });
    expect(over.body.decision_reason).toContain('$30.00 left of $100.00');
    expect(
      (await t.agent<SpendRequestView>(decline.key, 'POST', '/v1/spend', spendBody(3_000))).body,
    ).toMatchObject({ status: 'approved', remaining_budget_cents: 0 });

    const ask = await t.newAgent({ budget_cents: 10_000, over_budget: 'ask' });
    const asked = await t.agent<SpendRequestView>(ask.key, 'POST', '/v1/spend', spendBody(10_001));
    expect(asked.body).toMatchObject({
      status: 'needs_approval',
      decision_rule: 'over_budget',
      remaining_budget_cents: 10_000,
    });
  });

  it('step 14: at or above the threshold, or a new merchant, needs approval; pending holds no budget', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000, approval_threshold_cents: 5_000 });
    const pending = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(5_000));
    expect(pending.body).toMatchObject({
      status: 'needs_approval',
      decision_rule: 'approval_threshold',
      remaining_budget_cents: 10_000,
    });
    expect(pending.body.approval_url).toBe(`${t.url}/app/#/approvals/${pending.body.id}`);
    expect(pending.body.expires_at).toBe(new Date(t.clock.now() + 24 * 3_600_000).toISOString());
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(4_999))).body.status,
    ).toBe('approved');

    const fresh = await t.newAgent({ ask_on_new_merchant: true });
    expect(
      (await t.agent<SpendRequestView>(fresh.key, 'POST', '/v1/spend', spendBody(100, 'Vercel')))
        .body,
    ).toMatchObject({ status: 'needs_approval', decision_rule: 'new_merchant' });
  });

  it('steps lose to the ones before them: deny-list beats threshold, budget beats threshold', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({
      budget_cents: 1_000,
      approval_threshold_cents: 500,
      deny_merchants: ['Shady'],
    });
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(600, 'Shady'))).body
        .decision_rule,
    ).toBe('merchant_denied');
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_001))).body
        .decision_rule,
    ).toBe('over_budget');
  });

  it('records the policy version that decided, and a policy edit makes a new one', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ budget_cents: 10_000 });
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100))).body
        .policy_version,
    ).toBe(1);
    const edited = await t.call('updatePolicy', {
      params: { id: agent.id },
      body: { max_transaction_cents: 50 },
    });
    expect(edited.body.policy_version).toBe(2);
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100))).body,
    ).toMatchObject({
      status: 'declined',
      policy_version: 2,
    });
  });
});
