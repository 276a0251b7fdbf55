/**
 * The auditor (after TigerBeetle's src/state_machine/auditor.zig): after every step it
 * reads the real state and checks the rules of docs/money-integrity.md, knowing nothing of
 * the model but the step that ran:
 *
 * (a) no limit is passed by money the rules do not excuse: each shared limit (the funding
 *     source's, the global cap) holds what was approved plus what receipts counted within
 *     headroom, and only a held part the owner accepted may take it past; the balance goes
 *     below zero only by such an acceptance; a policy approval keeps the periodic budget and
 *     a grant draw keeps the grant, and any approval keeps every hard limit;
 * (b) no agent's remaining (budget, grant, and the shared room) rises except by the owner
 *     (settle, accepting a settlement for less, a policy edit, a deposit or a limit), a
 *     window rollover (a clock move) or a verified chain fact (a sync);
 * (c) a receipt by agent A lowers the shared room of any other agent B by at most A's
 *     headroom at that moment, and changes nothing else of B;
 * (d) the ledger, read alone, gives every usage row, every meter, every balance and every
 *     grant's draws, and its hash chain verifies.
 */
import { walletInternals } from '../../electron/core/wallet-internals';
import type { Action, Outcome } from './actions';
import { inWindow, snapshot, type Snapshot } from './audit-snapshot';
import { LedgerSums } from './ledger-sums';
import type { World } from './setup';

type Rise = { own: Set<string> | 'all'; balance: boolean; limit: boolean; cap: boolean };
const NONE: Rise = { own: new Set(), balance: false, limit: false, cap: false };
const ALL: Rise = { own: 'all', balance: true, limit: true, cap: true };

function fail(rule: string, message: string): never {
  throw new Error(`auditor (${rule}): ${message}`);
}

export class Auditor {
  private readonly ledger: LedgerSums;
  private before: Snapshot | undefined;

  constructor(
    private readonly w: World,
    private readonly agentIds: string[],
  ) {
    this.ledger = new LedgerSums(walletInternals(w.wallet));
  }

  /** Reads the state a step starts from. */
  start(): void {
    this.before = snapshot(this.w, this.agentIds);
  }

  /** `fullVerify`: walk the whole hash chain too (each new entry is checked every step). */
  check(action: Action, outcome: Outcome, subjectId: string | null, fullVerify: boolean): void {
    const pre = this.before ?? fail('setup', 'no snapshot before the step');
    const post = snapshot(this.w, this.agentIds);
    this.limits(pre, post, outcome, subjectId);
    this.rises(pre, post, this.allowed(action, subjectId));
    if (action.t === 'receipt' && subjectId && outcome.kind === 'receipt')
      this.otherAgents(pre, post, subjectId);
    this.ledgerAgrees(post, fullVerify);
  }

  /** (a) */
  private limits(pre: Snapshot, post: Snapshot, outcome: Outcome, subjectId: string | null): void {
    const shared = [...post.sources.values()].flatMap((s) =>
      s.limit
        ? [{ name: `funding limit of ${s.id}`, now: s.limit, was: pre.sources.get(s.id)?.limit }]
        : [],
    );
    if (post.cap) shared.push({ name: 'global cap', now: post.cap, was: pre.cap });
    for (const { name, now, was } of shared) {
      if (now.unexcused > now.amount && (!was || now.unexcused > was.unexcused))
        fail(
          'a',
          `${name}: ${now.unexcused} counted without the owner's acceptance, past ${now.amount}`,
        );
    }
    for (const s of post.sources.values()) {
      if (s.balance + s.accepted < 0n)
        fail(
          'a',
          `balance of ${s.id} is ${s.balance}; only ${s.accepted} of it was accepted by the owner`,
        );
    }
    const approvedNow =
      (outcome.kind === 'spend' && outcome.status === 'approved') || outcome.kind === 'approved';
    if (!approvedNow || !subjectId) return;
    const rule = outcome.rule;
    const agent = post.agents.get(subjectId);
    if (!agent) return;
    if ((rule === 'within_policy' || rule === 'owner_approved') && agent.spent > agent.budget)
      fail('a', `${rule} took ${subjectId} to ${agent.spent} of a budget of ${agent.budget}`);
    if (rule === 'budget_request' && outcome.kind === 'spend' && outcome.grant) {
      // A draw by policy stays within the grant (it may end it exactly: exhausted).
      const g = walletInternals(this.w.wallet).budgets.get(outcome.grant);
      if (g && g.approved !== null && g.spent > g.approved)
        fail('a', `grant ${g.id} drawn to ${g.spent} of ${g.approved}`);
    }
    const own = [post.sources.get(agent.sourceId)?.limit, post.cap];
    for (const l of own)
      if (l && l.spent > l.amount)
        fail('a', `an approval took a hard limit to ${l.spent} of ${l.amount}`);
    const source = post.sources.get(agent.sourceId);
    if (source && source.balance < 0n) fail('a', `an approval took ${source.id} below zero`);
  }

