/**
 * `GET /admin/v1/overview` over real HTTP: spend across agents today and this period
 * (against the global cap when one is set), what waits for the owner, the agents nearest
 * their limits and the newest ledger entries; the owner's only, and bad input refused.
 */
import { getAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { usedBasisPoints } from '../../electron/core/overview/overview-service';
import { walletInternals } from '../../electron/core/wallet-internals';
import type { ErrorEnvelope } from '../../shared/errors';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer, T0, type TestServer } from '../helpers/server';

const overview = async (t: TestServer, query: Record<string, number> = {}) => {
  const answer = await t.call('overview', { query });
  expect(answer.status).toBe(200);
  return answer.body;
};

/** An on-chain transfer the reconciler could not match, as it records one. */
function unmatchedTransfer(t: TestServer, agentId: string | null, logIndex: number) {
  const address = getAddress(`0x${'1'.repeat(40)}`);
  walletInternals(t.server.wallet).chainTransfers.insert({
    chain: 'local',
    txHash: `0x${'a'.repeat(64)}`,
    logIndex,
    block: 1,
    from: address,
    to: address,
    sender: address,
    units: 1_000_000n,
    agentId,
    matched: null,
  });
}

describe('the overview', () => {
  it('a fresh wallet: nothing spent, nothing waits, no cap, no-store', async () => {
    const t = await startTestServer();
    const answer = await t.call('overview');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const o = answer.body;
    expect(o.spend.map((s) => s.mode)).toEqual(['live', 'test']);
    expect(o.spend[0]).toMatchObject({
      today: { spent_micros: '0' },
      period: { period: 'monthly', window_kind: 'calendar', cap_micros: null, left_micros: null },
    });
    expect(o.waiting).toEqual({
      spend_requests: { count: 0, oldest_at: null },
      budget_requests: { count: 0, oldest_at: null },
      receipt_reviews: { count: 0 },
      unmatched_transfers: { count: 0 },
      paused_agents: { count: 0, agents: [] },
    });
    expect(o.nearest_limits).toEqual([]);
    expect(o.frozen).toBe(false);
    expect(o.as_of).toBe(new Date(T0).toISOString());
  });

  it('reflects spends, pending requests with the oldest’s age, paused agents and limits', async () => {
    const t = await startTestServer();
    const a = await t.newAgent({
      name: 'alpha',
      budget_cents: 10_000,
      approval_threshold_cents: 5_000,
    });
    const b = await t.newAgent({ name: 'beta', budget_cents: 10_000 });
    const c = await t.newAgent({ name: 'gamma', budget_cents: 10_000 });
    await t.newAgent({ name: 'sandbox', mode: 'test', budget_cents: 1_000 }, 0);

    expect((await t.agent(a.key, 'POST', '/v1/spend', spendBody(3_000))).status).toBe(200);
    expect((await t.agent(b.key, 'POST', '/v1/spend', spendBody(9_000))).status).toBe(200);
    const firstPendingAt = T0 + 60_000;
    t.clock.advance(60_000);
    const pending = await t.agent<SpendRequestView>(a.key, 'POST', '/v1/spend', spendBody(6_000));
    expect(pending.body.status).toBe('needs_approval');
    t.clock.advance(60_000);
    await t.agent(a.key, 'POST', '/v1/spend', spendBody(7_000));
    t.clock.advance(60_000);
    const asked = await t.agent(c.key, 'POST', '/v1/budget-requests', {
      amount_cents: 20_000,
      purpose: 'a crawl',
    });
    expect(asked.status).toBe(200);
    expect((await t.call('pauseAgent', { params: { id: c.agent.id } })).status).toBe(200);

    const o = await overview(t);
    // $30 + $90 approved, in the live mode's day and month; the pending ones hold nothing.
    const live = o.spend.find((s) => s.mode === 'live');
    expect(live?.today.spent_micros).toBe('120000000');
    expect(live?.period.spent_micros).toBe('120000000');
    expect(o.spend.find((s) => s.mode === 'test')?.today.spent_micros).toBe('0');
    expect(o.waiting.spend_requests).toEqual({
      count: 2,
      oldest_at: new Date(firstPendingAt).toISOString(),
    });
    expect(o.waiting.budget_requests).toEqual({
      count: 1,
      oldest_at: new Date(T0 + 180_000).toISOString(),
    });
    expect(o.waiting.paused_agents).toEqual({
      count: 1,
      agents: [{ id: c.agent.id, name: 'gamma', mode: 'live' }],
    });
    // The most used budget first: beta 90 %, alpha 30 %; gamma and the sandbox spent nothing.
    expect(
      o.nearest_limits.map((n) => [n.agent_name, n.used_bp, n.budget.spent_cents, n.status]),
    ).toEqual([
      ['beta', 9_000, 9_000, 'active'],
      ['alpha', 3_000, 3_000, 'active'],
      ['gamma', 0, 0, 'paused'],
      ['sandbox', 0, 0, 'active'],
    ]);
    expect((await overview(t, { nearest: 1 })).nearest_limits).toHaveLength(1);

    // Latest activity: the newest ledger entries by sequence, with the agent's name.
    const ledger = await t.call('ledgerPage', { query: { limit: 3 } });
    const activity = (await overview(t, { activity: 3 })).activity;
    expect(activity.map((e) => e.seq)).toEqual(ledger.body.entries.map((e) => e.seq));
    expect(activity[0]).toMatchObject({
      type: 'agent.status_changed',
      agent_id: c.agent.id,
      agent_name: 'gamma',
      status: 'paused',
    });
    expect(o.activity).toHaveLength(10);
  });

  it('this period is the global cap’s when one is set: spent, left, over', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100_000 });
    await t.owner('PATCH', '/admin/v1/settings', {
      global_cap: { amount_cents: 5_000, period: 'weekly', window: 'rolling' },
    });
    await t.agent(key, 'POST', '/v1/spend', spendBody(2_000));
    const live = (await overview(t)).spend[0];
    expect(live?.period).toMatchObject({
      period: 'weekly',
      window_kind: 'rolling',
      spent_micros: '20000000',
      cap_micros: '50000000',
      left_micros: '30000000',
      over_cap: false,
    });
    expect(live?.today.spent_micros).toBe('20000000');
  });

  it('counts open receipt reviews and unmatched transfers until the owner acts', async () => {
    const t = await startTestServer();
    const greedy = await t.newAgent({ mode: 'test', name: 'greedy', budget_cents: 1_000 }, 0);
    const other = await t.newAgent({ mode: 'test', name: 'other', budget_cents: 5_000 }, 0);
    await t.agent(other.key, 'POST', '/v1/sandbox/faucet', { amount_cents: 10_000 });
    const receipt = await t.agent<{ id: string }>(greedy.key, 'POST', '/v1/receipts', {
      rail: 'card',
      merchant_name: 'AWS',
      amount_cents: 1_500,
    });
    expect(receipt.status).toBe(200);
    let o = await overview(t);
    expect(o.waiting.receipt_reviews.count).toBe(1);
    expect(o.waiting.paused_agents.agents.map((a) => a.name)).toEqual(['greedy']);
    // Over its budget, the receipt's agent is the nearest to (past) its limit.
    expect(o.nearest_limits[0]).toMatchObject({ agent_name: 'greedy', used_bp: 15_000 });

    // An unmatched transfer waits while its agent stays paused for it.
    unmatchedTransfer(t, greedy.agent.id, 0);
    unmatchedTransfer(t, other.agent.id, 1); // its agent is active: the owner has looked
    expect((await overview(t)).waiting.unmatched_transfers.count).toBe(1);
    await t.owner('POST', `/admin/v1/receipts/${receipt.body.id}/dispute`, { comment: 'no' });
    await t.call('resumeAgent', { params: { id: greedy.agent.id } });
    o = await overview(t);
    expect(o.waiting.receipt_reviews.count).toBe(0);
    expect(o.waiting.unmatched_transfers.count).toBe(0);
    expect(o.waiting.paused_agents.count).toBe(0);
    // One that no agent accounts for has no agent to resume: it stays.
    unmatchedTransfer(t, null, 2);
    expect((await overview(t)).waiting.unmatched_transfers.count).toBe(1);
  });

  it('is the owner’s only, and bad input gets the error envelope', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const asAgent = await t.agent<ErrorEnvelope>(key, 'GET', '/admin/v1/overview');
    expect(asAgent.status).toBe(401);
    expect(asAgent.body.error.code).toBe('invalid_api_key');
    const anonymous = await t.raw('/admin/v1/overview');
    expect(anonymous.status).toBe(401);
    for (const query of ['activity=0', 'activity=51', 'activity=x', 'nearest=-1', 'other=1']) {
      const bad = await t.owner<ErrorEnvelope>('GET', `/admin/v1/overview?${query}`);
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
      expect(bad.body.error.code).toBe('invalid_request');
      expect(typeof bad.body.error.details).toBe('object');
    }
  });
});

describe('usedBasisPoints', () => {
  it('is exact, goes past 100 % when over, and ranks spending with no budget first', () => {
    expect(usedBasisPoints(0n, 0n)).toBe(0);
    expect(usedBasisPoints(1n, 3n)).toBe(3_333);
    expect(usedBasisPoints(3n, 2n)).toBe(15_000);
    expect(usedBasisPoints(1n, 0n)).toBe(99_999);
    expect(usedBasisPoints(10n ** 15n, 1n)).toBe(99_999);
  });
});
