/**
 * The world a seed runs in: one Wallet (a real SQLite file, a ManualClock), agents that
 * SHARE one funding source with a period limit under a global cap, and the model built
 * from the same configuration (never read back from the wallet: only the ids are taken).
 *
 * - asker: daily calendar budget, over_budget 'ask', a threshold, pauses when over, a
 *   small max_pending (so the cap on waiting requests is reached);
 * - granted: weekly rolling budget, 'decline', velocity, a deny-list; asks for grants;
 * - newmerch: monthly calendar budget, asks on new merchants, a max transaction size;
 * - lifetime: a `total` budget; the one agent the workload may revoke.
 */
import type { ManualClock } from '../../electron/core/clock';
import type { KeyAuth } from '../../electron/core/keys/key-repository';
import type { Wallet } from '../../electron/core/wallet';
import { walletInternals } from '../../electron/core/wallet-internals';
import type { Policy } from './actions';
import { cents, ModelState, type MPolicy } from './model-state';
import type { Prng } from './prng';
import { agentCommand } from '../helpers/commands';

export interface AgentHandle {
  id: string;
  name: string;
  plaintext: string;
}

export interface World {
  wallet: Wallet;
  clock: ManualClock;
  agents: AgentHandle[];
  /** The cash source every agent of the model shares. */
  sourceId: string;
  /** Step 1, as the HTTP layer does it: a revoked agent's key is refused (403). */
  auth(index: number): KeyAuth;
}

/** Zones and starting instants a few hours before a DST change (or none, for Kolkata). */
export const ZONES = [
  { tz: 'Europe/Paris', start: Date.UTC(2026, 2, 28, 20, 0) },
  { tz: 'America/New_York', start: Date.UTC(2026, 2, 7, 22, 0) },
  { tz: 'America/Santiago', start: Date.UTC(2026, 8, 5, 22, 0) }, // DST begins at midnight
  { tz: 'Australia/Lord_Howe', start: Date.UTC(2026, 3, 4, 10, 0) }, // a half-hour DST
  { tz: 'Europe/London', start: Date.UTC(2026, 9, 24, 21, 0) },
  { tz: 'Asia/Kolkata', start: Date.UTC(2026, 0, 31, 12, 0) }, // no DST, a month's end
] as const;

const AGENTS: Array<{ name: string; policy: Required<Pick<Policy, 'budget_cents'>> & Policy }> = [
  {
    name: 'asker',
    policy: {
      budget_cents: 20_000,
      period: 'daily',
      window: 'calendar',
      over_budget: 'ask',
      approval_threshold_cents: 6_000,
      pause_on_over_budget: true,
      max_pending: 4,
    },
  },
  {
    name: 'granted',
    policy: {
      budget_cents: 30_000,
      period: 'weekly',
      window: 'rolling',
      over_budget: 'decline',
      velocity_per_hour: 6,
      max_transaction_cents: 25_000,
    },
  },
  {
    name: 'newmerch',
    policy: {
      budget_cents: 50_000,
      period: 'monthly',
      window: 'calendar',
      ask_on_new_merchant: true,
      max_pending: 3,
    },
  },
  {
    name: 'lifetime',
    policy: {
      budget_cents: 15_000,
      period: 'total',
      window: 'calendar',
      over_budget: 'ask',
      approval_threshold_cents: 10_000,
      max_pending: 2,
    },
  },
];

export const DENIED_MERCHANT = 'casino';
export const REVOCABLE_AGENT = 3;

function modelPolicy(p: Policy & { budget_cents: number }, deny: string[]): MPolicy {
  const nullable = (c: number | null | undefined) => (c == null ? null : cents(c));
  return {
    budget: cents(p.budget_cents),
    period: p.period ?? 'monthly',
    window: p.window ?? 'calendar',
    maxTransaction: nullable(p.max_transaction_cents),
    approvalThreshold: nullable(p.approval_threshold_cents),
    askOnNewMerchant: p.ask_on_new_merchant ?? false,
    overBudget: p.over_budget ?? 'decline',
    velocityPerHour: p.velocity_per_hour ?? null,
    pauseOnOverBudget: p.pause_on_over_budget ?? false,
    maxPending: p.max_pending ?? 20,
    deny,
  };
}

/**
 * Configures `wallet` for a seed and builds the model beside it. `startAt` moves the clock
 * (the in-process tests); the chain test keeps its server's clock near real time.
 */
export async function setUpWorld(
  wallet: Wallet,
  clock: ManualClock,
  prng: Prng,
  options: { startAt: boolean },
): Promise<{ world: World; model: ModelState }> {
  const zone = prng.pick(ZONES);
  if (options.startAt) clock.set(zone.start);
  const model = new ModelState(clock.now(), zone.tz);
  model.pendingExpiryHours = prng.pick([6, 12, 24]);
  model.cap = { amount: cents(150_000), period: 'weekly', window: 'calendar' };
  await wallet.settings.update({
    timeZone: zone.tz,
    pendingExpiryHours: model.pendingExpiryHours,
    globalCap: { ...model.cap },
  });
  const deps = walletInternals(wallet);
  const source = deps.funding.defaultForMode('live');
  if (!source) throw new Error('no live cash source');
  const limit = { amount: cents(70_000), period: 'daily' as const, window: 'rolling' as const };
  await wallet.funding.setLimit(source.id, { ...limit });
  await wallet.funding.deposit({ fundingSourceId: source.id }, cents(300_000));
  model.sources.set(source.id, {
    id: source.id,
    kind: 'cash',
    balance: source.balance + cents(300_000),
    limit: { ...limit },
  });
  const agents: AgentHandle[] = [];
  for (const [index, spec] of AGENTS.entries()) {
    const deny = spec.name === 'granted' ? [DENIED_MERCHANT] : [];
    const { agent } = await wallet.agents.create(
      agentCommand({
        name: spec.name,
        mode: 'live',
        funding_source_id: source.id,
        rate_limit_per_minute: 1_000_000,
        deny_merchants: deny,
        ...spec.policy,
      }),
    );
    const { plaintext } = await wallet.keys.issue(agent.id, {});
    agents.push({ id: agent.id, name: spec.name, plaintext });
    model.agents.push({
      index,
      id: agent.id,
      status: 'active',
      policy: modelPolicy(spec.policy, deny),
      source: source.id,
      known: new Set(),
    });
  }
  const world: World = {
    wallet,
    clock,
    agents,
    sourceId: source.id,
    auth: (index) => deps.keys.authenticate((agents[index] as AgentHandle).plaintext, clock.now()),
  };
  return { world, model };
}