  /** Who may raise what in this step (rule b). */
  private allowed(a: Action, subjectId: string | null): Rise {
    const deps = walletInternals(this.w.wallet);
    switch (a.t) {
      case 'advance':
      case 'sync':
      case 'fundWallet':
        return ALL;
      case 'settle':
        return { ...ALL, own: new Set(subjectId ? [subjectId] : []) };
      case 'accept': {
        const r = deps.receipts.get(a.receiptId);
        if (r?.review?.kind !== 'settled_for_less') return NONE;
        return { ...ALL, own: new Set([r.agentId]) };
      }
      case 'policy':
        return { ...NONE, own: new Set(subjectId ? [subjectId] : []) };
      case 'deposit':
        return { ...NONE, balance: true };
      case 'limits':
        return { ...NONE, limit: true, cap: true };
      default:
        return NONE;
    }
  }

  /** (b) */
  private rises(pre: Snapshot, post: Snapshot, may: Rise): void {
    for (const [id, now] of post.agents) {
      const was = pre.agents.get(id);
      if (!was) continue;
      const own = may.own === 'all' || may.own.has(id);
      if (!own && now.remaining > was.remaining)
        fail('b', `${id}'s remaining budget rose from ${was.remaining} to ${now.remaining}`);
      if (!own && now.grant && was.grant?.id === now.grant.id && now.grant.left > was.grant.left)
        fail('b', `${id}'s grant ${now.grant.id} rose from ${was.grant.left} to ${now.grant.left}`);
    }
    for (const [id, now] of post.sources) {
      const was = pre.sources.get(id);
      if (!was) continue;
      if (!may.balance && now.balance > was.balance)
        fail('b', `balance of ${id} rose from ${was.balance} to ${now.balance}`);
      const left = (l: typeof now.limit) => (l ? l.amount - l.spent : 0n);
      if (!may.limit && now.limit && was.limit && left(now.limit) > left(was.limit))
        fail(
          'b',
          `what is left of ${id}'s limit rose from ${left(was.limit)} to ${left(now.limit)}`,
        );
    }
    const capLeft = (s: Snapshot) => (s.cap ? s.cap.amount - s.cap.spent : 0n);
    if (!may.cap && post.cap && pre.cap && capLeft(post) > capLeft(pre))
      fail('b', `what is left of the global cap rose from ${capLeft(pre)} to ${capLeft(post)}`);
  }

  /** (c): a claim A makes never changes what another agent may spend beyond A's headroom. */
  private otherAgents(pre: Snapshot, post: Snapshot, subjectId: string): void {
    const headroom = pre.agents.get(subjectId)?.headroom ?? 0n;
    for (const [id, now] of post.agents) {
      const was = pre.agents.get(id);
      if (id === subjectId || !was) continue;
      if (was.sharedRoom - now.sharedRoom > headroom)
        fail(
          'c',
          `a receipt by ${subjectId} (headroom ${headroom}) cut ${id}'s shared room from ${was.sharedRoom} to ${now.sharedRoom}`,
        );
      if (
        now.status !== was.status ||
        now.remaining !== was.remaining ||
        now.grant?.left !== was.grant?.left
      )
        fail(
          'c',
          `a receipt by ${subjectId} changed ${id}: ${was.status}/${was.remaining} to ${now.status}/${now.remaining}`,
        );
    }
  }

