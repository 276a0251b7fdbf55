import { formatUsd, type Micros } from '../../../shared/money';
import type { Rail } from '../../../shared/domain';
import type { IdempotencyClaim } from '../spend/idempotency-repository';
import type { Agent } from '../agents/agent-repository';
import { agentOf } from '../agents/agent-of';
import { pauseBySystem } from '../agents/system-pause';
import type { BudgetService } from '../budgets/budget-service';
import type { TxContext } from '../db/committer';
import { invalidTransition, notFound } from '../errors';
import { newId } from '../ids';
import type { KeyAuth } from '../keys/key-repository';
import { enforceRateLimit } from '../keys/rate-limit-policy';
import { countUsage } from '../spend/usage';
import { raiseBudgetAlerts } from '../budgets/budget-alerts';
import { headroomOf } from './headroom';
import type { BudgetSnapshot } from '../spend/limits';
import type { SpendRecord } from '../spend/spend-repository';
import type { WalletDeps, WriterDeps } from '../wallet-deps';
import type { OverLimit, ReceiptFlag, ReceiptRecord, ReceiptReview } from './receipt-repository';
import { ReceiptQuery, type ReceiptFilter } from './receipt-query';
import { paidThroughPurser } from '../rails/paid-through-purser';

/** A payment an agent reports, as the core takes it. */
export interface ReceiptCommand {
  amount: Micros;
  merchant: string;
  host: string | null;
  rail: Rail;
  spendRequestId: string | null;
  txHash: string | null;
  network: string | null;
  /** When the agent says it was paid (ISO 8601, as reported): kept as information only. */
  occurredAt: string | null;
  metadata: Record<string, unknown> | null;
}

export interface ReceiptResult {
  receipt: ReceiptRecord;
  budget: BudgetSnapshot;
}

/** What a receipt counts: against the agent's own limits, and against the shared ones. */
interface Counting {
  counted: Micros;
  shared: Micros;
  usageId: number | null;
  grantId: string | null;
  flags: ReceiptFlag[];
  settles: boolean;
  review: Pick<ReceiptReview, 'kind' | 'micros'> | null;
}

/** What ReceiptService uses of the wallet: no more (wallet.ts wires it). */
export type ReceiptServiceDeps = Pick<
  WalletDeps,
  | WriterDeps
  | 'budgetAlerts'
  | 'budgets'
  | 'db'
  | 'funding'
  | 'idempotency'
  | 'limits'
  | 'merchants'
  | 'meters'
  | 'policies'
  | 'rateLimiter'
  | 'reads'
  | 'receipts'
  | 'settings'
  | 'spends'
  | 'payouts'
  | 'x402Payments'
>;

/**
 * Receipts (docs/decision-order.md): money already gone by another rail. It is always recorded
 * and always counted, whatever the limits say; if it puts the agent over one, the answer
 * says so, the owner is alerted, and the agent is paused when its policy asks for that.
 */
export class ReceiptService {
  private readonly query: ReceiptQuery;

  constructor(
    private readonly d: ReceiptServiceDeps,
    private readonly budgets: BudgetService,
  ) {
    this.query = new ReceiptQuery(d.db);
  }

  /** The owner's listing: matching receipts, newest first, in one snapshot. */
  page(filter: ReceiptFilter, limit: number): ReceiptRecord[] {
    return this.d.reads.run(() =>
      this.query.page(filter, limit).flatMap((id) => {
        const record = this.d.receipts.get(id);
        return record ? [record] : [];
      }),
    );
  }

