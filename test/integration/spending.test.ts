/**
 * `GET /admin/v1/spending` over real HTTP: after approved, declined, refused, owner-approved,
 * cancelled, settled-for-less and receipted spends, in two modes and over several days,
 * every group's figures (and the totals) equal the sums of the ledger export's entries for
 * the same range, computed here from the export file alone. Bad input gets the envelope.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import type { LedgerEntryView } from '../../shared/schemas/owner-api';
import type { SpendingView } from '../../shared/schemas/spending';
import { SPENDING_GROUPS, type SpendingGroup } from '../../shared/spending';
import { spendBody, startTestServer, T0, type TestServer } from '../helpers/server';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/** The figures of one group as the test computes them from the export. */
interface Expected {
  spent_micros: string;
  approved: number;
  declined: number;
  refused: number;
  declined_micros: string;
  refused_micros: string;
}

const SPEND_TYPES = ['spend.approved', 'spend.declined', 'spend.refused'];

/**
 * The spending figures from the ledger export alone (docs/spending.md): the entries in the
 * range that count money or are a decided spend attempt, grouped by the entry's own
 * column (for a category, `data.category`); spent is the sum of `counted_micros`.
 */
function fromExport(
  entries: LedgerEntryView[],
  group: SpendingGroup,
  mode?: string,
): Map<string | null, Expected> {
  const sums = new Map<
    string | null,
    { spent: bigint; counts: Record<string, number>; asked: Record<string, bigint> }
  >();
  for (const e of entries) {
    if (mode !== undefined && e.mode !== mode) continue;
    if (e.counted_micros === '0' && !SPEND_TYPES.includes(e.type)) continue;
    const key =
      group === 'agent'
        ? e.agent_id
        : group === 'merchant'
          ? e.merchant
          : group === 'rail'
            ? e.rail
            : ((e.data.category as string | null | undefined) ?? null);
    const s = sums.get(key) ?? { spent: 0n, counts: {}, asked: {} };
    s.spent += BigInt(e.counted_micros);
    s.counts[e.type] = (s.counts[e.type] ?? 0) + 1;
    s.asked[e.type] = (s.asked[e.type] ?? 0n) + BigInt(e.amount_micros ?? '0');
    sums.set(key, s);
  }
  return new Map(
    [...sums].map(([key, s]) => [
      key,
      {
        spent_micros: s.spent.toString(),
        approved: s.counts['spend.approved'] ?? 0,
        declined: s.counts['spend.declined'] ?? 0,
        refused: s.counts['spend.refused'] ?? 0,
        declined_micros: (s.asked['spend.declined'] ?? 0n).toString(),
        refused_micros: (s.asked['spend.refused'] ?? 0n).toString(),
      },
    ]),
  );
}

const figures = (g: Expected) => ({
  spent_micros: g.spent_micros,
  approved: g.approved,
  declined: g.declined,
  refused: g.refused,
  declined_micros: g.declined_micros,
  refused_micros: g.refused_micros,
});

async function exportOf(t: TestServer, from: number, to: number): Promise<LedgerEntryView[]> {
  const file = await t.owner<LedgerEntryView[]>(
    'GET',
    `/admin/v1/ledger/export?format=json&from=${iso(from)}&to=${iso(to)}`,
  );
  expect(file.status).toBe(200);
  return file.body;
}

