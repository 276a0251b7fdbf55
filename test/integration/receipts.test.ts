/** Receipts: payments made elsewhere, always recorded and counted, settling requests. */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import type { ReceiptResultView } from '../../shared/schemas/receipts';
import type { AgentBudgetRequestView } from '../helpers/agent-api';
import { spendBody, startTestServer } from '../helpers/server';
import { openEvents } from '../helpers/sse';
import { walletInternals } from '../../electron/core/wallet-internals';

const receipt = (extra: Record<string, unknown>) => ({
  rail: 'x402',
  host: 'api.example.com',
  ...extra,
});

describe('receipts', () => {
  it('a receipt with no request is counted in full and answered with the budget after it', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000 }, 50_000);
    const r = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 2_500, tx_hash: '0xabc', network: 'base' }),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      amount_cents: 2_500,
      counted_micros: 25_000_000,
      over_budget: false,
      flags: [],
      remaining_budget_cents: 7_500,
    });
    expect(r.body.budget).toMatchObject({ spent_cents: 2_500, funding_balance_cents: 47_500 });
    const entry = await t.call('ledgerPage', { query: { type: 'receipt.recorded' } });
    expect(entry.body.entries[0]).toMatchObject({
      rail: 'x402',
      merchant: 'api.example.com',
      counted_micros: '25000000',
    });
  });

  it('counts sub-cent x402 prices exactly in micros', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100 });
    for (let i = 0; i < 3; i += 1)
      await t.agent(key, 'POST', '/v1/receipts', receipt({ amount_micros: 1_234 }));
    const balance = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(balance.body.spent_cents).toBe(1); // 3,702 micros, rounded up to a cent
    const deps = walletInternals(t.server.wallet);
    const [agent] = deps.agents.list();
    if (!agent) throw new Error('no agent');
    expect(
      deps.limits.budget(agent, deps.policies.current(agent), t.clock.now(), false).spent,
    ).toBe(3_702n);
  });

  it('over a limit: recorded anyway, over_budget, the owner alerted, the agent paused when its policy says so', async () => {
    const t = await startTestServer();
    const pausing = await t.newAgent({
      name: 'strict',
      budget_cents: 1_000,
      pause_on_over_budget: true,
    });
    const lenient = await t.newAgent({ name: 'lenient', budget_cents: 1_000 });
    const stream = await openEvents(t.url, t.server.ownerToken);
    try {
      const r = await t.agent<ReceiptResultView>(
        pausing.key,
        'POST',
        '/v1/receipts',
        receipt({ amount_cents: 1_500 }),
      );
      expect(r.body).toMatchObject({
        over_budget: true,
        over_limits: ['budget'],
        remaining_budget_cents: 0,
      });
      expect(r.body.budget.status).toBe('paused');
      await stream.next(
        (e) =>
          e.event === 'alert' &&
          e.data.kind === 'over_budget' &&
          e.data.agent_id === pausing.agent.id,
      );
      await stream.next((e) => e.event === 'alert' && e.data.kind === 'agent_paused');
      expect(
        (await t.agent<SpendRequestView>(pausing.key, 'POST', '/v1/spend', spendBody(1))).body
          .status,
      ).toBe('declined');

      const l = await t.agent<ReceiptResultView>(
        lenient.key,
        'POST',
        '/v1/receipts',
        receipt({ amount_cents: 1_500 }),
      );
      // Without pause_on_over_budget the agent would run on; but $5 of its $15 is more than
      // it could spend on its own, so that part waits for the owner, and so does the agent
      // (docs/money-integrity.md, rule 2).
      expect(l.body).toMatchObject({
        over_budget: true,
        flags: ['held_for_review'],
        review: { kind: 'shared_excess', status: 'open', amount_cents: 500 },
      });
      expect(l.body.budget.status).toBe('paused');
      await stream.next(
        (e) =>
          e.event === 'alert' &&
          e.data.kind === 'receipt_held' &&
          e.data.agent_id === lenient.agent.id,
      );
    } finally {
      stream.close();
    }
    const paused = await t.call('ledgerPage', { query: { type: 'agent.status_changed' } });
    const pauseOf = (id: string) => paused.body.entries.filter((e) => e.agent_id === id);
    // Each paused once, by the rule that paused it.
    expect(pauseOf(pausing.agent.id)).toEqual([
      expect.objectContaining({
        actor: 'system',
        data: expect.objectContaining({ to: 'paused', because: 'over_budget' }),
      }),
    ]);
    expect(pauseOf(lenient.agent.id)).toEqual([
      expect.objectContaining({
        actor: 'system',
        data: expect.objectContaining({ to: 'paused', because: 'receipt_review' }),
      }),
    ]);
  });

  it('settling for less releases nothing until the owner accepts; with more, counts it and flags it', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000 }, 20_000);
    const a = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(4_000));
    const less = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 3_000, spend_request_id: a.body.id }),
    );
    // The agent's word gives nothing back (docs/money-integrity.md, rule 1).
    expect(less.body).toMatchObject({
      counted_micros: 0,
      settles: true,
      flags: ['less_than_request'],
      review: { kind: 'settled_for_less', status: 'open', amount_cents: 1_000 },
      remaining_budget_cents: 6_000,
    });
    expect(less.body.budget).toMatchObject({ spent_cents: 4_000, funding_balance_cents: 16_000 });
    // The owner accepts: the $10 goes back to the budget and the funding source.
    const accepted = await t.owner('POST', `/admin/v1/receipts/${less.body.id}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ review: { status: 'accepted' } });
    const after = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(after.body).toMatchObject({ spent_cents: 3_000, funding_balance_cents: 17_000 });

    const b = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_000));
    const more = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 1_500, spend_request_id: b.body.id }),
    );
    expect(more.body).toMatchObject({
      counted_micros: 5_000_000,
      flags: ['exceeds_request'],
      remaining_budget_cents: 5_500,
    });

    const twice = await t.agent<ErrorEnvelope>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 1_000, spend_request_id: b.body.id }),
    );
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('invalid_request');
  });

  it('a receipt for a request that was never approved counts in full and is flagged', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000, approval_threshold_cents: 1_000 });
    const p = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(2_000));
    expect(p.body.status).toBe('needs_approval');
    const r = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 2_000, spend_request_id: p.body.id }),
    );
    expect(r.body).toMatchObject({ counted_micros: 20_000_000, flags: ['request_needs_approval'] });
  });

  it("another agent's request is not found", async () => {
    const t = await startTestServer();
    const a = await t.newAgent({ name: 'a' });
    const b = await t.newAgent({ name: 'b' });
    const spend = await t.agent<SpendRequestView>(a.key, 'POST', '/v1/spend', spendBody(100));
    expect(
      (
        await t.agent(
          b.key,
          'POST',
          '/v1/receipts',
          receipt({ amount_cents: 100, spend_request_id: spend.body.id }),
        )
      ).status,
    ).toBe(404);
  });

  it('a receipt inside an approved budget request draws on it', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const br = await t.agent<AgentBudgetRequestView>(key, 'POST', '/v1/budget-requests', {
      amount_cents: 5_000,
      purpose: 'scrape',
    });
    await t.owner('POST', `/admin/v1/budget-requests/${br.body.id}/approve`, {});
    const r = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 2_000 }),
    );
    expect(r.body.budget_request_id).toBe(br.body.id);
    const read = await t.agent<AgentBudgetRequestView>(
      key,
      'GET',
      `/v1/budget-requests/${br.body.id}`,
    );
    expect(read.body).toMatchObject({ spent_cents: 2_000, remaining_cents: 3_000 });
  });

  it('is idempotent', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000 });
    const first = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 700 }),
      { 'idempotency-key': 'pay-1' },
    );
    const again = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 700 }),
      { 'idempotency-key': 'pay-1' },
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.budget.spent_cents).toBe(700);
    const conflict = await t.agent<ErrorEnvelope>(
      key,
      'POST',
      '/v1/receipts',
      receipt({ amount_cents: 701 }),
      { 'idempotency-key': 'pay-1' },
    );
    expect(conflict.body.error.code).toBe('idempotency_key_conflict');
  });

  it('validates: exactly one amount, a merchant or host, a known rail', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const bad = [
      { rail: 'x402', host: 'a.example' },
      { rail: 'x402', host: 'a.example', amount_cents: 1, amount_micros: 10_000 },
      { rail: 'x402', amount_cents: 1 },
      { rail: 'wire', host: 'a.example', amount_cents: 1 },
      { rail: 'card', host: 'not a host', amount_cents: 1 },
      { rail: 'card', merchant_name: 'AWS', amount_micros: 1.5 },
      { rail: 'card', merchant_name: 'AWS', amount_cents: 1, occurred_at: 'yesterday' },
    ];
    for (const body of bad) {
      const r = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/receipts', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
  });
});
