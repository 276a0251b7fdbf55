/** Receipts that settle a spend drawn on a budget request, and every limit a receipt can report. */
import { describe, expect, it } from 'vitest';
import type { LedgerVerifyView } from '../../shared/ledger';
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import type { ReceiptResultView } from '../../shared/schemas/receipts';
import type { AgentBudgetRequestView } from '../helpers/agent-api';
import { spendBody, startTestServer, type TestServer } from '../helpers/server';

const receipt = (extra: Record<string, unknown>) => ({
  rail: 'x402',
  host: 'api.example.com',
  ...extra,
});

/** An approved budget request of `cents` for the agent holding `key`. */
async function grant(t: TestServer, key: string, cents: number): Promise<string> {
  const br = await t.agent<AgentBudgetRequestView>(key, 'POST', '/v1/budget-requests', {
    amount_cents: cents,
    purpose: 'Crawl 10k pages for the literature review',
  });
  const approved = await t.call('approveBudgetRequest', { params: { id: br.body.id }, body: {} });
  expect(approved.body.status).toBe('approved');
  return br.body.id;
}

describe('receipts settling a spend that drew on a budget request', () => {
  it('a receipt for less gives nothing back to the budget request until the owner accepts it', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100_000 });
    const grantId = await grant(t, key, 10_000);
    const spend = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(4_000));
    expect(spend.body).toMatchObject({
      status: 'approved',
      decision_rule: 'budget_request',
      budget_request_id: grantId,
    });
    const read = () =>
      t
        .agent<AgentBudgetRequestView>(key, 'GET', `/v1/budget-requests/${grantId}`)
        .then((r) => r.body);
    expect(await read()).toMatchObject({ spent_cents: 4_000, remaining_cents: 6_000 });

    const less = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 3_000, spend_request_id: spend.body.id }),
    );
    expect(less.status).toBe(200);
    expect(less.body).toMatchObject({
      counted_micros: 0,
      flags: ['less_than_request'],
      budget_request_id: grantId,
      over_limits: [],
    });
    // The grant is not refilled on the agent's word (docs/money-integrity.md, rule 1).
    expect(await read()).toMatchObject({ spent_cents: 4_000, remaining_cents: 6_000 });
    // The owner settles it for what the receipt said: the $10 goes back to the grant.
    expect((await t.owner('POST', `/admin/v1/receipts/${less.body.id}/accept`, {})).status).toBe(
      200,
    );
    expect(await read()).toMatchObject({
      status: 'approved',
      spent_cents: 3_000,
      remaining_cents: 7_000,
    });
  });

  it('a receipt for more charges the extra to the budget request', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100_000 });
    const grantId = await grant(t, key, 10_000);
    const spend = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(4_000));
    expect(spend.body.budget_request_id).toBe(grantId);

    const more = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 5_500, spend_request_id: spend.body.id }),
    );
    expect(more.body).toMatchObject({
      counted_micros: 15_000_000,
      flags: ['exceeds_request'],
      budget_request_id: grantId,
      over_limits: [],
    });
    const read = await t.agent<AgentBudgetRequestView>(
      key,
      'GET',
      `/v1/budget-requests/${grantId}`,
    );
    expect(read.body).toMatchObject({
      status: 'approved',
      spent_cents: 5_500,
      remaining_cents: 4_500,
    });
  });
});

describe('receipt over_limits names each limit it goes past', () => {
  it('budget_request: more than the approved grant', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100_000 });
    const grantId = await grant(t, key, 5_000);
    const r = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 6_000 }),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      budget_request_id: grantId,
      over_budget: true,
      over_limits: ['budget_request'],
    });
  });

  /**
   * A shared limit cannot be passed on an agent's word: the part past it is held for the
   * owner (docs/money-integrity.md, rule 2). Once the owner accepts it, the limit is passed,
   * and the agent's next receipt says so.
   */
  async function pastSharedLimit(
    t: TestServer,
    key: string,
    cents: number,
    held: number,
    limit: string,
  ): Promise<void> {
    const r = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: cents }),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      over_budget: false,
      over_limits: [],
      flags: ['held_for_review'],
      review: { kind: 'shared_excess', status: 'open', amount_cents: held },
    });
    const accepted = await t.owner('POST', `/admin/v1/receipts/${r.body.id}/accept`, {});
    expect(accepted.status).toBe(200);
    const next = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_micros: 1 }),
    );
    expect(next.body).toMatchObject({ over_budget: true, over_limits: [limit] });
  }

  it('funding_limit: past the funding source period limit', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ budget_cents: 100_000 }, 50_000);
    await t.owner('PUT', `/admin/v1/funding-sources/${agent.funding_source_id}/limit`, {
      limit_cents: 2_000,
      period: 'daily',
    });
    await pastSharedLimit(t, key, 2_001, 1, 'funding_limit');
  });

  it('funding_balance: more than the funding source holds', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ mode: 'test', budget_cents: 100_000 }, 5_000);
    await pastSharedLimit(t, key, 5_001, 1, 'funding_balance');
  });

  it('global_cap: past the cap over all agents of the mode', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100_000 }, 50_000);
    await t.owner('PATCH', '/admin/v1/settings', {
      global_cap: { amount_cents: 3_000, period: 'weekly' },
    });
    const within = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 3_000 }),
    );
    expect(within.body).toMatchObject({ over_budget: false, over_limits: [], flags: [] });
    await pastSharedLimit(t, key, 1, 1, 'global_cap');
  });
});

describe('a receipt for a request that was still pending', () => {
  it('does not settle it: the receipt counts on its own, and the request stays pending', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100_000, approval_threshold_cents: 5_000 });
    const pending = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(6_000));
    expect(pending.body.status).toBe('needs_approval');

    // The agent says it paid 1 micro-dollar for it. That neither shrinks the request nor
    // settles it (docs/money-integrity.md, rule 4): it is a payment of its own, flagged.
    const paid = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_micros: 1, spend_request_id: pending.body.id }),
    );
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      settles: false,
      counted_micros: 1,
      flags: ['request_needs_approval'],
    });
    const spent = async () =>
      (await t.agent<BalanceView>(key, 'GET', '/v1/balance')).body.spent_cents;
    expect(await spent()).toBe(1);

    const approved = await t.call('approveSpend', { params: { id: pending.body.id }, body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decision_rule: 'owner_approved' });
    // The $60 counts in full: the receipt's micro-dollar took nothing off it.
    expect(await spent()).toBe(6_001);
    // …and a true receipt for it now settles it.
    const settled = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 6_000, spend_request_id: pending.body.id }),
    );
    expect(settled.body).toMatchObject({ settles: true, counted_micros: 0, flags: [] });
    const verify = await t.owner<LedgerVerifyView>('POST', '/admin/v1/ledger/verify');
    expect(verify.body.ok).toBe(true);
  });
});
