/**
 * Model-based property test of the whole governance loop (fast-check commands): spends,
 * owner approvals (with and without override), declines, cancellations, expiries,
 * receipts (settling or not), budget requests, policy edits, deposits and clock moves, in
 * any order. After every step:
 *
 * - every approval the policy made, and every owner approval without an override, left
 *   each limit (budget, funding-source limit, global cap, balance, grant) within bounds,
 *   and no approval of any kind broke a hard limit;
 * - the ledger's sums equal the counters the decisions use (each meter, recomputed from
 *   the ledger alone, and each funding balance);
 * - the hash chain verifies.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock, HOUR_MS, DAY_MS, MINUTE_MS } from '../../electron/core/clock';
import type { KeyAuth } from '../../electron/core/keys/key-repository';
import { currentWindow, type WindowSpec } from '../../electron/core/policy/windows';
import { Wallet } from '../../electron/core/wallet';
import { centsToMicros } from '../../shared/money';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';
import { walletInternals } from '../../electron/core/wallet-internals';
import {
  agentCommand,
  budgetRequestCommand,
  grantCommand,
  policyChange,
  receiptCommand,
  spendCommand,
} from '../helpers/commands';

const RUNS = Number(process.env.PURSER_PROPERTY_RUNS ?? 120);

interface World {
  wallet: Wallet;
  clock: ManualClock;
  agents: Array<{ id: string; auth: KeyAuth }>;
}

async function makeWorld(): Promise<World> {
  const clock = new ManualClock(Date.UTC(2026, 2, 28, 21, 0)); // hours before Europe's DST change
  const wallet = Wallet.open({ home: tmpHome('property'), clock });
  await wallet.settings.update({
    timeZone: 'Europe/Paris',
    globalCap: { amount: centsToMicros(60_000), period: 'weekly', window: 'calendar' },
  });
  const policies = [
    {
      name: 'calendar',
      budget_cents: 20_000,
      period: 'daily' as const,
      window: 'calendar' as const,
      approval_threshold_cents: 6_000,
      over_budget: 'ask' as const,
      pause_on_over_budget: true,
    },
    {
      name: 'rolling',
      budget_cents: 30_000,
      period: 'weekly' as const,
      window: 'rolling' as const,
      velocity_per_hour: 4,
      ask_on_new_merchant: true,
    },
  ];
  const agents = [];
  for (const p of policies) {
    const { agent } = await wallet.agents.create(
      agentCommand({
        mode: 'live',
        rate_limit_per_minute: 1_000_000,
        ...p,
      }),
    );
    const { plaintext } = await wallet.keys.issue(agent.id, {});
    agents.push({
      id: agent.id,
      auth: walletInternals(wallet).keys.authenticate(plaintext, clock.now()),
    });
  }
  const source = walletInternals(wallet).funding.defaultForMode('live');
  if (!source) throw new Error('no live source');
  await wallet.funding.setLimit(source.id, {
    amount: centsToMicros(35_000),
    period: 'daily',
    window: 'rolling',
  });
  await wallet.funding.deposit({ mode: 'live' }, centsToMicros(80_000));
  return { wallet, clock, agents };
}

/** Every limit that an approval must respect, read now. */
function limitsHold(w: World, agentId: string, checkBudget: boolean): void {
  const deps = walletInternals(w.wallet);
  const now = w.clock.now();
  const agent = deps.agents.get(agentId);
  const source = deps.funding.defaultForMode('live');
  if (!agent || !source) throw new Error('world lost its agent');
  const budget = deps.limits.budget(agent, deps.policies.current(agent), now, false);
  if (checkBudget) expect(budget.spent, 'periodic budget').toBeLessThanOrEqual(budget.budget);
  const fundingLimit = deps.limits.fundingLimit(source, now, false);
  if (fundingLimit)
    expect(fundingLimit.spent, 'funding limit').toBeLessThanOrEqual(fundingLimit.amount);
  const cap = deps.limits.globalCap('live', now, false);
  if (cap) expect(cap.spent, 'global cap').toBeLessThanOrEqual(cap.amount);
  expect(source.balance, 'balance').toBeGreaterThanOrEqual(0n);
}

