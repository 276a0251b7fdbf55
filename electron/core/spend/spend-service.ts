import type { Micros } from '../../../shared/money';
import type { Actor } from '../../../shared/ledger';
import type { Rail } from '../../../shared/domain';
import type { Agent } from '../agents/agent-repository';
import { agentOf } from '../agents/agent-of';
import type { TxContext } from '../db/committer';
import { invalidTransition } from '../errors';
import { HOUR_MS } from '../clock';
import { newId } from '../ids';
import type { KeyAuth } from '../keys/key-repository';
import { decide, type Decision, type Payee, type Refusal } from '../policy/decide';
import type { Policy } from '../policy/policy';
import type { WalletDeps, WriterDeps } from '../wallet-deps';
import type { BudgetService } from '../budgets/budget-service';
import { enforceRateLimit } from '../keys/rate-limit-policy';
import { countUsage } from './usage';
import { raiseBudgetAlerts } from '../budgets/budget-alerts';
import type { IdempotencyClaim } from './idempotency-repository';

export type { IdempotencyClaim } from './idempotency-repository';
import { snapshotOf, type BudgetSnapshot } from './limits';
import { closePending, PendingLifecycle, spendRequests } from '../approvals/pending-lifecycle';
import type { SpendRecord } from './spend-repository';

export type CreateResult =
  | { kind: 'created' | 'replayed'; record: SpendRecord; budget: BudgetSnapshot }
  | { kind: 'refused'; refusal: Refusal; budget: BudgetSnapshot };

const keyActor = (auth: KeyAuth): Actor => `key:${auth.keyId}`;

/** A spend request as the core takes it: micro-dollars, no transport's field names. */
export interface SpendCommand {
  amount: Micros;
  merchant: string;
  reason: string;
  category: string | null;
  metadata: Record<string, unknown> | null;
}

/** What is decided: a spend request's fields, already in micros. */
export interface SpendInput {
  amount: Micros;
  merchant: string;
  reason: string;
  category: string | null;
  metadata: Record<string, unknown> | null;
  now: number;
  rail?: Rail;
  /** Extra fields for the ledger entry (an x402 payment's network, asset and payee). */
  ledgerData?: Record<string, unknown>;
  /** Stores the idempotency key with the new request's id, in the same write. */
  remember?: (id: string) => void;
  /** A payout's recipient: judged instead of the merchant (docs/payouts.md). */
  payee?: Payee;
}

/** What SpendService uses of the wallet: no more (wallet.ts wires it). */
export type SpendServiceDeps = Pick<
  WalletDeps,
  | WriterDeps
  | 'budgetAlerts'
  | 'funding'
  | 'idempotency'
  | 'limits'
  | 'merchants'
  | 'meters'
  | 'policies'
  | 'rateLimiter'
  | 'settings'
  | 'spends'
  | 'waiters'
>;

/**
 * Steps 3–15 of docs/decision-order.md in one write job: idempotency, rate
 * limit, the policy decision, and every write that follows from it (request row, usage,
 * funding balance, ledger entry, idempotency record) commit together or not at all.
 */
export class SpendService {
  private readonly requests: PendingLifecycle<SpendRecord>;

  constructor(
    private readonly d: SpendServiceDeps,
    private readonly budgets: BudgetService,
  ) {
    this.requests = new PendingLifecycle(d, spendRequests(d.spends));
  }

  create(
    auth: KeyAuth,
    command: SpendCommand,
    idempotency?: IdempotencyClaim,
  ): Promise<CreateResult> {
    return this.d.committer.run((tx) => this.createNow(tx, auth, command, idempotency));
  }

  private createNow(
    tx: TxContext,
    auth: KeyAuth,
    command: SpendCommand,
    idempotency: IdempotencyClaim | undefined,
  ): CreateResult {
    const { d } = this;
    const now = d.clock.now();
    const agent = agentOf(this.d.agents, auth);
    const policy = d.policies.current(agent);

    // Step 3.
    const idemKey = idempotency?.key;
    let bodyHash: Buffer | undefined;
    if (idempotency !== undefined) {
      const hit = d.idempotency.lookup(agent.id, idempotency.key, 'spend', idempotency.request);
      if (hit.objectId !== undefined) {
        const record = d.spends.get(hit.objectId);
        if (!record) throw new Error(`idempotency key points at missing ${hit.objectId}`);
        return { kind: 'replayed', record, budget: d.limits.budget(agent, policy, now, true) };
      }
      bodyHash = hit.bodyHash;
    }

    // Step 4.
    enforceRateLimit(d, auth, now);

    return this.decideAndRecord(tx, auth, agent, policy, {
      ...command,
      now,
      remember:
        idemKey !== undefined && bodyHash
          ? (id) => d.idempotency.remember(agent.id, idemKey, 'spend', bodyHash, id, now)
          : undefined,
    });
  }

