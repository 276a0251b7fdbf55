/**
 * The money model's state, kept apart from the core (it imports nothing from electron/):
 * its own usage list (each usage with its agent part and its shared part, and the time it
 * was first counted), its own windows, grants, pending requests, receipts and balances.
 * Every sum the rules speak of (docs/decision-order.md, docs/money-integrity.md) is
 * computed here from that list, the slow and obvious way.
 */
import { inSpan, spanOf, type Period, type Spec, type WindowKind } from './windows';

export const HOUR = 3_600_000;
export const MICROS_PER_CENT = 10_000n;
export const cents = (c: number): bigint => BigInt(c) * MICROS_PER_CENT;
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const pos = (a: bigint): bigint => (a > 0n ? a : 0n);

export interface Limit {
  amount: bigint;
  period: Period;
  window: WindowKind;
}

export interface MPolicy {
  budget: bigint;
  period: Period;
  window: WindowKind;
  maxTransaction: bigint | null;
  approvalThreshold: bigint | null;
  askOnNewMerchant: boolean;
  overBudget: 'ask' | 'decline';
  velocityPerHour: number | null;
  pauseOnOverBudget: boolean;
  maxPending: number;
  deny: string[];
}

export interface MAgent {
  index: number;
  id: string;
  status: 'active' | 'paused' | 'revoked';
  policy: MPolicy;
  source: string;
  known: Set<string>;
}

export interface MUsage {
  origin: string;
  agentId: string;
  source: string;
  ts: number;
  micros: bigint;
  shared: bigint;
}

export interface MSpend {
  id: string;
  agentId: string;
  status: 'approved' | 'declined' | 'needs_approval' | 'expired' | 'cancelled';
  rule: string;
  amount: bigint;
  merchant: string;
  usage: MUsage | null;
  grantId: string | null;
  expiresAt: number | null;
  /** The receipt that settled it (an approved request is settled at most once). */
  settledBy: string | null;
  /** Paid through Purser (x402): only the chain settles it. */
  x402: boolean;
  /** When it was approved, by policy or by the owner (an unsigned x402 reservation lapses). */
  decidedAt: number | null;
}

export interface MGrant {
  id: string;
  agentId: string;
  status: 'pending' | 'approved' | 'rejected' | 'expired' | 'exhausted';
  requested: bigint;
  approved: bigint | null;
  spent: bigint;
  expiresAt: number;
}

export interface MReview {
  kind: 'shared_excess' | 'settled_for_less';
  status: 'open' | 'accepted' | 'disputed';
  micros: bigint;
}

export interface MReceipt {
  id: string;
  agentId: string;
  amount: bigint;
  usage: MUsage | null;
  spendId: string | null;
  review: MReview | null;
}

export interface MSource {
  id: string;
  kind: 'cash' | 'onchain';
  balance: bigint;
  limit: Limit | null;
}

export class ModelState {
  now: number;
  tz: string;
  frozen = false;
  cap: Limit | null = null;
  pendingExpiryHours = 24;
  readonly sources = new Map<string, MSource>();
  readonly agents: MAgent[] = [];
  readonly usages: MUsage[] = [];
  readonly spends = new Map<string, MSpend>();
  readonly grants = new Map<string, MGrant>();
  readonly receipts = new Map<string, MReceipt>();
  /** What each step did, for the run's summary (`spend:approved:within_policy`, ...). */
  tags: string[] = [];

  constructor(now: number, tz: string) {
    this.now = now;
    this.tz = tz;
  }

  tag(...tags: string[]): void {
    this.tags.push(...tags);
  }

  agent(index: number): MAgent {
    const a = this.agents[index];
    if (!a) throw new Error(`no agent ${index}`);
    return a;
  }

  agentById(id: string): MAgent {
    const a = this.agents.find((x) => x.id === id);
    if (!a) throw new Error(`no agent ${id}`);
    return a;
  }

  source(a: MAgent): MSource {
    const s = this.sources.get(a.source);
    if (!s) throw new Error(`no source ${a.source}`);
    return s;
  }

  private sum(spec: Spec, pick: (u: MUsage) => bigint | null): bigint {
    const span = spanOf(spec, this.tz, this.now);
    let total = 0n;
    for (const u of this.usages) {
      const v = pick(u);
      if (v !== null && inSpan(span, u.ts)) total += v;
    }
    return total;
  }

  /** What counts against the agent's own periodic budget now (its whole usage). */
  spent(a: MAgent): bigint {
    const spec = { period: a.policy.period, kind: a.policy.window };
    return this.sum(spec, (u) => (u.agentId === a.id ? u.micros : null));
  }