async function spending(t: TestServer, query: Record<string, string>): Promise<SpendingView> {
  const answer = await t.owner<SpendingView>(
    'GET',
    `/admin/v1/spending?${new URLSearchParams(query).toString()}`,
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

/** A mix of every way a spend ends, over three days from T0, with entries either side. */
async function spendMix(t: TestServer) {
  const alpha = await t.newAgent({
    name: 'alpha',
    budget_cents: 200_000,
    approval_threshold_cents: 20_000,
    max_transaction_cents: 50_000,
  });
  const beta = await t.newAgent({ name: 'beta', mode: 'test', budget_cents: 50_000 }, 5_000);
  const spend = async (key: string, cents: number, merchant: string, extra = {}) =>
    (await t.agent<SpendRequestView>(key, 'POST', '/v1/spend', spendBody(cents, merchant, extra)))
      .body;

  // Before the range: counted, but not in it.
  expect((await spend(alpha.key, 1_000, 'Before')).status).toBe('approved');
  t.clock.advance(HOUR);
  const from = t.clock.now();

  // Day 1: approved, declined (too large), asked and approved by the owner, asked and cancelled.
  expect((await spend(alpha.key, 3_000, 'AWS', { category: 'compute' })).status).toBe('approved');
  expect((await spend(alpha.key, 60_000, 'Casino')).status).toBe('declined');
  const asked = await spend(alpha.key, 25_000, 'OpenAI', { category: 'models' });
  expect(asked.status).toBe('needs_approval');
  expect((await t.owner('POST', `/admin/v1/spend-requests/${asked.id}/approve`, {})).status).toBe(
    200,
  );
  const withdrawn = await spend(alpha.key, 21_000, 'OpenAI');
  await t.agent(alpha.key, 'POST', `/v1/spend/${withdrawn.id}/cancel`);
  // The test agent: approved, then refused for its balance ($50 − $20 = $30 < $100).
  expect((await spend(beta.key, 2_000, 'AWS', { category: 'compute' })).status).toBe('approved');
  const refused = await t.agent(beta.key, 'POST', '/v1/spend', spendBody(10_000, 'AWS'));
  expect(refused.status).toBe(402);

  // Day 2: settled for less by the owner (a release), and a receipt for less, accepted.
  t.clock.advance(DAY);
  const gpu = await spend(alpha.key, 4_000, 'GPU Cloud', { category: 'compute' });
  const settled = await t.owner('POST', `/admin/v1/spend-requests/${gpu.id}/settle`, {
    amount_cents: 2_500,
  });
  expect(settled.status).toBe(200);
  const aws = await spend(alpha.key, 2_000, 'AWS');
  const less = await t.agent<{ id: string }>(alpha.key, 'POST', '/v1/receipts', {
    rail: 'card',
    merchant_name: 'AWS',
    amount_cents: 1_500,
    spend_request_id: aws.id,
  });
  expect(less.status).toBe(200);
  expect((await t.owner('POST', `/admin/v1/receipts/${less.body.id}/accept`, {})).status).toBe(200);

  // Day 3: a payment made elsewhere, reported with a receipt on the x402 rail.
  t.clock.advance(DAY);
  const paid = await t.agent(alpha.key, 'POST', '/v1/receipts', {
    rail: 'x402',
    host: 'api.example.com',
    amount_cents: 700,
  });
  expect(paid.status).toBe(200);
  t.clock.advance(HOUR);
  const to = t.clock.now();

  // After the range.
  expect((await spend(alpha.key, 1_000, 'After')).status).toBe('approved');
  return { alpha, beta, from, to };
}

describe('the spending view', () => {
  it('every group’s figures equal the ledger export’s sums for the same range', async () => {
    const t = await startTestServer();
    await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'UTC' });
    const { alpha, beta, from, to } = await spendMix(t);
    const entries = await exportOf(t, from, to);

    for (const group_by of SPENDING_GROUPS) {
      for (const bucket of ['day', 'hour'] as const) {
        const view = await spending(t, { from: iso(from), to: iso(to), group_by, bucket });
        const expected = fromExport(entries, group_by);
        expect(
          new Map(view.groups.map((g) => [g.key, figures(g)])),
          `${group_by} by ${bucket}`,
        ).toEqual(expected);
        // The totals are the whole export's, and the chart's series add up to them.
        const all = fromExport(entries, group_by);
        const spent = [...all.values()].reduce((n, g) => n + BigInt(g.spent_micros), 0n);
        expect(view.total.spent_micros).toBe(spent.toString());
        const charted = view.series.flatMap((s) => s.spent_micros.map(BigInt));
        expect(charted.reduce((n, m) => n + m, 0n)).toBe(spent);
        expect(view.buckets[0]?.start).toBe(iso(from));
        expect(view.buckets.at(-1)?.end).toBe(iso(to));
      }
    }

    // What those sums are, by hand: alpha $30 + $250 + ($40 − $15) + ($20 − $5) + $7, beta $20.
    const byAgent = await spending(t, { from: iso(from), to: iso(to) });
    expect(byAgent.group_by).toBe('agent');
    expect(byAgent.total).toEqual({
      spent_micros: '347000000',
      approved: 5,
      declined: 1,
      refused: 1,
      declined_micros: '600000000',
      refused_micros: '100000000',
    });
    expect(byAgent.groups.map((g) => [g.name, g.spent_micros])).toEqual([
      ['alpha', '327000000'],
      ['beta', '20000000'],
    ]);
    expect(byAgent.groups[0]?.key).toBe(alpha.agent.id);
    // Day buckets, in UTC: the rest of the first day, the second, and the third until noon.
    expect(byAgent.buckets.map((b) => b.start)).toEqual([
      '2026-03-14T11:00:00.000Z',
      '2026-03-15T00:00:00.000Z',
      '2026-03-16T00:00:00.000Z',
    ]);
    expect(byAgent.series.map((s) => s.spent_micros)).toEqual([
      ['280000000', '40000000', '7000000'],
      ['20000000', '0', '0'],
    ]);

    // One mode: the export's entries of that mode.
    const test = await spending(t, { from: iso(from), to: iso(to), mode: 'test' });
    expect(new Map(test.groups.map((g) => [g.key, figures(g)]))).toEqual(
      fromExport(entries, 'agent', 'test'),
    );
    expect(test.groups.map((g) => g.key)).toEqual([beta.agent.id]);
    expect(test.mode).toBe('test');
  });

  it('a range with nothing in it, and the buckets of the owner’s calendar', async () => {
    const t = await startTestServer();
    await t.owner('PATCH', '/admin/v1/settings', { time_zone: 'America/New_York' });
    // 2026-03-08 is the day New York's clocks go forward: a day of 23 hours.
    const from = Date.parse('2026-03-07T05:00:00Z');
    const to = Date.parse('2026-03-10T04:00:00Z');
    const view = await spending(t, { from: iso(from), to: iso(to) });
    expect(view.time_zone).toBe('America/New_York');
    expect(view.buckets.map((b) => [b.start, b.end])).toEqual([
      ['2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z'],
      ['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
      ['2026-03-09T04:00:00.000Z', '2026-03-10T04:00:00.000Z'],
    ]);
    expect(view.groups).toEqual([]);
    expect(view.series).toEqual([]);
    expect(view.total.spent_micros).toBe('0');
    const hourly = await spending(t, { from: iso(from), to: iso(to), bucket: 'hour' });
    expect(hourly.buckets).toHaveLength(24 + 23 + 24);
  });

  it('draws the first six groups on their own and the rest as “other”', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent({ budget_cents: 100_000 });
    for (let i = 1; i <= 8; i += 1)
      await t.agent(key, 'POST', '/v1/spend', spendBody(i * 100, `Shop ${i}`));
    const view = await spending(t, {
      from: iso(T0 - HOUR),
      to: iso(T0 + HOUR),
      group_by: 'merchant',
      bucket: 'hour',
    });
    expect(view.groups.map((g) => g.key)).toEqual([8, 7, 6, 5, 4, 3, 2, 1].map((i) => `Shop ${i}`));
    expect(view.series.map((s) => [s.key, s.other])).toEqual([
      ...[8, 7, 6, 5, 4, 3].map((i) => [`Shop ${i}`, false]),
      [null, true],
    ]);
    expect(view.series.at(-1)?.spent_micros).toEqual(['0', '3000000']);
  });

  it('is the owner’s only, and bad input gets the error envelope', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const range = `from=${iso(T0)}&to=${iso(T0 + DAY)}`;
    const asAgent = await t.agent<ErrorEnvelope>(key, 'GET', `/admin/v1/spending?${range}`);
    expect(asAgent.status).toBe(401);
    expect((await t.raw(`/admin/v1/spending?${range}`)).status).toBe(401);
    for (const query of [
      '',
      `from=${iso(T0)}`,
      `to=${iso(T0)}`,
      `from=${iso(T0)}&to=${iso(T0)}`,
      `from=${iso(T0 + DAY)}&to=${iso(T0)}`,
      `from=2026-03-14&to=2026-03-15`,
      `from=${iso(T0)}&to=${iso(T0 + 367 * DAY)}`,
      `${range.replace(iso(T0 + DAY), iso(T0 + 40 * DAY))}&bucket=hour`,
      `${range}&group_by=x`,
      `${range}&group_by=agent&group_by=rail`,
      `${range}&bucket=week`,
      `${range}&mode=sandbox`,
      `${range}&other=1`,
      `from=not-a-time&to=${iso(T0)}`,
    ]) {
      const bad = await t.owner<ErrorEnvelope>('GET', `/admin/v1/spending?${query}`);
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
      expect(bad.body.error.code).toBe('invalid_request');
      expect(typeof bad.body.error.details).toBe('object');
    }
    // A whole leap year, and 31 days by the hour, are fine.
    const year = await t.owner(
      'GET',
      `/admin/v1/spending?from=${iso(T0)}&to=${iso(T0 + 366 * DAY)}`,
    );
    expect(year.status).toBe(200);
    const month = await t.owner(
      'GET',
      `/admin/v1/spending?from=${iso(T0)}&to=${iso(T0 + 31 * DAY)}&bucket=hour`,
    );
    expect(month.status).toBe(200);
  });
});