/** Recomputes window sums from the ledger alone and compares them with the meters. */
function ledgerMatchesCounters(w: World): void {
  const deps = walletInternals(w.wallet);
  const now = w.clock.now();
  const entries = [...deps.ledger.rows()];
  const firstSeen = new Map<number, number>();
  // What counts against the agent itself (`counted`), and against the limits it shares with
  // other agents: the same, except for a receipt's part held for the owner's review, which
  // counts there only once accepted (docs/money-integrity.md).
  const counted: Array<{ agentId: string; usageId: number; micros: bigint }> = [];
  const shared: Array<{ agentId: string; usageId: number; micros: bigint }> = [];
  let deposits = 0n;
  for (const e of entries) {
    if (e.type === 'funding.deposit' && e.mode === 'live' && e.amount !== null)
      deposits += e.amount;
    const data = JSON.parse(e.data) as { usage_id?: number; shared_micros?: string };
    const sharedPart =
      e.type === 'receipt.recorded' || e.type === 'receipt.accepted'
        ? BigInt(data.shared_micros ?? '0')
        : e.counted;
    if ((e.counted === 0n && sharedPart === 0n) || e.agentId === null) continue;
    const usageId = data.usage_id;
    expect(usageId, `entry ${e.seq} counts money but names no usage`).toEqual(expect.any(Number));
    if (!firstSeen.has(usageId as number)) firstSeen.set(usageId as number, e.ts);
    counted.push({ agentId: e.agentId, usageId: usageId as number, micros: e.counted });
    shared.push({ agentId: e.agentId, usageId: usageId as number, micros: sharedPart });
  }
  const sumFromLedger = (agentIds: string[], spec: WindowSpec, from = counted) => {
    const win = currentWindow(spec, now);
    const inWindow = (ts: number) =>
      win.width === null
        ? ts >= win.start && (win.end === null || ts < win.end)
        : ts > now - win.width;
    return from
      .filter((c) => agentIds.includes(c.agentId) && inWindow(firstSeen.get(c.usageId) as number))
      .reduce((s, c) => s + c.micros, 0n);
  };
  const tz = deps.settings.get().timeZone;
  for (const { id } of w.agents) {
    const agent = deps.agents.get(id);
    if (!agent) throw new Error('lost agent');
    const policy = deps.policies.current(agent);
    expect(deps.limits.budget(agent, policy, now, false).spent).toBe(
      sumFromLedger([id], { period: policy.period, kind: policy.window, timeZone: tz }),
    );
  }
  const all = w.agents.map((a) => a.id);
  const source = deps.funding.defaultForMode('live');
  const limit = source && deps.limits.fundingLimit(source, now, false);
  if (source?.limit && limit)
    expect(limit.spent).toBe(
      sumFromLedger(
        all,
        { period: source.limit.period, kind: source.limit.window, timeZone: tz },
        shared,
      ),
    );
  const cap = deps.limits.globalCap('live', now, false);
  const capSpec = deps.settings.get().globalCap;
  if (cap && capSpec)
    expect(cap.spent).toBe(
      sumFromLedger(all, { period: capSpec.period, kind: capSpec.window, timeZone: tz }, shared),
    );
  const totalShared = shared.reduce((s, c) => s + c.micros, 0n);
  expect(source?.balance).toBe(deposits - totalShared);
  expect(deps.ledger.verify().ok).toBe(true);
}

type Cmd = fc.AsyncCommand<object, World>;
const cmd = (name: string, run: (w: World) => Promise<void>): Cmd => ({
  check: () => true,
  run: async (_m, w) => {
    await run(w);
    ledgerMatchesCounters(w);
  },
  toString: () => name,
});

/** Calls that may legitimately be refused with a PurserError; anything else is a bug. */
async function allowRefusal(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (error) {
    if ((error as { name?: string }).name !== 'PurserError') throw error;
  }
}

const pick = <T>(list: T[], i: number): T | undefined =>
  list.length === 0 ? undefined : list[i % list.length];
const agentArb = fc.nat({ max: 1 });
const centsArb = fc.constantFrom(1, 99, 500, 2_500, 5_999, 6_000, 9_000, 15_000, 21_000);
const merchantArb = fc.constantFrom('AWS', 'api.openai.com', 'Vercel', 'GPU Co');

const spendStep = fc.tuple(agentArb, centsArb, merchantArb).map(([a, cents, merchant]) =>
  cmd(`spend(${a}, ${cents}, ${merchant})`, async (w) => {
    const agent = w.agents[a] as World['agents'][number];
    const r = await w.wallet.spend.create(
      agent.auth,
      spendCommand({
        amount_cents: cents,
        currency: 'usd',
        merchant_name: merchant,
        reason: 'property',
      }),
      undefined,
    );
    if (r.kind === 'created' && r.record.status === 'approved')
      limitsHold(w, agent.id, r.record.budgetRequestId === null);
  }),
);

