/** Budget requests (docs/decision-order.md, step 12, the Conto flow) over real HTTP. */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import type { AgentBudgetRequestView, BudgetRequestListView } from '../helpers/agent-api';
import { spendBody, startTestServer } from '../helpers/server';

const ask = (amount: number, purpose = 'Crawl 10k pages for the literature review') => ({
  amount_cents: amount,
  purpose,
});

describe('budget requests', () => {
  it('pending → approved with an adjusted amount and window; spends draw on it until it is exhausted', async () => {
    const t = await startTestServer();
    // A small periodic budget and a low threshold: the grant replaces both while it lasts.
    const { key } = await t.newAgent({ budget_cents: 1_000, approval_threshold_cents: 500 });
    const created = await t.agent<AgentBudgetRequestView>(
      key,
      'POST',
      '/v1/budget-requests',
      ask(20_000),
    );
    expect(created.body).toMatchObject({
      status: 'pending',
      requested_amount_cents: 20_000,
      approved_amount_cents: null,
      // Like every answer to an agent, it says what is left of the periodic budget.
      remaining_budget_cents: 1_000,
    });

    const waiting = t.agent<AgentBudgetRequestView>(
      key,
      'GET',
      `/v1/budget-requests/${created.body.id}?wait=30`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const approved = await t.call('approveBudgetRequest', {
      params: { id: created.body.id },
      body: { amount_cents: 15_000, hours: 48, comment: 'half now' },
    });
    expect(approved.body).toMatchObject({
      status: 'approved',
      approved_amount_cents: 15_000,
      adjusted: true,
      comment: 'half now',
    });
    expect(approved.body.expires_at).toBe(new Date(t.clock.now() + 48 * 3_600_000).toISOString());
    expect((await waiting).body.status).toBe('approved');

    const first = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(9_000));
    expect(first.body).toMatchObject({
      status: 'approved',
      decision_rule: 'budget_request',
      budget_request_id: created.body.id,
    });
    const tooMuch = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(6_001));
    expect(tooMuch.body).toMatchObject({
      status: 'declined',
      decision_rule: 'budget_request_exhausted',
    });
    expect(tooMuch.body.decision_reason).toContain('exhausted');
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(6_000))).body.status,
    ).toBe('approved');

    const done = await t.agent<AgentBudgetRequestView>(
      key,
      'GET',
      `/v1/budget-requests/${created.body.id}`,
    );
    expect(done.body).toMatchObject({
      status: 'exhausted',
      spent_cents: 15_000,
      remaining_cents: 0,
    });
    // The grant is over: the periodic budget decides again.
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100))).body
        .decision_rule,
    ).toBe('over_budget');

    const ledger = await t.call('ledgerPage', { query: { limit: 50 } });
    const types = ledger.body.entries.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'budget_request.created',
        'budget_request.approved',
        'budget_request.exhausted',
      ]),
    );
    const drawn = ledger.body.entries.filter((e) => e.type === 'spend.approved');
    expect(drawn.every((e) => e.data.budget_request_id === created.body.id)).toBe(true);
  });

  it('one active request per agent: a second is 409 budget_request_exists', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const first = await t.agent<AgentBudgetRequestView>(
      key,
      'POST',
      '/v1/budget-requests',
      ask(100),
    );
    const second = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/budget-requests', ask(200));
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'budget_request_exists',
      details: { id: first.body.id, status: 'pending' },
    });
    await t.owner('POST', `/admin/v1/budget-requests/${first.body.id}/approve`, {});
    expect((await t.agent(key, 'POST', '/v1/budget-requests', ask(200))).status).toBe(409);
    const other = await t.newAgent({ name: 'other' });
    expect((await t.agent(other.key, 'POST', '/v1/budget-requests', ask(200))).status).toBe(200);
  });

  it('rejected with a reason; then the agent may ask again', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const r = await t.agent<AgentBudgetRequestView>(key, 'POST', '/v1/budget-requests', ask(100));
    const rejected = await t.call('rejectBudgetRequest', {
      params: { id: r.body.id },
      body: { reason: 'use the monthly budget' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', comment: 'use the monthly budget' });
    expect(
      (await t.owner('POST', `/admin/v1/budget-requests/${r.body.id}/approve`, {})).status,
    ).toBe(409);
    expect((await t.agent(key, 'POST', '/v1/budget-requests', ask(100))).status).toBe(200);
  });

  it('a pending request expires after 24 hours, an approved one when its window closes', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 0 });
    const pending = await t.agent<AgentBudgetRequestView>(
      key,
      'POST',
      '/v1/budget-requests',
      ask(100),
    );
    t.clock.advance(24 * 3_600_000);
    expect(
      (await t.agent<AgentBudgetRequestView>(key, 'GET', `/v1/budget-requests/${pending.body.id}`))
        .body.status,
    ).toBe('expired');
    expect(
      (await t.owner('POST', `/admin/v1/budget-requests/${pending.body.id}/approve`, {})).status,
    ).toBe(409);

    const next = await t.agent<AgentBudgetRequestView>(
      key,
      'POST',
      '/v1/budget-requests',
      ask(5_000),
    );
    await t.owner('POST', `/admin/v1/budget-requests/${next.body.id}/approve`, { hours: 2 });
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_000))).body.status,
    ).toBe('approved');
    t.clock.advance(2 * 3_600_000);
    const after = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_000));
    expect(after.body).toMatchObject({ status: 'declined', decision_rule: 'over_budget' });
    const read = await t.agent<AgentBudgetRequestView>(
      key,
      'GET',
      `/v1/budget-requests/${next.body.id}`,
    );
    expect(read.body).toMatchObject({ status: 'expired', spent_cents: 1_000 });
  });

  it('hard limits still apply inside a grant, and steps before 12 still decide', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ mode: 'test', deny_merchants: ['Casino'] }, 2_000);
    const r = await t.agent<AgentBudgetRequestView>(
      key,
      'POST',
      '/v1/budget-requests',
      ask(10_000),
    );
    await t.owner('POST', `/admin/v1/budget-requests/${r.body.id}/approve`, {});
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100, 'Casino'))).body
        .decision_rule,
    ).toBe('merchant_denied');
    const poor = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/spend', spendBody(3_000));
    expect(poor.status).toBe(402);
    expect(poor.body.error.code).toBe('insufficient_wallet_balance');
  });

  it('lists with a status filter, shows the active one in /v1/balance, and replays an idempotent create', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const a = await t.agent<AgentBudgetRequestView>(key, 'POST', '/v1/budget-requests', ask(100), {
      'idempotency-key': 'br-1',
    });
    const again = await t.agent<AgentBudgetRequestView>(
      key,
      'POST',
      '/v1/budget-requests',
      ask(100),
      {
        'idempotency-key': 'br-1',
      },
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(a.body.id);
    await t.owner('POST', `/admin/v1/budget-requests/${a.body.id}/reject`, {});
    const b = await t.agent<AgentBudgetRequestView>(key, 'POST', '/v1/budget-requests', ask(300));
    const pending = await t.agent<BudgetRequestListView>(
      key,
      'GET',
      '/v1/budget-requests?status=pending',
    );
    expect(pending.body.data.map((r) => r.id)).toEqual([b.body.id]);
    expect(pending.body.remaining_budget_cents).toBe(100_000);
    const all = await t.agent<BudgetRequestListView>(key, 'GET', '/v1/budget-requests');
    expect(all.body.data).toHaveLength(2);
    const balance = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(balance.body.active_budget_request).toMatchObject({ id: b.body.id, status: 'pending' });
    const other = await t.newAgent({ name: 'other' });
    expect((await t.agent(other.key, 'GET', `/v1/budget-requests/${b.body.id}`)).status).toBe(404);
  });

  it('validates its body', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    for (const body of [
      { amount_cents: 0, purpose: 'x' },
      { amount_cents: 100 },
      { amount_cents: 100, purpose: '' },
      { ...ask(100), extra: 1 },
    ]) {
      const r = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/budget-requests', body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
  });
});
