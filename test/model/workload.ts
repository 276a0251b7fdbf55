/**
 * The workload (after TigerBeetle's src/state_machine/workload.zig): a seeded generator of
 * Actions that picks its targets from the model's state, so that every path is reached —
 * requests that ask, wait, expire, are approved over budget or refused at approval;
 * receipts of every kind, huge ones included; grants; pauses, freezes, revocation; clock
 * moves across local midnights, DST changes, weeks and months. Swarm testing: each seed
 * scales the weights of the kinds at random, so seeds differ in what they stress.
 */
import type { Action, Policy, ReceiptAmount } from './actions';
import { HOUR, type MAgent, type ModelState, type MSpend } from './model-state';
import type { Prng } from './prng';
import { DENIED_MERCHANT, REVOCABLE_AGENT } from './setup';
import { spanOf } from './windows';

const BASE = {
  spend: 30,
  cancel: 3,
  receipt: 14,
  budgetRequest: 4,
  approve: 9,
  decline: 2.5,
  declineAll: 0.8,
  review: 5,
  settle: 2,
  grantDecide: 4,
  status: 4,
  freeze: 1.2,
  policy: 2,
  deposit: 2,
  limits: 0.6,
  revoke: 0.25,
  advance: 10,
};
export type Kind = keyof typeof BASE;

const KNOWN = ['aws', 'openai', 'vercel', 'gpu-co', 'api.example.com'];
const CENTS = [1, 99, 500, 1_200, 2_500, 5_999, 6_000, 9_000, 15_000, 21_000, 26_000, 40_000];
const MINUTE = 60_000;

export class Workload {
  readonly weights: Record<string, number>;
  private fresh = 0;

  constructor(
    private readonly prng: Prng,
    private readonly m: ModelState,
    private readonly steps: number,
    extra: Record<string, number> = {},
  ) {
    const w: Record<string, number> = {};
    for (const [k, v] of Object.entries({ ...BASE, ...extra }))
      w[k] = v * (0.3 + 1.7 * prng.next());
    this.weights = w;
  }

  /** The next action; `chain` builds the chain test's own kinds. */
  next(step: number, chain?: (kind: string) => Action | undefined): Action {
    // The owner comes back: a freeze or a pause that lasted for ever would starve the rest.
    const { m, prng } = this;
    if (m.frozen && prng.chance(0.1)) return { t: 'freeze', frozen: false };
    const paused = m.agents.filter((a) => a.status === 'paused');
    if (paused.length > 0 && prng.chance(0.05))
      return { t: 'status', agent: prng.pick(paused).index, to: 'active' };
    for (;;) {
      const kind = this.prng.weighted(this.weights);
      const action = chain?.(kind) ?? this.build(kind as Kind, step);
      if (action) return action;
    }
  }

  /** Mostly an agent that may spend: a paused one mostly gets its claims held. */
  private agent(): MAgent {
    const active = this.m.agents.filter((a) => a.status === 'active');
    return this.prng.pick(active.length > 0 && this.prng.chance(0.8) ? active : this.m.agents);
  }

  private cents(): number {
    return this.prng.chance(0.6) ? this.prng.pick(CENTS.slice(0, 7)) : this.prng.pick(CENTS);
  }

  private spendsWhere(f: (s: MSpend) => boolean): MSpend[] {
    return [...this.m.spends.values()].filter(f);
  }