// Spends are listed three times so that they make up a fair share of each run.
const commands = [
  spendStep,
  spendStep,
  spendStep,
  fc.tuple(fc.nat(), fc.boolean()).map(([i, override]) =>
    cmd(`approve(${i}, override=${override})`, async (w) => {
      const pending = pick(walletInternals(w.wallet).spends.list('needs_approval', 100), i);
      if (!pending) return;
      try {
        const r = await w.wallet.approvals.approve(pending.id, { overrideBudget: override });
        if (r.kind === 'approved') limitsHold(w, pending.agentId, !r.impact.exceedsBudget);
      } catch (error) {
        if ((error as { name?: string }).name !== 'PurserError') throw error;
      }
    }),
  ),
  fc.nat().map((i) =>
    cmd(`decline(${i})`, async (w) => {
      const pending = pick(walletInternals(w.wallet).spends.list('needs_approval', 100), i);
      if (pending) await w.wallet.approvals.decline(pending.id, 'no');
    }),
  ),
  fc.nat().map((i) =>
    cmd(`cancel(${i})`, async (w) => {
      const pending = pick(walletInternals(w.wallet).spends.list('needs_approval', 100), i);
      const agent = pending && w.agents.find((a) => a.id === pending.agentId);
      if (pending && agent) await w.wallet.spend.cancel(agent.auth, pending.id);
    }),
  ),
  fc
    .constantFrom(MINUTE_MS, HOUR_MS, 6 * HOUR_MS, DAY_MS - 1, DAY_MS, 25 * HOUR_MS, 3 * DAY_MS)
    .map((ms) =>
      cmd(`advance(${ms})`, async (w) => {
        w.clock.advance(ms);
        await w.wallet.sweep();
      }),
    ),
  fc.tuple(agentArb, centsArb, fc.option(fc.nat(), { nil: undefined })).map(([a, cents, settle]) =>
    cmd(`receipt(${a}, ${cents}, settle=${settle})`, async (w) => {
      const agent = w.agents[a] as World['agents'][number];
      const settleable = walletInternals(w.wallet)
        .spends.list('approved', 200)
        .filter(
          (r) => r.agentId === agent.id && !walletInternals(w.wallet).receipts.settling(r.id),
        );
      const target = settle === undefined ? undefined : pick(settleable, settle);
      await w.wallet.receipts.record(
        agent.auth,
        receiptCommand({
          amount_cents: cents,
          rail: 'x402',
          host: 'api.example.com',
          spend_request_id: target?.id,
        }),
        undefined,
      );
    }),
  ),
  fc.tuple(agentArb, centsArb).map(([a, cents]) =>
    cmd(`budget_request(${a}, ${cents})`, async (w) => {
      const agent = w.agents[a] as World['agents'][number];
      await allowRefusal(
        w.wallet.budgets.create(
          agent.auth,
          budgetRequestCommand({ amount_cents: cents, purpose: 'property' }),
          undefined,
        ),
      );
    }),
  ),
  fc
    .tuple(fc.nat(), fc.option(centsArb, { nil: undefined }), fc.constantFrom(1, 24), fc.boolean())
    .map(([i, cents, hours, reject]) =>
      cmd(`decide_budget_request(${i}, ${cents}, ${hours}h, reject=${reject})`, async (w) => {
        const pending = pick(walletInternals(w.wallet).budgets.list('pending', 100), i);
        if (!pending) return;
        if (reject) await w.wallet.budgets.reject(pending.id, 'no');
        else
          await w.wallet.budgets.approve(pending.id, grantCommand({ amountCents: cents, hours }));
      }),
    ),
  fc.tuple(agentArb, fc.constantFrom(0, 5_000, 20_000, 40_000)).map(([a, cents]) =>
    cmd(`edit_budget(${a}, ${cents})`, async (w) => {
      await w.wallet.agents.updatePolicy(
        (w.agents[a] as World['agents'][number]).id,
        policyChange({
          budget_cents: cents,
        }),
      );
    }),
  ),
  fc.constantFrom(1_000, 10_000).map((cents) =>
    cmd(`deposit(${cents})`, async (w) => {
      await w.wallet.funding.deposit({ mode: 'live' }, centsToMicros(cents));
    }),
  ),
  fc.tuple(agentArb, fc.boolean()).map(([a, pause]) =>
    cmd(`${pause ? 'pause' : 'resume'}(${a})`, async (w) => {
      await w.wallet.agents.setStatus(
        (w.agents[a] as World['agents'][number]).id,
        pause ? 'paused' : 'active',
      );
    }),
  ),
];

const open: Wallet[] = [];
afterAll(async () => {
  for (const w of open) await w.close();
  cleanupTmpDirs();
});

describe('the governance loop, as a state machine', () => {
  it('never lets approved spend past a limit, and the ledger always matches the counters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 80, size: 'max' }), async (cmds) => {
        const world = await makeWorld();
        open.push(world.wallet);
        try {
          await fc.asyncModelRun(() => ({ model: {}, real: world }), cmds);
        } finally {
          await world.wallet.close();
          open.splice(open.indexOf(world.wallet), 1);
        }
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
