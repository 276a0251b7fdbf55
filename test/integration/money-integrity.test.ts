/**
 * The attacks of an agent that holds a spending key and nothing else, each over HTTP against
 * a real server (docs/money-integrity.md). Each was tried against the code before the rules
 * and succeeded there: the agent got money back, took it from another agent, or hid a
 * request from the owner. Here each must fail.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import type { ReceiptResultView } from '../../shared/schemas/receipts';
import type { AgentBudgetRequestView } from '../helpers/agent-api';
import { spendBody, startTestServer, type TestServer } from '../helpers/server';

const card = (extra: Record<string, unknown>) => ({ rail: 'card', merchant_name: 'AWS', ...extra });

const balanceOf = async (t: TestServer, key: string) =>
  (await t.agent<BalanceView>(key, 'GET', '/v1/balance')).body;

describe('nothing an agent says gives money back', () => {
  it('grant refill: a 1-micro receipt for a $50 spend does not refill the $100 grant', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 0 });
    const br = await t.agent<AgentBudgetRequestView>(key, 'POST', '/v1/budget-requests', {
      amount_cents: 10_000,
      purpose: 'a crawl',
    });
    expect(
      (await t.owner('POST', `/admin/v1/budget-requests/${br.body.id}/approve`, {})).status,
    ).toBe(200);
    const statuses: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const spend = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(5_000));
      statuses.push(spend.body.status);
      if (spend.body.status !== 'approved') continue;
      const r = await t.agent<ReceiptResultView>(
        key,
        'POST',
        '/v1/receipts',
        card({ amount_micros: 1, spend_request_id: spend.body.id }),
      );
      expect(r.body).toMatchObject({
        settles: true,
        counted_micros: 0,
        flags: ['less_than_request'],
      });
    }
    // Two $50 spends fit the $100 grant; the other three do not.
    expect(statuses).toEqual(['approved', 'approved', 'declined', 'declined', 'declined']);
    const grant = await t.agent<AgentBudgetRequestView>(
      key,
      'GET',
      `/v1/budget-requests/${br.body.id}`,
    );
    expect(grant.body).toMatchObject({ status: 'exhausted', spent_cents: 10_000 });
  });

  it('shrinking a pending request: a 1-micro receipt naming it neither shrinks nor settles it', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 200_000, approval_threshold_cents: 5_000 });
    const pending = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100_000));
    expect(pending.body.status).toBe('needs_approval');
    const r = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      card({ amount_micros: 1, spend_request_id: pending.body.id }),
    );
    expect(r.body).toMatchObject({
      settles: false,
      counted_micros: 1,
      flags: ['request_needs_approval'],
    });
    expect(
      (await t.owner('POST', `/admin/v1/spend-requests/${pending.body.id}/approve`, {})).status,
    ).toBe(200);
    // The $1,000 counts in full (plus the micro-dollar the receipt reported).
    expect((await balanceOf(t, key)).spent_cents).toBe(100_001);
    // The true receipt, later, settles it.
    const truth = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      card({ amount_cents: 100_000, spend_request_id: pending.body.id }),
    );
    expect(truth.status).toBe(200);
    expect(truth.body).toMatchObject({ settles: true, counted_micros: 0 });
  });

  it("yesterday's request settled today: the excess counts today, and pauses the agent", async () => {
    const t = await startTestServer({ now: Date.UTC(2026, 2, 14, 23, 59) });
    expect((await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'UTC' })).status).toBe(200);
    const { key } = await t.newAgent({ budget_cents: 10_000, period: 'daily' });
    const spend = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(100));
    expect(spend.body.status).toBe('approved');
    t.clock.advance(90_000); // 00:00:30, a new day
    const r = await t.agent<ReceiptResultView>(
      key,
      'POST',
      '/v1/receipts',
      card({ amount_cents: 49_900, spend_request_id: spend.body.id }),
    );
    // $498 more than approved, counted in today's window: over today's $100, and $398 of it
    // is more than the agent could have spent on its own today.
    expect(r.body).toMatchObject({
      settles: true,
      counted_micros: 498_000_000,
      over_budget: true,
      flags: ['exceeds_request', 'held_for_review'],
      review: { kind: 'shared_excess', amount_cents: 39_800 },
    });
    expect(r.body.budget).toMatchObject({ status: 'paused', spent_cents: 49_800 });
    const next = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(10_000));
    expect(next.body.status).toBe('declined');
  });

  it('releases only on the owner’s word: settle for less, ledgered', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 10_000 }, 10_000);
    const spend = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(4_000));
    const refund = await t.call('settleSpend', {
      params: { id: spend.body.id },
      body: { amount_cents: 1_000, comment: 'refunded $30' },
    });
    expect(refund.status).toBe(200);
    expect(refund.body.released_cents).toBe(3_000);
    expect(await balanceOf(t, key)).toMatchObject({
      spent_cents: 1_000,
      funding_balance_cents: 9_000,
    });
    // Not for more than it counts, and not twice past zero.
    const more = await t.owner<ErrorEnvelope>(
      'POST',
      `/admin/v1/spend-requests/${spend.body.id}/settle`,
      {
        amount_cents: 1_000,
      },
    );
    expect(more.status).toBe(409);
    const entries = await t.call('ledgerPage', { query: { type: 'spend.settled' } });
    expect(entries.body.entries).toEqual([
      expect.objectContaining({ actor: 'owner', counted_micros: '-30000000' }),
    ]);
  });
});

describe('nothing an agent says takes money from another agent', () => {
  it('locking out the others: a $1,000,000,000 receipt leaves the shared source to the rest', async () => {
    const t = await startTestServer();
    const greedy = await t.newAgent({ mode: 'test', name: 'greedy', budget_cents: 1_000 }, 0);
    const other = await t.newAgent({ mode: 'test', name: 'other', budget_cents: 5_000 }, 0);
    await t.agent(other.key, 'POST', '/v1/sandbox/faucet', { amount_cents: 10_000 });
    const r = await t.agent<ReceiptResultView>(
      greedy.key,
      'POST',
      '/v1/receipts',
      card({ amount_micros: 1_000_000_000_000_000 }),
    );
    expect(r.status).toBe(200);
    // It counts in full against the greedy agent; against the shared source only what it
    // could have spent ($10); the rest waits for the owner, and so does the agent.
    expect(r.body).toMatchObject({
      counted_micros: 1_000_000_000_000_000,
      review: { kind: 'shared_excess', status: 'open' },
    });
    expect(r.body.budget).toMatchObject({ status: 'paused', funding_balance_cents: 9_000 });
    const spend = await t.agent<SpendRequestView>(other.key, 'POST', '/v1/spend', spendBody(5_000));
    expect(spend.status).toBe(200);
    expect(spend.body.status).toBe('approved');
    // The owner sees the claim in Approvals and disputes it: the source is as it was.
    const queue = await t.call('listApprovals');
    expect(queue.body.groups).toEqual([
      expect.objectContaining({ agent_id: greedy.agent.id, review_count: 1 }),
    ]);
    const disputed = await t.owner('POST', `/admin/v1/receipts/${r.body.id}/dispute`, {
      comment: 'no such payment',
    });
    expect(disputed.body).toMatchObject({
      review: { status: 'disputed', comment: 'no such payment' },
    });
    expect((await balanceOf(t, other.key)).funding_balance_cents).toBe(4_000);
  });
});

describe('a frozen wallet gives a receipt no room on shared limits', () => {
  it('while frozen, the whole of a receipt waits for the owner before it touches the source', async () => {
    const t = await startTestServer();
    const agent = await t.newAgent({ mode: 'test', name: 'frozen-out', budget_cents: 5_000 }, 0);
    await t.agent(agent.key, 'POST', '/v1/sandbox/faucet', { amount_cents: 10_000 });
    expect((await t.owner('POST', '/admin/v1/freeze')).status).toBe(200);
    // $20 is well within the agent's budget and the source: unfrozen, it would count in full.
    const r = await t.agent<ReceiptResultView>(
      agent.key,
      'POST',
      '/v1/receipts',
      card({ amount_cents: 2_000 }),
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ review: { kind: 'shared_excess', amount_cents: 2_000 } });
    expect(r.body.budget).toMatchObject({ funding_balance_cents: 10_000 });
  });
});

describe('the owner can always see and act on every pending request', () => {
  it('hiding from the owner: a flood is capped, grouped, paged, declined at once, cancelled by revoking', async () => {
    const t = await startTestServer();
    const quiet = await t.newAgent({ name: 'quiet', approval_threshold_cents: 1 });
    const early = await t.agent<SpendRequestView>(quiet.key, 'POST', '/v1/spend', spendBody(1_234));
    expect(early.body.status).toBe('needs_approval');
    const flood = await t.newAgent({
      name: 'flood',
      approval_threshold_cents: 1,
      rate_limit_per_minute: 100_000,
    });
    const metadata = { blob: 'x'.repeat(3_500) };
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        t.agent<SpendRequestView>(
          flood.key,
          'POST',
          '/v1/spend',
          spendBody(1, 'AWS', { metadata }),
        ),
      ),
    );
    const rules = answers.map((a) => a.body.decision_rule);
    // The default cap: twenty wait; past it, declined with its own rule.
    expect(rules.filter((r) => r === 'approval_threshold')).toHaveLength(20);
    expect(rules.filter((r) => r === 'too_many_pending')).toHaveLength(40);

    const queue = await t.call('listApprovals', { query: { limit: 5 } });
    expect(queue.body.counts.spend_requests).toBe(21);
    const quietGroup = queue.body.groups.find((g) => g.agent_id === quiet.agent.id);
    expect(quietGroup?.spend_requests.map((r) => r.id)).toEqual([early.body.id]);
    // The flood's group pages on until every request has been seen, each once.
    const floodGroup = queue.body.groups.find((g) => g.agent_id === flood.agent.id);
    const seen = [...(floodGroup?.spend_requests.map((r) => r.id) ?? [])];
    for (let before = floodGroup?.next_before ?? null; before !== null;) {
      const page = await t.call('listApprovals', {
        query: { agent_id: flood.agent.id, before, limit: 5 },
      });
      seen.push(...(page.body.groups[0]?.spend_requests.map((r) => r.id) ?? []));
      before = page.body.groups[0]?.next_before ?? null;
    }
    expect(new Set(seen).size).toBe(20);
    expect(seen).toHaveLength(20);

    // Decline all of one agent: the other's request still waits.
    const declined = await t.call('declineAllPending', {
      params: { id: flood.agent.id },
      body: { comment: 'flood' },
    });
    expect(declined.body.declined).toBe(20);
    const after = await t.call('listApprovals');
    expect(after.body.groups.map((g) => g.agent_id)).toEqual([quiet.agent.id]);

    // Revoking an agent cancels what it has waiting.
    await t.agent(flood.key, 'POST', '/v1/spend', spendBody(1));
    expect((await t.owner('POST', `/admin/v1/agents/${flood.agent.id}/revoke`)).status).toBe(200);
    const cancelled = await t.call('listSpendRequests', { query: { status: 'cancelled' } });
    expect(cancelled.body.spend_requests).toEqual([
      expect.objectContaining({ status: 'cancelled', decision_rule: 'agent_revoked' }),
    ]);
    expect((await t.call('listApprovals')).body.counts.spend_requests).toBe(1);
  });
});

describe('amounts are read from their digits', () => {
  const raw = (t: TestServer, key: string, path: string, text: string) =>
    t.raw(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: text,
    });

  it('refuses a number JSON would round, on every route, and writes nothing', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100_000 });
    const ledgerBefore = await t.call('ledgerPage', { query: { limit: 1000 } });
    const attempts: Array<[string, string]> = [
      [
        '/v1/spend',
        '{"amount_cents": 0.99999999999999999999, "currency": "usd", "merchant_name": "AWS", "reason": "x"}',
      ],
      [
        '/v1/receipts',
        '{"amount_micros": 1.0000000000000000001, "rail": "card", "merchant_name": "AWS"}',
      ],
      ['/v1/budget-requests', '{"amount_cents": 12345678901234567890, "purpose": "x"}'],
    ];
    for (const [path, text] of attempts) {
      const r = await raw(t, key, path, text);
      expect(r.status, path).toBe(400);
      expect(r.body, path).toMatchObject({
        error: { code: 'invalid_request', details: { reason: 'inexact_number' } },
      });
    }
    const ledgerAfter = await t.call('ledgerPage', { query: { limit: 1000 } });
    expect(ledgerAfter.body.entries).toHaveLength(ledgerBefore.body.entries.length);
    // What is written exactly passes: 1e2 is a hundred cents, digit for digit.
    const exact = await raw(
      t,
      key,
      '/v1/spend',
      '{"amount_cents": 1e2, "currency": "usd", "merchant_name": "AWS", "reason": "x"}',
    );
    expect(exact.body).toMatchObject({ status: 'approved', amount_cents: 100 });
  });
});

describe('merchant names that show nothing', () => {
  it('refuses a name of blanks, fillers or marks; shows near-blank ones with escapes', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100_000, approval_threshold_cents: 1 });
    for (const blank of ['\u2800\u2800\u2800', '\u3164', '\u115f\u1160', '\u0301\u0302\u0303']) {
      const r = await t.agent<ErrorEnvelope>(key, 'POST', '/v1/spend', spendBody(1_234, blank));
      expect(r.status, JSON.stringify(blank)).toBe(400);
      expect(r.body.error.message).toMatch(/merchant_name must have a visible character/);
      const receipt = await t.agent<ErrorEnvelope>(
        key,
        'POST',
        '/v1/receipts',
        card({ merchant_name: blank, amount_cents: 1 }),
      );
      expect(receipt.status).toBe(400);
    }
    const stacked = `AWS${'\u0301'.repeat(12)}\u2800`;
    const r = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1_234, stacked));
    expect(r.body.status).toBe('needs_approval');
  });
});