  private build(kind: Kind, step: number): Action | undefined {
    const { prng, m } = this;
    switch (kind) {
      case 'spend': {
        const r = prng.next();
        const merchant =
          r < 0.7 ? prng.pick(KNOWN) : r < 0.93 ? `shop-${(this.fresh += 1)}` : DENIED_MERCHANT;
        const a = this.agent();
        // Now and then exactly what is left of a grant or of the budget: the edges.
        const grant = m.activeGrant(a);
        const left = grant ? m.grantLeft(grant) : m.remaining(a);
        const exact = left > 0n && left % 10_000n === 0n && prng.chance(0.25);
        return {
          t: 'spend',
          agent: a.index,
          cents: exact ? Number(left / 10_000n) : this.cents(),
          merchant,
        };
      }
      case 'cancel':
        return this.cancel();
      case 'receipt':
        return this.receipt();
      case 'budgetRequest': {
        const a = prng.chance(0.6) ? m.agent(1) : this.agent();
        return {
          t: 'budgetRequest',
          agent: a.index,
          cents: prng.pick([2_000, 5_000, 10_000, 30_000]),
        };
      }
      case 'approve':
      case 'decline': {
        const pending = this.spendsWhere((s) => s.status === 'needs_approval');
        const other = this.spendsWhere((s) => s.status !== 'needs_approval');
        const wrong = prng.chance(0.1) && other.length > 0;
        if (!wrong && pending.length === 0) return undefined;
        const s = prng.pick(wrong ? other : pending);
        const why = wrong ? `not pending (${s.status})` : 'pending';
        return kind === 'approve'
          ? { t: 'approve', spendId: s.id, override: prng.chance(0.5), why }
          : { t: 'decline', spendId: s.id, why };
      }
      case 'declineAll': {
        const flooded = m.agents.filter((a) => m.pendingOf(a).length > 0);
        return {
          t: 'declineAll',
          agent: (flooded.length ? prng.pick(flooded) : this.agent()).index,
        };
      }
      case 'review':
        return this.review();
      case 'settle':
        return this.settle();
      case 'grantDecide': {
        const grants = [...m.grants.values()];
        const pending = grants.filter((g) => g.status === 'pending');
        const wrong = prng.chance(0.1) && grants.length > pending.length;
        if (!wrong && pending.length === 0) return undefined;
        const g = prng.pick(wrong ? grants.filter((x) => x.status !== 'pending') : pending);
        if (prng.chance(0.3)) return { t: 'grantReject', grantId: g.id };
        return {
          t: 'grantApprove',
          grantId: g.id,
          cents: prng.chance(0.5) ? prng.pick([1_000, 4_000, 12_000, 50_000]) : undefined,
          hours: prng.chance(0.7) ? prng.pick([1, 2, 6, 24, 72]) : undefined,
        };
      }
      case 'status': {
        const paused = m.agents.filter((a) => a.status === 'paused');
        if (paused.length > 0 && prng.chance(0.75))
          return { t: 'status', agent: prng.pick(paused).index, to: 'active' };
        return {
          t: 'status',
          agent: this.agent().index,
          to: prng.chance(0.8) ? 'paused' : 'active',
        };
      }
      case 'freeze':
        return { t: 'freeze', frozen: m.frozen ? prng.chance(0.15) : prng.chance(0.85) };
      case 'policy':
        return { t: 'policy', agent: this.agent().index, patch: this.patch() };
      case 'deposit': {
        const balance = m.sources.get(m.agent(0).source)?.balance ?? 0n;
        const top = BigInt(prng.pick([5_000, 20_000, 100_000])) * 10_000n;
        return { t: 'deposit', micros: (balance < 0n ? top - balance : top).toString() };
      }
      case 'limits':
        return prng.chance(0.5)
          ? { t: 'limits', fundingLimitCents: prng.pick([40_000, 70_000, 150_000]) }
          : { t: 'limits', capCents: prng.pick([60_000, 150_000, 300_000]) };
      case 'revoke':
        // Late in the run only: a revoked agent is gone for good.
        if (step < this.steps / 3 || m.agent(REVOCABLE_AGENT).status === 'revoked')
          return undefined;
        return { t: 'status', agent: REVOCABLE_AGENT, to: 'revoked' };
      case 'advance':
        return this.advance();
    }
  }

  private cancel(): Action | undefined {
    const { prng, m } = this;
    const r = prng.next();
    const pending = this.spendsWhere((s) => s.status === 'needs_approval');
    if (r < 0.75 && pending.length > 0) {
      const s = prng.pick(pending);
      return {
        t: 'cancel',
        agent: m.agentById(s.agentId).index,
        spendId: s.id,
        why: 'own pending',
      };
    }
    const any = [...m.spends.values()];
    if (any.length === 0) return undefined;
    const s = prng.pick(any);
    const owner = m.agentById(s.agentId);
    if (r < 0.9) return { t: 'cancel', agent: owner.index, spendId: s.id, why: `own ${s.status}` };
    const other = m.agents.find((a) => a.id !== owner.id) as MAgent;
    return { t: 'cancel', agent: other.index, spendId: s.id, why: "another agent's" };
  }

  private receipt(): Action {
    const { prng } = this;
    const a = this.agent();
    const merchant = prng.chance(0.8) ? prng.pick(KNOWN) : `shop-${(this.fresh += 1)}`;
    const plain = (why: string, amount?: ReceiptAmount): Action => ({
      t: 'receipt',
      agent: a.index,
      amount:
        amount ?? (prng.chance(0.8) ? { cents: this.cents() } : { micros: prng.range(1, 999_999) }),
      merchant,
      why,
    });
    const mine = (f: (s: MSpend) => boolean) =>
      this.spendsWhere((s) => s.agentId === a.id && !s.x402 && f(s));
    const variant = prng.weighted({
      plain: 30,
      huge: 3,
      same: 9,
      less: 9,
      more: 9,
      again: 4,
      pending: 6,
      closed: 10,
      other: 5,
      unknown: 3,
    });
    if (variant === 'huge')
      return plain('huge', {
        micros: prng.pick([1_000_000_000_000_000, 123_456_789_012, 10 ** 11]),
      });
    if (variant === 'other' || variant === 'unknown') {
      const theirs = this.spendsWhere((s) => s.agentId !== a.id);
      const spendId =
        variant === 'other' && theirs.length > 0 ? prng.pick(theirs).id : 'spr_doesnotexist000000';
      return { ...plain(variant), spendId } as Action;
    }
    const want: Record<string, (s: MSpend) => boolean> = {
      same: (s) => s.status === 'approved' && s.settledBy === null,
      less: (s) => s.status === 'approved' && s.settledBy === null && s.amount > 1n,
      more: (s) => s.status === 'approved' && s.settledBy === null,
      again: (s) => s.status === 'approved' && s.settledBy !== null,
      pending: (s) => s.status === 'needs_approval',
      closed: (s) => ['declined', 'expired', 'cancelled'].includes(s.status),
    };
    const targets = mine(want[variant] ?? (() => false));
    if (variant === 'plain' || targets.length === 0) return plain('plain');
    const s = prng.pick(targets);
    const amount =
      variant === 'less'
        ? BigInt(prng.range(1, Number(s.amount) - 1))
        : variant === 'more'
          ? s.amount + BigInt(prng.range(1, 30_000_000))
          : s.amount;
    return {
      t: 'receipt',
      agent: a.index,
      amount: { micros: Number(amount) },
      merchant,
      spendId: s.id,
      why: variant,
    };
  }

