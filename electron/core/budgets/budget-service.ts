import type { BudgetRequestStatus } from '../../../shared/domain';
import type { Micros } from '../../../shared/money';
import type { IdempotencyClaim } from '../spend/idempotency-repository';
import { HOUR_MS } from '../clock';
import type { TxContext } from '../db/committer';
import { PendingLifecycle } from '../approvals/pending-lifecycle';
import { notFound, PurserError } from '../errors';
import { newId } from '../ids';
import type { KeyAuth } from '../keys/key-repository';
import type { WalletDeps, WriterDeps } from '../wallet-deps';
import { enforceRateLimit } from '../keys/rate-limit-policy';
import type { BudgetRequestRecord } from './budget-repository';

export const DEFAULT_GRANT_HOURS = 24;

/** An agent's request for a budget, as the core takes it. */
export interface BudgetRequestCommand {
  amount: Micros;
  purpose: string;
  category: string | null;
  metadata: Record<string, unknown> | null;
}

/** The owner's approval: another amount if they like, a window, a comment. */
export interface GrantCommand {
  amount?: Micros;
  hours?: number;
  comment?: string | null;
}

/** What BudgetService uses of the wallet: no more (wallet.ts wires it). */
export type BudgetServiceDeps = Pick<
  WalletDeps,
  WriterDeps | 'budgets' | 'idempotency' | 'policies' | 'rateLimiter' | 'settings' | 'waiters'
>;

/**
 * Budget requests (docs/decision-order.md): an agent asks for an amount for a purpose;
 * the owner approves (perhaps a different amount, for a window of hours) or rejects; while
 * approved, the agent's spends draw on it (step 12) until it is exhausted or its window
 * closes. One active (pending or approved) request per agent.
 */
export class BudgetService {
  private readonly requests: PendingLifecycle<BudgetRequestRecord>;

  constructor(private readonly d: BudgetServiceDeps) {
    this.requests = new PendingLifecycle(d, {
      what: 'budget request',
      get: (id) => d.budgets.get(id),
      isPending: (r) => r.status === 'pending',
      // A pending one lapses unanswered; an approved one's window closes.
      isDue: (r, now) => (r.status === 'pending' || r.status === 'approved') && r.expiresAt <= now,
      notPending: (r) =>
        `Budget request ${r.id} is ${r.status}; only a pending one can be approved or rejected.`,
    });
  }