  /** (d) */
  private ledgerAgrees(post: Snapshot, fullVerify: boolean): void {
    const deps = walletInternals(this.w.wallet);
    this.ledger.catchUp();
    const rows = deps.db
      .prepare<
        [],
        {
          id: bigint;
          ts: bigint;
          agent_id: string;
          funding_source_id: string;
          micros: bigint;
          shared_micros: bigint;
        }
      >('SELECT id, ts, agent_id, funding_source_id, micros, shared_micros FROM usage')
      .safeIntegers(true)
      .all();
    const sourceOf = new Map<number, string>();
    for (const r of rows) {
      const u = this.ledger.usages.get(Number(r.id));
      sourceOf.set(Number(r.id), r.funding_source_id);
      if (
        !u ||
        u.counted !== r.micros ||
        u.shared !== r.shared_micros ||
        u.ts !== Number(r.ts) ||
        u.agentId !== r.agent_id
      )
        fail(
          'd',
          `usage ${r.id} holds ${r.micros}/${r.shared_micros} at ${r.ts}; the ledger says ${u ? `${u.counted}/${u.shared} at ${u.ts}` : 'nothing'}`,
        );
    }
    if (this.ledger.usages.size !== rows.length)
      fail(
        'd',
        `the ledger names ${this.ledger.usages.size} usages, the table holds ${rows.length}`,
      );
    const usages = [...this.ledger.usages.entries()];
    const sum = (
      f: (id: number, u: (typeof usages)[number][1]) => boolean,
      part: 'counted' | 'shared',
    ) => usages.filter(([id, u]) => f(id, u)).reduce((s, [, u]) => s + u[part], 0n);
    const now = post.now;
    for (const a of post.agents.values()) {
      const spent = sum((_, u) => u.agentId === a.id && inWindow(a.window, u.ts, now), 'counted');
      if (spent !== a.spent)
        fail('d', `${a.id}'s budget meter says ${a.spent}, the ledger ${spent}`);
      const agent = deps.agents.get(a.id);
      const hour = usages.filter(([, u]) => u.agentId === a.id && u.ts > now - 3_600_000).length;
      if (agent && deps.limits.velocity(agent, now, false) !== hour)
        fail('d', `${a.id}'s velocity meter disagrees with the ledger (${hour})`);
    }
    for (const s of post.sources.values()) {
      const shared = sum((id) => sourceOf.get(id) === s.id, 'shared');
      const deposits = this.ledger.deposits.get(s.id) ?? 0n;
      if (s.balance !== deposits - shared)
        fail(
          'd',
          `balance of ${s.id} is ${s.balance}; deposits ${deposits} less shared parts ${shared}`,
        );
      const limit = s.limit;
      if (limit) {
        const inIt = sum(
          (id, u) => sourceOf.get(id) === s.id && inWindow(limit.window, u.ts, now),
          'shared',
        );
        if (inIt !== limit.spent)
          fail('d', `${s.id}'s limit meter says ${limit.spent}, the ledger ${inIt}`);
      }
    }
    const cap = post.cap;
    if (cap) {
      const inIt = sum((_, u) => inWindow(cap.window, u.ts, now), 'shared');
      if (inIt !== cap.spent)
        fail('d', `the global cap meter says ${cap.spent}, the ledger ${inIt}`);
    }
    for (const g of deps.budgets.list(undefined, 100_000)) {
      const drawn = this.ledger.grantSpent.get(g.id) ?? 0n;
      if (drawn !== g.spent)
        fail('d', `grant ${g.id} has spent ${g.spent}; the ledger draws ${drawn}`);
    }
    const verified = fullVerify ? deps.ledger.verify() : { ok: true, firstBad: undefined };
    if (!verified.ok)
      fail('d', `the hash chain does not verify: ${JSON.stringify(verified.firstBad)}`);
  }
}
