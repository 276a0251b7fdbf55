/**
 * The model of x402 payments through Purser-held wallets (docs/chain.md; docs/money-
 * integrity.md "On chain"): a payment is decided like any spend and counted when reserved;
 * it is signed at once when approved, or waits for the owner and is signed when the agent
 * comes back; a receipt naming it is a 409. Only the chain ends it: a sync settles what was
 * used on chain (counted once) and releases what can no longer be used (an authorization
 * past its validBefore in chain time, or an approval nobody came back to sign within 15
 * minutes). The Purser-held wallet's `onchain` source holds what the chain saw arrive.
 */
import type { Action, Minted, Outcome } from './actions';
import { revokedKey, spend } from './model-spend';
import { cents, type MAgent, type ModelState } from './model-state';

export const SIGN_WITHIN_MS = 15 * 60_000;
/** Idempotency keys are forgotten after a week, by the sweeper, at most every 10 minutes. */
const KEY_RETENTION_MS = 7 * 24 * 3_600_000;
const PURGE_EVERY_MS = 10 * 60_000;

export interface MPayment {
  id: string;
  agentId: string;
  spendId: string;
  status: 'awaiting_approval' | 'reserved' | 'signed' | 'settled' | 'released' | 'declined';
  micros: bigint;
  /** The chain clock's epoch it was signed in: a later `chainLapse` puts it past validBefore. */
  epoch: number | null;
  usedOnChain: boolean;
  /** When its idempotency key was stored (Purser's clock). */
  keyAt: number;
}

export class ChainModel {
  readonly payments = new Map<string, MPayment>();
  readonly byIdem = new Map<string, MPayment>();
  /** Keys the sweeper forgot: a retry with one is a new payment. */
  readonly forgotten: string[] = [];
  epoch = 0;
  private lastPurge = 0;

  constructor(
    private readonly price: bigint,
    private readonly merchant: string,
  ) {}

  apply(m: ModelState, a: Action, minted: Minted): Outcome | undefined {
    switch (a.t) {
      case 'advance': {
        // The sweep after the clock moves also forgets week-old idempotency keys: a retry
        // with one of those is a new payment, decided afresh (decision-order.md, step 3).
        const now = m.now + a.ms;
        if (now - this.lastPurge >= PURGE_EVERY_MS) {
          this.lastPurge = now;
          for (const [idem, p] of this.byIdem)
            if (p.keyAt < now - KEY_RETENTION_MS) {
              this.byIdem.delete(idem);
              this.forgotten.push(idem);
              m.tag('x402:key_forgotten');
            }
        }
        return undefined;
      }
      case 'x402Pay':
        return this.pay(m, m.agent(a.agent), a.idem, minted);
      case 'x402Use':
        return this.use(m, a.paymentId);
      case 'chainLapse':
        this.epoch += 1;
        m.tag('chain:lapse');
        return { kind: 'ok' };
      case 'sync':
        return this.sync(m);
      case 'fundWallet': {
        m.source(m.agent(a.agent)).balance += cents(a.cents);
        m.tag('chain:funded');
        this.sync(m);
        return { kind: 'ok' };
      }
      default:
        return undefined;
    }
  }

  private view(m: ModelState, p: MPayment): Outcome {
    const s = m.spends.get(p.spendId);
    return {
      kind: 'x402',
      payment: p.status,
      decision: s?.status ?? '?',
      signed: p.epoch !== null,
    };
  }

  private pay(m: ModelState, a: MAgent, idem: string, minted: Minted): Outcome {
    if (a.status === 'revoked') return revokedKey;
    const earlier = this.byIdem.get(idem);
    if (earlier) {
      // A retry: the same payment, moved on if the owner decided since; signed if approved.
      const s = m.spends.get(earlier.spendId);
      if (earlier.status === 'awaiting_approval' && s && s.status !== 'needs_approval')
        earlier.status = s.status === 'approved' ? 'reserved' : 'declined';
      if (earlier.status === 'reserved') this.sign(earlier);
      m.tag(`x402:retry_${earlier.status}`);
      return this.view(m, earlier);
    }
    if (this.forgotten.includes(idem)) m.tag('x402:retry_forgotten_key');
    const { outcome, record } = spend(m, a, this.price, this.merchant, minted, true);
    if (!record) return outcome;
    if (!minted.paymentId) throw new Error('model: the core made no x402 payment');
    const p: MPayment = {
      id: minted.paymentId,
      agentId: a.id,
      spendId: record.id,
      status:
        record.status === 'approved'
          ? 'reserved'
          : record.status === 'needs_approval'
            ? 'awaiting_approval'
            : 'declined',
      micros: this.price,
      epoch: null,
      usedOnChain: false,
      keyAt: m.now,
    };
    if (p.status === 'reserved') this.sign(p);
    this.payments.set(p.id, p);
    this.byIdem.set(idem, p);
    m.tag(`x402:pay_${p.status}`);
    return this.view(m, p);
  }

  private sign(p: MPayment): void {
    p.status = 'signed';
    p.epoch = this.epoch;
  }

  /** The paywall takes a signature only while the chain would: unused, before validBefore. */
  private use(m: ModelState, id: string): Outcome {
    const p = this.payments.get(id);
    if (!p || p.epoch === null) throw new Error(`model: payment ${id} has no signature`);
    const ok = !p.usedOnChain && p.epoch === this.epoch;
    if (ok) p.usedOnChain = true;
    m.tag(
      ok ? 'x402:used_on_chain' : p.usedOnChain ? 'x402:refused_reused' : 'x402:refused_lapsed',
    );
    return { kind: 'paid', status: ok ? 200 : 402 };
  }

  /** What the reconciler does: settle what the chain used, then release what lapsed. */
  private sync(m: ModelState): Outcome {
    let settled = 0;
    let released = 0;
    for (const p of this.payments.values()) {
      if (!p.usedOnChain || (p.status !== 'signed' && p.status !== 'released')) continue;
      if (p.status === 'released') this.recount(m, p, p.micros);
      p.status = 'settled';
      settled += 1;
      m.tag('chain:settled');
    }
    for (const p of this.payments.values()) {
      const s = m.spends.get(p.spendId);
      const lapsedSigned = p.status === 'signed' && (p.epoch ?? 0) < this.epoch && !p.usedOnChain;
      const unsigned =
        p.status === 'awaiting_approval' &&
        s?.status === 'approved' &&
        (s.decidedAt ?? 0) + SIGN_WITHIN_MS < m.now;
      if (lapsedSigned || unsigned) {
        p.status = 'released';
        this.recount(m, p, -p.micros);
        released += 1;
        m.tag(lapsedSigned ? 'chain:released_lapsed' : 'chain:released_unsigned');
      } else if (
        p.status === 'awaiting_approval' &&
        s &&
        s.status !== 'approved' &&
        s.status !== 'needs_approval'
      ) {
        p.status = 'declined';
        m.tag('chain:closed_unapproved');
      }
    }
    return { kind: 'synced', settled, released, funded: 0 };
  }

  /** A release (or a count again) moves the request's whole usage and any grant it drew on. */
  private recount(m: ModelState, p: MPayment, delta: bigint): void {
    const s = m.spends.get(p.spendId);
    if (!s?.usage) return;
    m.adjust(s.usage, delta, delta);
    const grant = s.grantId ? m.grants.get(s.grantId) : undefined;
    if (grant) m.draw(grant, delta);
  }
}