  private review(): Action | undefined {
    const { prng, m } = this;
    const all = [...m.receipts.values()].filter((r) => r.review !== null);
    const open = all.filter((r) => r.review?.status === 'open');
    const wrong = prng.chance(0.1) && all.length > open.length;
    if (!wrong && open.length === 0) return undefined;
    const r = prng.pick(wrong ? all.filter((x) => x.review?.status !== 'open') : open);
    const review = r.review as NonNullable<typeof r.review>;
    // A held part of billions, accepted, takes the shared source far below zero: seldom.
    const pAccept =
      review.kind === 'settled_for_less' ? 0.6 : review.micros > 10n ** 11n ? 0.15 : 0.5;
    const why = `${review.kind} ${review.status}`;
    return { t: prng.chance(pAccept) ? 'accept' : 'dispute', receiptId: r.id, why };
  }

  private settle(): Action | undefined {
    const { prng } = this;
    // x402 requests are left to the chain part (chain-part.ts), whose settles the owner
    // cannot make: the chain settles those (docs/chain.md).
    const approved = this.spendsWhere(
      (s) => s.status === 'approved' && s.usage !== null && !s.x402,
    );
    if (prng.chance(0.05) || approved.length === 0) {
      const other = this.spendsWhere((s) => s.status !== 'approved');
      if (other.length === 0) return undefined;
      return { t: 'settle', spendId: prng.pick(other).id, to: '0', why: 'not approved' };
    }
    const s = prng.pick(approved);
    const counted = (s.usage as NonNullable<MSpend['usage']>).micros;
    if (prng.chance(0.15) || counted === 0n)
      return { t: 'settle', spendId: s.id, to: counted.toString(), why: 'not less' };
    return {
      t: 'settle',
      spendId: s.id,
      to: BigInt(prng.range(0, Number(counted) - 1)).toString(),
      why: 'less',
    };
  }

  private patch(): Policy {
    const { prng } = this;
    switch (prng.int(8)) {
      case 0:
        return { budget_cents: prng.pick([0, 5_000, 20_000, 30_000, 60_000]) };
      case 1:
        return { over_budget: prng.pick(['ask', 'decline'] as const) };
      case 2:
        return { max_pending: prng.range(1, 6) };
      case 3:
        return { approval_threshold_cents: prng.pick([null, 3_000, 6_000, 10_000]) };
      case 4:
        return { ask_on_new_merchant: prng.chance(0.5) };
      case 5:
        return { velocity_per_hour: prng.pick([null, 3, 6, 10]) };
      case 6:
        return { pause_on_over_budget: prng.chance(0.5) };
      default:
        return prng.pick([
          { period: 'daily', window: 'rolling' },
          { period: 'weekly', window: 'calendar' },
          { period: 'monthly', window: 'rolling' },
          { period: 'daily', window: 'calendar' },
        ] as const);
    }
  }

  private advance(): Action {
    const { prng, m } = this;
    const day = spanOf({ period: 'daily', kind: 'calendar' }, m.tz, m.now);
    const toMidnight = (day.end as number) - m.now;
    const choice = prng.weighted({
      minute: 18,
      tenMinutes: 15,
      hour: 18,
      fiveHours: 12,
      midnightMinus: 5,
      midnightPlus: 6,
      expiry: 6,
      day: 8,
      threeDays: 6,
      nineDays: 2,
      month: 1,
    });
    const ms = {
      minute: MINUTE,
      tenMinutes: 10 * MINUTE,
      hour: HOUR,
      fiveHours: 5 * HOUR,
      // Just before and just past the local midnight (a DST day is 23 or 25 hours long).
      midnightMinus: Math.max(1, toMidnight - 1),
      midnightPlus: toMidnight + 1,
      expiry: m.pendingExpiryHours * HOUR + MINUTE,
      day: 25 * HOUR,
      threeDays: 3 * 24 * HOUR,
      nineDays: 9 * 24 * HOUR,
      month: 32 * 24 * HOUR,
    }[choice];
    return { t: 'advance', ms, why: choice };
  }
}
