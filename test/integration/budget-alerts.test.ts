/**
 * Budget alerts (docs/alerts.md) over real HTTP: a spend that makes an agent's counted spend
 * reach a warning level raises one alert per level per budget window — one `budget.alert`
 * ledger entry, one `alert` event of kind `budget_level`, the agent's card and the Overview
 * show it — whatever the path the money came by (a decision, the owner's approval, a
 * receipt), never twice in a window (not after a release and a second crossing), and again
 * in the next window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../electron/core/clock';
import type { ErrorEnvelope } from '../../shared/errors';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer, T0, type TestServer } from '../helpers/server';
import { openEvents, type SseStream } from '../helpers/sse';
import { agentWithKey, runCli, startServe, type ServeProcess } from '../helpers/cli';
import { tmpHome } from '../helpers/tmp';

const BUDGET_CENTS = 10_000; // $100

async function spend(t: TestServer, key: string, cents: number): Promise<SpendRequestView> {
  const r = await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(cents));
  expect(r.status).toBe(200);
  return r.body;
}

/** The `budget.alert` entries of the ledger, oldest first. */
async function alertEntries(t: TestServer, agentId?: string) {
  const page = await t.call('ledgerPage', {
    query: { type: 'budget.alert', ...(agentId ? { agent_id: agentId } : {}) },
  });
  expect(page.status).toBe(200);
  return page.body.entries.slice().reverse();
}

/** The `budget_level` alert events the stream carried so far. */
const alertEvents = (stream: SseStream) =>
  stream.events.filter((e) => e.event === 'alert' && e.data.kind === 'budget_level');