  /**
   * Steps 5–15: the decision and every write that follows from it, inside the caller's
   * write job. The x402 route comes through here too (electron/core/rails/x402/x402-service.ts),
   * so a payment is judged exactly as a spend request is.
   */
  decideAndRecord(
    tx: TxContext,
    auth: KeyAuth,
    agent: Agent,
    policy: Policy,
    input: SpendInput,
  ): CreateResult {
    const { d } = this;
    const { amount, merchant, now } = input;
    const { decision, budget: before } = this.decideFor(
      agent,
      policy,
      amount,
      merchant,
      input.category,
      now,
      input.payee,
    );

    if (decision.outcome === 'refused') {
      d.ledger.append(
        {
          type: 'spend.refused',
          actor: keyActor(auth),
          mode: agent.mode,
          agentId: agent.id,
          amount,
          status: decision.code,
          merchant,
          data: {
            reason: input.reason,
            decision_reason: decision.reason,
            rule: decision.rule,
            details: decision.details,
            policy_version: policy.version,
            ...input.ledgerData,
          },
        },
        now,
      );
      return { kind: 'refused', refusal: decision, budget: before };
    }

    const approved = decision.outcome === 'approved';
    const id = newId('spendRequest');
    const usageId = approved ? countUsage(d, agent, id, amount, merchant, now) : null;
    if (approved && decision.budgetRequestId)
      this.budgets.draw(tx, decision.budgetRequestId, amount, now);
    const record: SpendRecord = {
      id,
      agentId: agent.id,
      keyId: auth.keyId,
      status: decision.outcome,
      decisionReason: decision.reason,
      decisionRule: decision.rule,
      amount,
      merchantName: merchant,
      reason: input.reason,
      category: input.category,
      metadata: input.metadata,
      policyVersion: policy.version,
      budgetRequestId: decision.budgetRequestId ?? null,
      usageId,
      createdAt: now,
      decidedAt: decision.outcome === 'needs_approval' ? null : now,
      expiresAt:
        decision.outcome === 'needs_approval'
          ? now + d.settings.get().pendingExpiryHours * HOUR_MS
          : null,
      ownerComment: null,
    };
    d.spends.insert(record);
    input.remember?.(id);
    d.ledger.append(
      {
        type: `spend.${decision.outcome}`,
        actor: keyActor(auth),
        mode: agent.mode,
        agentId: agent.id,
        objectId: id,
        amount,
        counted: approved ? amount : 0n,
        status: decision.outcome,
        merchant,
        rail: input.rail ?? null,
        data: {
          reason: input.reason,
          category: input.category,
          decision_reason: decision.reason,
          rule: decision.rule,
          policy_version: policy.version,
          budget_request_id: record.budgetRequestId,
          usage_id: usageId,
          ...input.ledgerData,
        },
      },
      now,
    );
    tx.afterCommit(() => d.events.emit('spend', record));
    const spentAfter = approved ? before.spent + amount : before.spent;
    const after = snapshotOf(policy, spentAfter, before.window);
    if (approved) raiseBudgetAlerts(d, tx, agent, policy, after, amount, id, now);
    return { kind: 'created', record, budget: after };
  }

  /** Runs the pure decision over the sums as they stand now (inside a write job). */
  decideFor(
    agent: Agent,
    policy: Policy,
    amount: Micros,
    merchant: string,
    category: string | null,
    now: number,
    payee?: Payee,
  ): { decision: Decision; budget: BudgetSnapshot } {
    const { d } = this;
    const source = d.funding.get(agent.fundingSourceId);
    if (!source)
      throw new Error(`agent ${agent.id} has no funding source ${agent.fundingSourceId}`);
    const budget = d.limits.budget(agent, policy, now, true);
    const decision = decide({
      amount,
      merchant,
      category,
      agentStatus: agent.status,
      frozen: d.settings.get().frozen,
      policy,
      budgetSpent: budget.spent,
      velocityCount: policy.velocityPerHour === null ? 0 : d.limits.velocity(agent, now, true),
      fundingBalance: source.balance,
      fundingLimit: d.limits.fundingLimit(source, now, true),
      globalCap: d.limits.globalCap(agent.mode, now, true),
      budgetRequest: this.budgets.activeGrant(agent.id, now),
      merchantIsNew:
        policy.askOnNewMerchant && !payee ? d.merchants.isNew(agent.id, merchant) : false,
      pendingCount: () => d.spends.pendingOf(agent.id),
      ...(payee ? { payee } : {}),
    });
    return { decision, budget };
  }

  /** A spend request by id, for the server's own use (another service's record points at it). */
  record(id: string): SpendRecord {
    const record = this.d.spends.get(id);
    if (!record) throw new Error(`no spend request ${id}`);
    return record;
  }

  /** Reads one of the calling agent's requests; another agent's ids are not found. */
  get(auth: KeyAuth, id: string): Promise<SpendRecord> {
    return this.requests.fresh(auth, id);
  }

  /** Waits up to `seconds` for a pending request to be resolved, then reads it. */
  waitFor(auth: KeyAuth, id: string, seconds: number, signal?: AbortSignal): Promise<SpendRecord> {
    return this.requests.waitFor(auth, id, seconds, signal);
  }

  cancel(auth: KeyAuth, id: string): Promise<SpendRecord> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const record = this.requests.own(auth, id);
      const cancelled =
        record.status === 'needs_approval'
          ? closePending(
              d,
              tx,
              record,
              {
                status: 'cancelled',
                reason: 'Withdrawn by the agent',
                rule: 'cancelled',
                actor: keyActor(auth),
              },
              now,
            )
          : undefined;
      if (!cancelled) {
        throw invalidTransition(
          `Only a pending request can be cancelled; ${id} is ${record.status}.`,
          { id, status: record.status },
        );
      }
      return cancelled;
    });
  }

  /**
   * Expires pending requests whose time is up. Runs at the start of every write
   * transaction (so no decision ever sees a stale pending request) and from the sweeper.
   */
  expireDue(tx: TxContext, now: number): number {
    let n = 0;
    for (const record of this.d.spends.due(now)) {
      const expired = closePending(
        this.d,
        tx,
        record,
        {
          status: 'expired',
          reason: 'No decision by the owner before the request expired',
          rule: 'expired',
          actor: 'system',
        },
        now,
      );
      if (expired) n += 1;
    }
    return n;
  }

  /** Rate-limits a read route (step 4 for routes without idempotency). */
  checkRate(auth: KeyAuth): void {
    enforceRateLimit(this.d, auth, this.d.clock.now());
  }
}
