import type { Actor } from '../../../shared/ledger';
import { runUpkeep, type TxContext } from '../db/committer';
import { invalidTransition, notFound } from '../errors';
import type { KeyAuth } from '../keys/key-repository';
import type { SpendRecord } from '../spend/spend-repository';
import type { WalletDeps } from '../wallet-deps';

/** What the lifecycle needs to know of one kind of request that waits for the owner. */
export interface PendingKind<R extends { id: string; agentId: string; expiresAt: number | null }> {
  /** As the messages name it: `spend request`, `budget request`. */
  what: string;
  get(id: string): R | undefined;
  /** Waiting for the owner's answer. */
  isPending(record: R): boolean;
  /** Its time is up, but no write has recorded that yet (expiry is lazy). */
  isDue(record: R, now: number): boolean;
  /** The 409 for an owner's answer to what no longer waits. */
  notPending(record: R): string;
}

/**
 * The life of a request that waits for the owner (a spend request, a budget request; payouts
 * next), written once: an agent reads only its own (another's is not found), a read that
 * finds one past its time has the expiry recorded first, a wait returns when the deciding
 * commit lands or the time is up, and the owner answers only what is still pending. Each
 * ending is `closePending` (spends) or the budget service's, ledgered once.
 */
export class PendingLifecycle<R extends { id: string; agentId: string; expiresAt: number | null }> {
  constructor(
    private readonly d: Pick<WalletDeps, 'clock' | 'committer' | 'waiters'>,
    private readonly kind: PendingKind<R>,
  ) {}

  /** One of the caller's own requests, as stored. */
  own(auth: KeyAuth, id: string): R {
    const record = this.kind.get(id);
    if (!record || record.agentId !== auth.agentId) throw notFound(this.kind.what, id);
    return record;
  }

  /** One of the caller's own, its expiry recorded first if its time is up. */
  async fresh(auth: KeyAuth, id: string): Promise<R> {
    const record = this.own(auth, id);
    if (!this.kind.isDue(record, this.d.clock.now())) return record;
    // Expiry is lazy: the write that notices it records it.
    await runUpkeep(this.d.committer);
    return this.own(auth, id);
  }

  /** Waits up to `seconds` for a pending request to be answered, then reads it. */
  async waitFor(auth: KeyAuth, id: string, seconds: number, signal?: AbortSignal): Promise<R> {
    const record = await this.fresh(auth, id);
    if (!this.kind.isPending(record) || seconds <= 0) return record;
    const { clock, waiters } = this.d;
    await waiters.waitForChange(id, seconds, record.expiresAt, clock.now(), signal);
    return this.fresh(auth, id);
  }

  /** A request the owner answers: it must exist and still wait (a 409 otherwise). */
  pending(id: string): R {
    const record = this.kind.get(id);
    if (!record) throw notFound(this.kind.what, id);
    if (!this.kind.isPending(record))
      throw invalidTransition(this.kind.notPending(record), {
        id,
        status: (record as { status?: unknown }).status,
      });
    return record;
  }
}

/** Spend requests as the lifecycle sees them. */
export const spendRequests = (spends: WalletDeps['spends']): PendingKind<SpendRecord> => ({
  what: 'spend request',
  get: (id) => spends.get(id),
  isPending: (r) => r.status === 'needs_approval',
  isDue: (r, now) => r.status === 'needs_approval' && r.expiresAt !== null && r.expiresAt <= now,
  notPending: (r) =>
    `Spend request ${r.id} is already ${r.status}; it can no longer be approved or declined.`,
});

/** How a pending spend request can end without being approved. */
export interface Closing {
  status: 'declined' | 'expired' | 'cancelled';
  reason: string;
  rule: string;
  actor: Actor;
  comment?: string | null;
  /** The ledger entry's data. */
  data?: Record<string, unknown>;
}

/**
 * Ends a pending spend request without counting anything: the row moves once (a guarded
 * UPDATE), the ledger says who ended it and why, and the owner's stream and any waiting
 * agent hear of it after the commit. Declines, cancellations, expiries and the revocation of
 * an agent all end a request here, in the caller's write job. Undefined when the request
 * was no longer pending (another job ended it first).
 */
export function closePending(
  d: Pick<WalletDeps, 'agents' | 'events' | 'ledger' | 'spends'>,
  tx: TxContext,
  record: SpendRecord,
  closing: Closing,
  now: number,
): SpendRecord | undefined {
  const change = {
    status: closing.status,
    decisionReason: closing.reason,
    decisionRule: closing.rule,
    decidedAt: now,
    usageId: null,
    ownerComment: closing.comment ?? null,
  };
  if (!d.spends.resolve(record.id, change)) return undefined;
  d.ledger.append(
    {
      type: `spend.${closing.status}`,
      actor: closing.actor,
      mode: d.agents.get(record.agentId)?.mode ?? null,
      agentId: record.agentId,
      objectId: record.id,
      amount: record.amount,
      status: closing.status,
      merchant: record.merchantName,
      ...(closing.data === undefined ? {} : { data: closing.data }),
    },
    now,
  );
  const updated = { ...record, ...change };
  tx.afterCommit(() => d.events.emit('spend', updated));
  return updated;
}