/** Lets events already committed reach the stream. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

async function cardAlert(t: TestServer, id: string) {
  const agent = await t.call('getAgent', { params: { id } });
  expect(agent.status).toBe(200);
  return agent.body.budget_alert;
}

describe('budget alerts', () => {
  it('crossing 80% raises one alert for the window, not a second for more spend below 100%', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ budget_cents: BUDGET_CENTS });
    const stream = await openEvents(t.url, t.server.ownerToken);
    try {
      // 79.99 %: under the level, nothing.
      await spend(t, key, 7_999);
      await settle();
      expect(alertEvents(stream)).toHaveLength(0);
      expect(await alertEntries(t)).toHaveLength(0);
      expect(await cardAlert(t, agent.id)).toBeNull();

      // Exactly 80 %: reaching the level is crossing it.
      const crossing = await spend(t, key, 1);
      expect(crossing.status).toBe('approved');
      const event = await stream.nextOf('alert', (a) => a.kind === 'budget_level');
      expect(event).toMatchObject({
        agent_id: agent.id,
        agent_name: 'test-agent',
        object_id: crossing.id,
        message: 'test-agent has used 80% of its monthly budget: $80.00 of $100.00',
      });

      // More spend in the same window, still under 100 %: no second alert.
      await spend(t, key, 500);
      await spend(t, key, 1_000);
      await settle();
      expect(alertEvents(stream)).toHaveLength(1);

      const entries = await alertEntries(t);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        type: 'budget.alert',
        actor: 'system',
        agent_id: agent.id,
        object_id: crossing.id,
        amount_micros: null,
        counted_micros: '0',
        status: '80%',
        data: {
          level_percent: 80,
          budget_micros: '100000000',
          spent_micros: '80000000',
          period: 'monthly',
          window_kind: 'calendar',
          window_start: '2026-03-01T00:00:00.000Z',
          window_end: '2026-04-01T00:00:00.000Z',
        },
      });
      // The alert comes after the spend that reached the level, in the same job.
      const spendEntry = await t.call('ledgerPage', {
        query: { type: 'spend.approved', agent_id: agent.id },
      });
      const crossingSeq = spendEntry.body.entries.find((e) => e.object_id === crossing.id)?.seq;
      expect(entries[0]?.seq).toBe((crossingSeq ?? 0) + 1);

      expect(await cardAlert(t, agent.id)).toEqual({
        level_percent: 80,
        at: new Date(T0).toISOString(),
        spent_micros: '80000000',
        budget_micros: '100000000',
        window_start: '2026-03-01T00:00:00.000Z',
        window_end: '2026-04-01T00:00:00.000Z',
      });
      const overview = await t.call('overview');
      expect(overview.body.alerts).toEqual([
        {
          agent_id: agent.id,
          agent_name: 'test-agent',
          mode: 'live',
          status: 'active',
          period: 'monthly',
          window_kind: 'calendar',
          alert: await cardAlert(t, agent.id),
        },
      ]);
      // Newest first: the two later spends, the alert, the spend that reached the level.
      expect(overview.body.activity.slice(0, 4).map((e) => [e.type, e.status])).toEqual([
        ['spend.approved', 'approved'],
        ['spend.approved', 'approved'],
        ['budget.alert', '80%'],
        ['spend.approved', 'approved'],
      ]);

      // 100 % is a level of its own: one more alert, then none.
      await spend(t, key, 500);
      await stream.nextOf('alert', (a) => a.message.includes('100%'));
      expect((await spend(t, key, 1)).status).toBe('declined'); // over budget: nothing counts
      await settle();
      expect(alertEvents(stream)).toHaveLength(2);
      expect((await alertEntries(t)).map((e) => e.status)).toEqual(['80%', '100%']);
      expect((await cardAlert(t, agent.id))?.level_percent).toBe(100);
    } finally {
      stream.close();
    }
  });

  it('one spend that reaches both levels raises one alert for each, lowest first', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ budget_cents: BUDGET_CENTS });
    const stream = await openEvents(t.url, t.server.ownerToken);
    try {
      await spend(t, key, 10_000);
      await stream.nextOf('alert', (a) => a.message.includes('100%'));
      await settle();
      expect(alertEvents(stream).map((e) => e.data.message)).toEqual([
        'test-agent has used 80% of its monthly budget: $100.00 of $100.00',
        'test-agent has used 100% of its monthly budget: $100.00 of $100.00',
      ]);
      expect((await alertEntries(t, agent.id)).map((e) => e.status)).toEqual(['80%', '100%']);
      expect((await cardAlert(t, agent.id))?.level_percent).toBe(100);
      // The Overview lists the agent once, at the highest level it reached.
      const overview = await t.call('overview');
      expect(overview.body.alerts.map((a) => a.alert.level_percent)).toEqual([100]);
    } finally {
      stream.close();
    }
  });

  it('a release that brings the spend back under a level, then a second crossing, does not alert twice', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ budget_cents: BUDGET_CENTS });
    const first = await spend(t, key, 8_500);
    expect(await alertEntries(t)).toHaveLength(1);
    // The owner settles the request for less: $75 goes back to every limit (15 % used).
    const settled = await t.call('settleSpend', {
      params: { id: first.id },
      body: { amount_cents: 1_500 },
    });
    expect(settled.status).toBe(200);
    const balance = await t.agent<{ spent_cents: number }>(key, 'GET', '/v1/balance');
    expect(balance.body.spent_cents).toBe(1_500);
    // Up to 90 % again, in the same month: the 80 % level already alerted.
    await spend(t, key, 7_500);
    expect((await alertEntries(t)).map((e) => e.status)).toEqual(['80%']);
    expect((await cardAlert(t, agent.id))?.level_percent).toBe(80);
  });

  it('a new calendar window alerts again; the last window’s alert is no longer shown', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({ budget_cents: BUDGET_CENTS });
    await spend(t, key, 8_000);
    expect(await alertEntries(t)).toHaveLength(1);

    t.clock.set(Date.UTC(2026, 3, 2, 10)); // April: a new month, nothing spent in it yet
    expect(await cardAlert(t, agent.id)).toBeNull();
    expect((await t.call('overview')).body.alerts).toEqual([]);

    await spend(t, key, 4_000);
    expect(await alertEntries(t)).toHaveLength(1);
    const crossing = await spend(t, key, 4_500);
    const entries = await alertEntries(t);
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({
      object_id: crossing.id,
      status: '80%',
      data: { window_start: '2026-04-01T00:00:00.000Z', window_end: '2026-05-01T00:00:00.000Z' },
    });
    expect((await cardAlert(t, agent.id))?.window_start).toBe('2026-04-01T00:00:00.000Z');
  });

  it('a rolling window alerts once per its length, counted from the alert', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({
      budget_cents: BUDGET_CENTS,
      period: 'daily',
      window: 'rolling',
    });
    const crossing = await spend(t, key, 8_000);
    const [first] = await alertEntries(t);
    expect(first?.data).toMatchObject({
      window_kind: 'rolling',
      window_start: new Date(T0).toISOString(),
      window_end: new Date(T0 + DAY_MS).toISOString(),
    });
    // Released to $10 and reached again an hour later: the alert's window still holds.
    t.clock.advance(HOUR_MS);
    const settled = await t.call('settleSpend', {
      params: { id: crossing.id },
      body: { amount_cents: 1_000 },
    });
    expect(settled.status).toBe(200);
    await spend(t, key, 7_000);
    expect(await alertEntries(t)).toHaveLength(1);

    // Past 24 h from the first, its $10 and then the alert slide out: 70 % in the window.
    t.clock.set(T0 + DAY_MS + 30 * 60_000);
    expect(await cardAlert(t, agent.id)).toBeNull();
    const balance = await t.agent<{ spent_cents: number }>(key, 'GET', '/v1/balance');
    expect(balance.body.spent_cents).toBe(7_000);
    await spend(t, key, 1_000);
    expect((await alertEntries(t)).map((e) => e.status)).toEqual(['80%', '80%']);
  });

  it('the owner approving a pending request, and a receipt, reach levels too', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent({
      budget_cents: BUDGET_CENTS,
      approval_threshold_cents: 5_000,
    });
    const pending = await spend(t, key, 8_000);
    expect(pending.status).toBe('needs_approval');
    expect(await alertEntries(t)).toHaveLength(0); // a pending request holds nothing
    const approved = await t.call('approveSpend', { params: { id: pending.id }, body: {} });
    expect(approved.status).toBe(200);
    expect(await alertEntries(t)).toMatchObject([{ object_id: pending.id, status: '80%' }]);

    const r = await t.agent<{ id: string }>(key, 'POST', '/v1/receipts', {
      amount_cents: 2_500,
      rail: 'card',
      merchant_name: 'GPU Cloud',
    });
    expect(r.status).toBe(200);
    expect((await alertEntries(t, agent.id)).map((e) => [e.object_id, e.status])).toEqual([
      [pending.id, '80%'],
      [r.body.id, '100%'],
    ]);
  });

  it('no levels, or no budget, raise nothing', async () => {
    const t = await startTestServer();
    const quiet = await t.newAgent({ budget_cents: BUDGET_CENTS, alert_levels_percent: [] });
    await spend(t, quiet.key, 10_000);
    const none = await t.newAgent({ budget_cents: 0, name: 'no-budget' });
    const r = await t.agent(none.key, 'POST', '/v1/receipts', {
      amount_cents: 100,
      rail: 'card',
      merchant_name: 'GPU Cloud',
    });
    expect(r.status).toBe(200);
    expect(await alertEntries(t)).toHaveLength(0);
  });

  it('levels are set and changed with the policy, and bad ones refused in the error envelope', async () => {
    const t = await startTestServer();
    const { agent } = await t.newAgent({ budget_cents: BUDGET_CENTS });
    expect(agent.policy.alert_levels_percent).toEqual([80, 100]);

    const changed = await t.call('updatePolicy', {
      params: { id: agent.id },
      body: { alert_levels_percent: [50, 90, 100] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.policy.alert_levels_percent).toEqual([50, 90, 100]);
    const history = await t.call('ledgerPage', { query: { type: 'policy.updated' } });
    expect(history.body.entries[0]?.data).toMatchObject({
      changes: { alert_levels_percent: [50, 90, 100] },
    });

    const refused: Array<[unknown, string]> = [
      [[100, 80], 'levels must be in increasing order, each once'],
      [[80, 80], 'levels must be in increasing order, each once'],
      [[0], 'must be at least 1 (percent)'],
      [[101], 'must be at most 100 (percent)'],
      [[80.5], 'must be a whole number of percent, like 80'],
      [[10, 20, 30, 40, 50, 60], 'at most 5 levels'],
      ['80,100', ''],
    ];
    for (const [levels, message] of refused) {
      const r = await t.owner<ErrorEnvelope>('PATCH', `/admin/v1/agents/${agent.id}/policy`, {
        alert_levels_percent: levels,
      });
      expect(r.status, JSON.stringify(levels)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      const issues = r.body.error.details.issues as Array<{ field: string; message: string }>;
      expect(issues[0]?.field).toMatch(/^alert_levels_percent(\.\d+)?$/);
      if (message) expect(issues[0]?.message).toBe(message);
    }
    const unchanged = await t.call('getAgent', { params: { id: agent.id } });
    expect(unchanged.body.policy.alert_levels_percent).toEqual([50, 90, 100]);
  });
});

describe('purser agents --alert-levels', () => {
  const serving: ServeProcess[] = [];
  afterEach(async () => {
    for (const s of serving.splice(0)) await s.stop('SIGKILL');
  });

  it('sets the levels at creation and on an edit; none turns them off; a typo is refused', async () => {
    const home = tmpHome();
    serving.push(await startServe(home));
    const h = ['--home', home];
    const { id } = await agentWithKey(home, 'bot', [
      '--budget-cents',
      '10000',
      '--alert-levels',
      '50,90%',
    ]);
    const levels = async (...flags: string[]) => {
      const r = await runCli([...h, 'agents', 'policy', id, ...flags, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { policy: { alert_levels_percent: number[] } }).policy
        .alert_levels_percent;
    };
    expect(await levels('--budget-cents', '10000')).toEqual([50, 90]);
    expect(await levels('--alert-levels', 'none')).toEqual([]);
    expect(await levels('--alert-levels', '80, 100')).toEqual([80, 100]);

    const typo = await runCli([...h, 'agents', 'policy', id, '--alert-levels', '80,lots']);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain('--alert-levels must be percents separated by commas');
    const unsorted = await runCli([...h, 'agents', 'policy', id, '--alert-levels', '100,80']);
    expect(unsorted.code).not.toBe(0);
    expect(unsorted.stderr).toContain('levels must be in increasing order, each once');
    const shown = await runCli([...h, 'agents', 'show', id]);
    expect(shown.stdout).toMatch(/^alert_levels_percent\s+80, 100$/m);
  });
});