  create(auth: KeyAuth, command: BudgetRequestCommand, idempotency?: IdempotencyClaim) {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      return d.idempotency.once(
        { agentId: auth.agentId, claim: idempotency, route: 'budget_request', now },
        (id) => this.require(id),
        () => {
          const existing = d.budgets.active(auth.agentId);
          if (existing) {
            throw new PurserError(
              'budget_request_exists',
              `This agent already has an active budget request (${existing.id}, ${existing.status}).`,
              { id: existing.id, status: existing.status },
            );
          }
          enforceRateLimit(d, auth, now);
          const id = newId('budgetRequest');
          d.budgets.insert({
            id,
            agentId: auth.agentId,
            keyId: auth.keyId,
            requested: command.amount,
            purpose: command.purpose,
            category: command.category,
            metadata: command.metadata,
            createdAt: now,
            expiresAt: now + d.settings.get().pendingExpiryHours * HOUR_MS,
          });
          const record = this.require(id);
          this.ledger(
            record,
            'budget_request.created',
            `key:${auth.keyId}`,
            now,
            record.requested,
            { purpose: record.purpose, category: record.category },
          );
          this.announce(tx, record);
          return { objectId: id, result: record };
        },
      );
    });
  }

  /** The owner approves, optionally adjusting the amount; the window opens now. */
  approve(id: string, options: GrantCommand): Promise<BudgetRequestRecord> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const record = this.pending(id);
      const amount = options.amount ?? record.requested;
      const hours = options.hours ?? DEFAULT_GRANT_HOURS;
      d.budgets.approve(id, amount, now + hours * HOUR_MS, options.comment ?? null, now);
      const approved = this.require(id);
      this.ledger(approved, 'budget_request.approved', 'owner', now, amount, {
        requested_micros: record.requested.toString(),
        adjusted: amount !== record.requested,
        hours,
        comment: options.comment ?? null,
      });
      this.announce(tx, approved);
      return approved;
    });
  }

  reject(id: string, reason: string | null): Promise<BudgetRequestRecord> {
    return this.d.committer.run((tx) =>
      this.rejectNow(tx, this.pending(id), reason, this.d.clock.now()),
    );
  }

  /** Rejects a pending request in the caller's write job (the owner's word, or a revocation). */
  rejectNow(
    tx: TxContext,
    record: BudgetRequestRecord,
    reason: string | null,
    now: number,
  ): BudgetRequestRecord {
    this.d.budgets.end(record.id, 'rejected', now, reason);
    const rejected = this.require(record.id);
    this.ledger(rejected, 'budget_request.rejected', 'owner', now, null, { reason });
    this.announce(tx, rejected);
    return rejected;
  }

  /** The approved, unexpired grant a spend of this agent draws on now, if any. */
  activeGrant(agentId: string, now: number): { id: string; remaining: Micros } | null {
    const grant = this.d.budgets.active(agentId);
    if (!grant || grant.status !== 'approved' || grant.approved === null || grant.expiresAt <= now)
      return null;
    const remaining = grant.approved - grant.spent;
    return { id: grant.id, remaining: remaining > 0n ? remaining : 0n };
  }

  /**
   * Counts `delta` against a grant (negative gives it back, when a settlement releases
   * part of a spend). At nothing left, the grant is exhausted.
   */
  draw(tx: TxContext, grantId: string, delta: Micros, now: number): void {
    const { d } = this;
    d.budgets.addSpent(grantId, delta);
    const grant = this.require(grantId);
    if (grant.status === 'approved' && grant.approved !== null && grant.spent >= grant.approved) {
      d.budgets.end(grantId, 'exhausted', now);
      const exhausted = this.require(grantId);
      this.ledger(exhausted, 'budget_request.exhausted', 'system', now, grant.spent, {
        approved_micros: grant.approved.toString(),
      });
      this.announce(tx, exhausted);
    } else {
      this.announce(tx, grant);
    }
  }

  /** Ends pending requests nobody answered and approved ones whose window closed. */
  expireDue(tx: TxContext, now: number): void {
    const { d } = this;
    for (const record of d.budgets.dueAt(now)) {
      if (!d.budgets.end(record.id, 'expired', now)) continue;
      const expired = this.require(record.id);
      this.ledger(expired, 'budget_request.expired', 'system', now, null, {
        was: record.status,
        spent_micros: record.spent.toString(),
      });
      this.announce(tx, expired);
    }
  }

  get(auth: KeyAuth, id: string): BudgetRequestRecord {
    return this.requests.own(auth, id);
  }

  waitFor(
    auth: KeyAuth,
    id: string,
    seconds: number,
    signal?: AbortSignal,
  ): Promise<BudgetRequestRecord> {
    return this.requests.waitFor(auth, id, seconds, signal);
  }

  list(auth: KeyAuth, status: BudgetRequestStatus | undefined): BudgetRequestRecord[] {
    return this.d.budgets.listForAgent(auth.agentId, status, 100);
  }

  private pending(id: string): BudgetRequestRecord {
    return this.requests.pending(id);
  }

  private require(id: string): BudgetRequestRecord {
    const record = this.d.budgets.get(id);
    if (!record) throw notFound('budget request', id);
    return record;
  }

  private ledger(
    record: BudgetRequestRecord,
    type:
      | 'budget_request.created'
      | 'budget_request.approved'
      | 'budget_request.rejected'
      | 'budget_request.expired'
      | 'budget_request.exhausted',
    actor: `key:${string}` | 'owner' | 'system',
    now: number,
    amount: Micros | null,
    data: Record<string, unknown>,
  ): void {
    const agent = this.d.agents.get(record.agentId);
    this.d.ledger.append(
      {
        type,
        actor,
        mode: agent?.mode ?? null,
        agentId: record.agentId,
        objectId: record.id,
        amount,
        status: record.status,
        data,
      },
      now,
    );
  }

  private announce(tx: TxContext, record: BudgetRequestRecord): void {
    tx.afterCommit(() => this.d.events.emit('budget_request', record));
  }
}