  record(
    auth: KeyAuth,
    command: ReceiptCommand,
    idempotency?: IdempotencyClaim,
  ): Promise<{ replayed: boolean; result: ReceiptResult }> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      return d.idempotency.once(
        { agentId: auth.agentId, claim: idempotency, route: 'receipt', now },
        (id) => this.replay(id),
        () => {
          enforceRateLimit(d, auth, now);
          const receipt = this.recordNow(tx, auth, command, now);
          return { objectId: receipt.receipt.id, result: receipt };
        },
      );
    });
  }

  private recordNow(
    tx: TxContext,
    auth: KeyAuth,
    command: ReceiptCommand,
    now: number,
  ): ReceiptResult {
    const { d } = this;
    const agent = agentOf(this.d.agents, auth);
    const { amount, merchant } = command;
    const id = newId('receipt');

    const named =
      command.spendRequestId === null ? undefined : this.named(agent, command.spendRequestId);
    const counting =
      named?.status === 'approved' && named.usageId !== null
        ? this.settle(tx, agent, id, named, amount, merchant, now)
        : this.claim(
            tx,
            agent,
            id,
            amount,
            merchant,
            now,
            named ? [`request_${named.status}` as ReceiptFlag] : [],
          );

    const policy = d.policies.current(agent);
    const budget = d.limits.budget(agent, policy, now, true);
    const overLimits = this.overLimits(agent, budget, counting.grantId, now);
    const receipt: ReceiptRecord = {
      id,
      agentId: agent.id,
      keyId: auth.keyId,
      amount,
      merchant,
      host: command.host,
      rail: command.rail,
      spendRequestId: command.spendRequestId,
      settles: counting.settles,
      budgetRequestId: counting.grantId,
      txHash: command.txHash,
      network: command.network,
      occurredAt: command.occurredAt === null ? null : Date.parse(command.occurredAt),
      counted: counting.counted,
      usageId: counting.usageId,
      overLimits,
      flags: counting.flags,
      metadata: command.metadata,
      createdAt: now,
      review: counting.review && {
        ...counting.review,
        status: 'open',
        reviewedAt: null,
        comment: null,
      },
    };
    d.receipts.insert(receipt);
    d.ledger.append(
      {
        type: 'receipt.recorded',
        actor: `key:${auth.keyId}`,
        mode: agent.mode,
        agentId: agent.id,
        objectId: id,
        amount,
        counted: counting.counted,
        status: overLimits.length > 0 ? 'over_budget' : 'recorded',
        merchant,
        rail: command.rail,
        data: {
          usage_id: counting.usageId,
          spend_request_id: receipt.spendRequestId,
          settles: receipt.settles,
          budget_request_id: receipt.budgetRequestId,
          flags: receipt.flags,
          over_limits: overLimits,
          // What this receipt counts against the limits other agents share; the rest of
          // `counted` waits for the owner (docs/money-integrity.md).
          shared_micros: counting.shared.toString(),
          review: counting.review && {
            kind: counting.review.kind,
            micros: counting.review.micros.toString(),
          },
          tx_hash: receipt.txHash,
          network: receipt.network,
          occurred_at: command.occurredAt,
        },
      },
      now,
    );
    tx.afterCommit(() => d.events.emit('receipt', receipt));
    raiseBudgetAlerts(d, tx, agent, policy, budget, counting.counted, id, now);
    if (overLimits.length > 0) this.overBudget(tx, agent, receipt, now);
    else if (receipt.flags.length > 0 && counting.review?.kind !== 'shared_excess') {
      tx.afterCommit(() =>
        d.events.emit('alert', {
          kind: 'receipt_flagged',
          agentId: agent.id,
          objectId: id,
          message: `Receipt ${id} was flagged: ${receipt.flags.join(', ')}`,
        }),
      );
    }
    // After the over-budget pause (if the policy asks for one), so the agent is paused once.
    if (counting.review?.kind === 'shared_excess')
      this.held(tx, d.agents.get(agent.id) ?? agent, receipt, now);
    return { receipt, budget };
  }

  /**
   * The request a receipt names: one of this agent's, that a receipt may still name. A
   * request Purser pays itself (x402) is settled by the chain, never by a receipt; an
   * approved one is settled at most once.
   */
  private named(agent: Agent, spendRequestId: string): SpendRecord {
    const { d } = this;
    const request = d.spends.get(spendRequestId);
    if (!request || request.agentId !== agent.id) throw notFound('spend request', spendRequestId);
    const rail = paidThroughPurser(d, spendRequestId);
    if (rail) {
      throw invalidTransition(
        `Spend request ${spendRequestId} is paid through Purser (${rail}): the chain settles it, not a receipt.`,
        { id: spendRequestId, reason: 'paid_through_purser' },
      );
    }
    const earlier = request.status === 'approved' ? d.receipts.settling(spendRequestId) : undefined;
    if (earlier) {
      throw invalidTransition(
        `Spend request ${spendRequestId} was already settled by receipt ${earlier.id}.`,
        { receipt_id: earlier.id },
      );
    }
    return request;
  }

  /**
   * Settles an approved request: the receipt says what it cost. More than approved counts the
   * excess now, in this window, like any reported payment. Less releases nothing on the
   * agent's word: the difference waits for the owner, who alone can settle for less.
   */
  private settle(
    tx: TxContext,
    agent: Agent,
    id: string,
    request: SpendRecord,
    amount: Micros,
    merchant: string,
    now: number,
  ): Counting {
    const delta = amount - request.amount;
    if (delta > 0n) {
      return {
        ...this.claim(tx, agent, id, delta, merchant, now, ['exceeds_request']),
        settles: true,
      };
    }
    return {
      counted: 0n,
      shared: 0n,
      usageId: request.usageId,
      grantId: request.budgetRequestId,
      flags: delta < 0n ? ['less_than_request'] : [],
      settles: true,
      review: delta < 0n ? { kind: 'settled_for_less', micros: -delta } : null,
    };
  }

  /**
   * Money the agent says it paid that no approved request accounted for: it counts in full
   * against the agent's own limits (and its open grant), and against the limits other agents
   * share up to the agent's own headroom. The rest waits for the owner's review.
   */
  private claim(
    tx: TxContext,
    agent: Agent,
    id: string,
    amount: Micros,
    merchant: string,
    now: number,
    flags: ReceiptFlag[],
  ): Counting {
    const { d } = this;
    const headroom = headroomOf(d, this.budgets, agent, now);
    const shared = amount < headroom ? amount : headroom;
    const held = amount - shared;
    const usageId = countUsage(d, agent, id, amount, merchant, now, shared);
    const grant = this.budgets.activeGrant(agent.id, now);
    if (grant) this.budgets.draw(tx, grant.id, amount, now);
    return {
      counted: amount,
      shared,
      usageId,
      grantId: grant?.id ?? null,
      flags: held > 0n ? [...flags, 'held_for_review'] : flags,
      settles: false,
      review: held > 0n ? { kind: 'shared_excess', micros: held } : null,
    };
  }

  /** A receipt whose claim on shared limits waits for the owner: the agent waits too. */
  private held(tx: TxContext, agent: Agent, receipt: ReceiptRecord, now: number): void {
    const { d } = this;
    const held = receipt.review?.micros ?? 0n;
    tx.afterCommit(() =>
      d.events.emit('alert', {
        kind: 'receipt_held',
        agentId: agent.id,
        objectId: receipt.id,
        message: `${agent.name} reported ${formatUsd(receipt.amount)}; ${formatUsd(held)} of it is more than it could spend on its own and waits for your review`,
      }),
    );
    pauseBySystem(
      d,
      tx,
      agent,
      'receipt_review',
      'a receipt claims more than it could spend on its own; review it',
      { receipt_id: receipt.id },
      now,
    );
  }

  /** Every limit the agent is over once this receipt counts. */
  private overLimits(
    agent: Agent,
    budget: BudgetSnapshot,
    grantId: string | null,
    now: number,
  ): OverLimit[] {
    const { d } = this;
    const over: OverLimit[] = [];
    if (budget.overBudget) over.push('budget');
    const source = d.funding.get(agent.fundingSourceId);
    if (source) {
      const limit = d.limits.fundingLimit(source, now, true);
      if (limit && limit.spent > limit.amount) over.push('funding_limit');
      if (source.balance < 0n) over.push('funding_balance');
    }
    const cap = d.limits.globalCap(agent.mode, now, true);
    if (cap && cap.spent > cap.amount) over.push('global_cap');
    const grant = grantId ? d.budgets.get(grantId) : undefined;
    if (grant?.approved != null && grant.spent > grant.approved) over.push('budget_request');
    return over;
  }

  private overBudget(tx: TxContext, agent: Agent, receipt: ReceiptRecord, now: number): void {
    const { d } = this;
    const message = `Receipt ${receipt.id} put ${agent.name} over: ${receipt.overLimits.join(', ')}`;
    tx.afterCommit(() =>
      d.events.emit('alert', {
        kind: 'over_budget',
        agentId: agent.id,
        objectId: receipt.id,
        message,
      }),
    );
    if (!d.policies.current(agent).pauseOnOverBudget) return;
    pauseBySystem(d, tx, agent, 'over_budget', 'over budget', { receipt_id: receipt.id }, now);
  }

  private replay(id: string): ReceiptResult {
    const { d } = this;
    const receipt = d.receipts.get(id);
    if (!receipt) throw new Error(`idempotency key points at missing ${id}`);
    const agent = d.agents.get(receipt.agentId) as Agent;
    return {
      receipt,
      budget: d.limits.budget(agent, d.policies.current(agent), d.clock.now(), true),
    };
  }
}
