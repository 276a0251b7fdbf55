/** Budget windows across midnight in the owner's time zone (not UTC), and rolling windows. */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { BalanceView, SpendRequestView } from '../../shared/schemas/agent-api';
import { spendBody, startTestServer } from '../helpers/server';

describe('calendar windows in the owner time zone', () => {
  it('a daily budget resets at midnight in Paris, which is 23:00 UTC', async () => {
    // 2026-03-14 22:30 UTC = 23:30 in Paris (UTC+1 in winter).
    const t = await startTestServer({ now: Date.UTC(2026, 2, 14, 22, 30) });
    await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'Europe/Paris' });
    const { key } = await t.newAgent({ budget_cents: 10_000, period: 'daily', window: 'calendar' });
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(10_000))).body.status,
    ).toBe('approved');
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1))).body.status,
    ).toBe('declined');
    const before = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(before.body).toMatchObject({
      spent_cents: 10_000,
      window_start: '2026-03-13T23:00:00.000Z',
      window_end: '2026-03-14T23:00:00.000Z',
    });

    // 23:00 UTC, still the 14th in UTC, but a new day in Paris.
    t.clock.set(Date.UTC(2026, 2, 14, 23, 0));
    const after = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(after.body).toMatchObject({
      spent_cents: 0,
      remaining_budget_cents: 10_000,
      window_start: '2026-03-14T23:00:00.000Z',
    });
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(10_000))).body.status,
    ).toBe('approved');
  });

  it('one millisecond before midnight is still the old day', async () => {
    const t = await startTestServer({ now: Date.UTC(2026, 2, 14, 22, 30) });
    await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'Europe/Paris' });
    const { key } = await t.newAgent({ budget_cents: 10_000, period: 'daily' });
    await t.agent(key, 'POST', '/v1/spend', spendBody(10_000));
    t.clock.set(Date.UTC(2026, 2, 14, 22, 59, 59, 999));
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1))).body.status,
    ).toBe('declined');
  });

  it('a day with a DST change is 23 hours long, as the wall clock says', async () => {
    // New York springs forward on 2026-03-08.
    const t = await startTestServer({ now: Date.UTC(2026, 2, 8, 15, 0) });
    await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'America/New_York' });
    const { key } = await t.newAgent({ budget_cents: 10_000, period: 'daily' });
    const b = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(b.body.window_start).toBe('2026-03-08T05:00:00.000Z');
    expect(b.body.window_end).toBe('2026-03-09T04:00:00.000Z');
  });

  it('weeks start on Monday and months on the 1st, local time', async () => {
    const t = await startTestServer({ now: Date.UTC(2026, 2, 14, 10, 0) });
    await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'Asia/Tokyo' });
    const weekly = await t.newAgent({ budget_cents: 1, period: 'weekly', name: 'w' });
    const monthly = await t.newAgent({ budget_cents: 1, period: 'monthly', name: 'm' });
    expect((await t.agent<BalanceView>(weekly.key, 'GET', '/v1/balance')).body).toMatchObject({
      window_start: '2026-03-08T15:00:00.000Z',
      window_end: '2026-03-15T15:00:00.000Z',
    });
    expect((await t.agent<BalanceView>(monthly.key, 'GET', '/v1/balance')).body).toMatchObject({
      window_start: '2026-02-28T15:00:00.000Z',
      window_end: '2026-03-31T15:00:00.000Z',
    });
  });

  it('changing the time zone moves the windows of existing agents', async () => {
    const t = await startTestServer({ now: Date.UTC(2026, 2, 14, 23, 30) });
    const { key } = await t.newAgent({ budget_cents: 10_000, period: 'daily' });
    await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'UTC' });
    await t.agent(key, 'POST', '/v1/spend', spendBody(4_000));
    expect((await t.agent<BalanceView>(key, 'GET', '/v1/balance')).body.spent_cents).toBe(4_000);
    // In Paris it is already the 15th: the spend at 23:30 UTC is in today's window too.
    await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'Europe/Paris' });
    expect((await t.agent<BalanceView>(key, 'GET', '/v1/balance')).body).toMatchObject({
      spent_cents: 4_000,
      window_start: '2026-03-14T23:00:00.000Z',
    });
  });

  it('an unknown time zone is refused', async () => {
    const t = await startTestServer();
    const r = await t.owner<ErrorEnvelope>('PATCH', '/admin/v1/settings', {
      time_zone: 'Mars/Olympus',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
  });
});

describe('rolling windows', () => {
  it('a rolling day frees each spend exactly 24 hours after it', async () => {
    const t = await startTestServer({ now: Date.UTC(2026, 2, 14, 22, 30) });
    await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'Europe/Paris' });
    const { key } = await t.newAgent({ budget_cents: 10_000, period: 'daily', window: 'rolling' });
    const t1 = t.clock.now();
    await t.agent(key, 'POST', '/v1/spend', spendBody(6_000));
    t.clock.advance(2 * 3_600_000); // past midnight in Paris and in UTC: a rolling window does not care
    await t.agent(key, 'POST', '/v1/spend', spendBody(4_000));
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1))).body.status,
    ).toBe('declined');

    t.clock.set(t1 + 24 * 3_600_000 - 1);
    expect((await t.agent<BalanceView>(key, 'GET', '/v1/balance')).body.spent_cents).toBe(10_000);
    t.clock.set(t1 + 24 * 3_600_000);
    const freed = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(freed.body).toMatchObject({ spent_cents: 4_000, remaining_budget_cents: 6_000 });
    expect(freed.body.window_start).toBe(new Date(t1).toISOString());
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(6_000))).body.status,
    ).toBe('approved');
    expect(
      (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(1))).body.status,
    ).toBe('declined');
  });

  it('a total budget never resets', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 1_000, period: 'total' });
    await t.agent(key, 'POST', '/v1/spend', spendBody(1_000));
    t.clock.advance(400 * 24 * 3_600_000);
    const b = await t.agent<BalanceView>(key, 'GET', '/v1/balance');
    expect(b.body).toMatchObject({ spent_cents: 1_000, window_end: null });
  });
});
