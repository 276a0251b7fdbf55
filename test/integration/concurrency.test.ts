/**
 * Concurrency (docs/decision-order.md): many clients at once, over HTTP, on one agent's budget,
 * a shared funding-source limit and the global cap. However the requests interleave
 * (and group commit puts dozens in one transaction), approved spend never exceeds any
 * limit by a micro-dollar, and it equals what the ledger counted.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../shared/errors';
import type { SpendRequestView } from '../../shared/schemas/agent-api';
import { startTestServer } from '../helpers/server';
import { walletInternals } from '../../electron/core/wallet-internals';

const CLIENTS = 64;
const PER_CLIENT = 12;

describe('concurrent clients', () => {
  it(`${CLIENTS} clients × ${PER_CLIENT} spends never overspend a budget, a funding limit or the global cap`, async () => {
    const t = await startTestServer();
    // Agent a hits its own budget first; b and c share the funding limit; the global cap
    // sits just above the funding limit, the balance above both.
    const a = await t.newAgent(
      { name: 'a', budget_cents: 9_999, rate_limit_per_minute: 1_000_000 },
      0,
    );
    const b = await t.newAgent(
      { name: 'b', budget_cents: 1_000_000, rate_limit_per_minute: 1_000_000 },
      0,
    );
    const c = await t.newAgent(
      { name: 'c', budget_cents: 1_000_000, rate_limit_per_minute: 1_000_000 },
      0,
    );
    await t.owner('POST', '/admin/v1/funding/deposit', { amount_cents: 60_000, mode: 'live' });
    await t.owner('PUT', `/admin/v1/funding-sources/${a.agent.funding_source_id}/limit`, {
      limit_cents: 41_234,
      period: 'daily',
    });
    await t.owner('PATCH', '/admin/v1/settings', {
      global_cap: { amount_cents: 45_000, period: 'monthly' },
    });

    const keys = [a.key, b.key, c.key];
    const outcomes = new Map<string, number>();
    const wave = (seed: number) =>
      Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          for (let i = 0; i < PER_CLIENT; i += 1) {
            const key = keys[(client + i) % keys.length] as string;
            const cents = 97 + ((client * 31 + i * 17 + seed) % 400);
            const r = await t.agent<Partial<SpendRequestView> & Partial<ErrorEnvelope>>(
              key,
              'POST',
              '/v1/spend',
              {
                amount_cents: cents,
                currency: 'usd',
                merchant_name: 'AWS',
                reason: `client ${client} spend ${i}`,
              },
            );
            const outcome = r.body.status ?? r.body.error?.code ?? String(r.status);
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          }
        }),
      );
    const db = walletInternals(t.server.wallet).db;
    const approved = (agentId?: string) =>
      db
        .prepare(
          `SELECT coalesce(sum(amount_micros), 0) FROM spend_requests WHERE status = 'approved'${agentId ? ' AND agent_id = ?' : ''}`,
        )
        .pluck()
        .get(...(agentId ? [agentId] : [])) as bigint;
    // First wave: the budget of a and the funding limit give out.
    await wave(0);
    expect(approved()).toBeLessThanOrEqual(41_234n * 10_000n);
    expect(approved()).toBeGreaterThan(40_000n * 10_000n);
    // Second wave: no funding limit any more, so the global cap is what stops them.
    await t.owner('PUT', `/admin/v1/funding-sources/${a.agent.funding_source_id}/limit`, {
      limit_cents: null,
    });
    await wave(7);

    const deps = walletInternals(t.server.wallet);
    expect(approved(a.agent.id)).toBeLessThanOrEqual(9_999n * 10_000n);
    expect(approved()).toBeLessThanOrEqual(45_000n * 10_000n);
    const source = deps.funding.defaultForMode('live');
    expect(source?.balance).toBe(60_000n * 10_000n - approved());
    expect(source?.balance).toBeGreaterThanOrEqual(0n);

    // What the decisions counted is exactly what the ledger says was counted.
    const counted = db
      .prepare('SELECT coalesce(sum(counted_micros), 0) FROM ledger')
      .pluck()
      .get() as bigint;
    expect(counted).toBe(approved());
    expect(deps.ledger.verify().ok).toBe(true);

    // The limits were really reached, from every side.
    expect(outcomes.get('approved')).toBeGreaterThan(50);
    expect(outcomes.get('declined')).toBeGreaterThan(0);
    expect(outcomes.get('funding_source_budget_exceeded')).toBeGreaterThan(0);
    expect(outcomes.get('plan_spend_volume_exceeded')).toBeGreaterThan(0);
    expect(approved()).toBeGreaterThan(44_000n * 10_000n);
  }, 120_000);
});