  /** What the agent sees: `remaining_budget_cents`, never negative (decision-order.md). */
  remaining(a: MAgent): bigint {
    return pos(a.policy.budget - this.spent(a));
  }

  /** The funding source's limit window: shared parts only (money-integrity.md, rule 2). */
  sourceSpent(s: MSource): bigint | null {
    if (!s.limit) return null;
    const spec = { period: s.limit.period, kind: s.limit.window };
    return this.sum(spec, (u) => (u.source === s.id ? u.shared : null));
  }

  capSpent(): bigint | null {
    if (!this.cap) return null;
    return this.sum({ period: this.cap.period, kind: this.cap.window }, (u) => u.shared);
  }

  /** Usage rows of the agent in the last rolling hour (velocity counts rows, not money). */
  velocity(a: MAgent): number {
    const span = spanOf({ period: 'hour', kind: 'rolling' }, this.tz, this.now);
    return this.usages.filter((u) => u.agentId === a.id && inSpan(span, u.ts)).length;
  }

  pendingOf(a: MAgent): MSpend[] {
    return [...this.spends.values()].filter(
      (s) => s.agentId === a.id && s.status === 'needs_approval',
    );
  }

  /** The pending or approved budget request (one at most, docs/decision-order.md). */
  openGrant(a: MAgent): MGrant | undefined {
    return [...this.grants.values()].find(
      (g) => g.agentId === a.id && (g.status === 'pending' || g.status === 'approved'),
    );
  }

  /** The grant step 12 draws on: approved and its window still open. */
  activeGrant(a: MAgent): MGrant | undefined {
    const g = this.openGrant(a);
    return g && g.status === 'approved' && g.expiresAt > this.now ? g : undefined;
  }

  grantLeft(g: MGrant): bigint {
    return pos((g.approved ?? 0n) - g.spent);
  }

  /** What every agent sharing this source and the cap has left of them together. */
  sharedRoom(a: MAgent): bigint {
    const s = this.source(a);
    let room = pos(s.balance);
    const limitSpent = this.sourceSpent(s);
    if (s.limit && limitSpent !== null) room = min(room, pos(s.limit.amount - limitSpent));
    const capSpent = this.capSpent();
    if (this.cap && capSpent !== null) room = min(room, pos(this.cap.amount - capSpent));
    return room;
  }

  /**
   * What the agent could have spent on its own now (money-integrity.md, rule 2): the least
   * of its own room (an open grant's, else its budget's) and the shared room; none at all
   * while it is paused or revoked or the wallet is frozen.
   */
  headroom(a: MAgent): bigint {
    if (a.status !== 'active' || this.frozen) return 0n;
    const g = this.activeGrant(a);
    const own = g ? this.grantLeft(g) : this.remaining(a);
    return min(own, this.sharedRoom(a));
  }

  /** Counts money: a usage row, the shared part taken from the balance, the merchant known. */
  count(a: MAgent, origin: string, micros: bigint, merchant: string, shared = micros): MUsage {
    const usage = { origin, agentId: a.id, source: a.source, ts: this.now, micros, shared };
    this.usages.push(usage);
    this.source(a).balance -= shared;
    a.known.add(merchant.toLowerCase());
    return usage;
  }

  /** Changes a usage in the window it was first counted in, and its source's balance. */
  adjust(u: MUsage, micros: bigint, shared: bigint): void {
    u.micros += micros;
    u.shared += shared;
    if (u.micros < 0n || u.shared < 0n || u.shared > u.micros)
      throw new Error(`model: usage ${u.origin} would be ${u.micros}/${u.shared}`);
    const s = this.sources.get(u.source);
    if (s) s.balance -= shared;
  }

  /** Draws on a grant (negative gives back, never below zero); at its amount it is exhausted. */
  draw(g: MGrant, delta: bigint): void {
    g.spent = pos(g.spent + delta);
    if (g.status === 'approved' && g.approved !== null && g.spent >= g.approved) {
      g.status = 'exhausted';
      this.tag('grant:exhausted');
    }
  }

  /** Upkeep: what is past its time expires (pending requests, pending and open grants). */
  expireDue(): void {
    for (const s of this.spends.values()) {
      if (s.status === 'needs_approval' && s.expiresAt !== null && s.expiresAt <= this.now) {
        s.status = 'expired';
        s.rule = 'expired';
        this.tag('expiry:spend');
      }
    }
    for (const g of this.grants.values()) {
      if ((g.status === 'pending' || g.status === 'approved') && g.expiresAt <= this.now) {
        this.tag(`expiry:grant_${g.status}`);
        g.status = 'expired';
      }
    }
  }
}
