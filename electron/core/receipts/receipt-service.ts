import { centsToMicros, microsFromNumber, type Micros } from '../../../shared/money';
import type { ReceiptCreateBody } from '../../../shared/schemas/receipts';
import type { Agent } from '../agents/agents';
import { agentOf } from '../agents/agent-of';
import { pauseBySystem } from '../agents/system-pause';
import type { BudgetService } from '../budgets/budget-service';
import type { TxContext } from '../db/committer';
import { invalidTransition, notFound } from '../errors';
import { newId } from '../ids';
import type { KeyAuth } from '../keys/keys';
import { enforceRateLimit } from '../keys/rate-limit-policy';
import { adjustUsage, countUsage } from '../spend/usage';
import type { BudgetSnapshot } from '../spend/limits';
import type { SpendRecord } from '../spend/spend-repository';
import type { WalletDeps } from '../wallet-deps';
import type { OverLimit, ReceiptFlag, ReceiptRecord } from './receipt-repository';
import { ReceiptQuery, type ReceiptFilter } from './receipt-query';

export interface ReceiptResult {
  receipt: ReceiptRecord;
  budget: BudgetSnapshot;
}

/** What a receipt changes in the counters: a new usage row, or an adjustment of a settled request's. */
interface Counting {
  counted: Micros;
  usageId: number;
  grantId: string | null;
  flags: ReceiptFlag[];
}

/** What ReceiptService uses of the wallet: no more (wallet.ts wires it). */
export type ReceiptServiceDeps = Pick<
  WalletDeps,
  | 'agents'
  | 'budgets'
  | 'clock'
  | 'committer'
  | 'db'
  | 'events'
  | 'funding'
  | 'idempotency'
  | 'ledger'
  | 'limits'
  | 'merchants'
  | 'meters'
  | 'policies'
  | 'rateLimiter'
  | 'reads'
  | 'receipts'
  | 'spends'
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
    body: ReceiptCreateBody,
    idempotencyKey: string | undefined,
  ): Promise<{ replayed: boolean; result: ReceiptResult }> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const { idempotency_key: _key, ...request } = body;
      return d.idempotency.once(
        { agentId: auth.agentId, key: idempotencyKey, route: 'receipt', body: request, now },
        (id) => this.replay(id),
        () => {
          enforceRateLimit(d, auth, now);
          const receipt = this.recordNow(tx, auth, body, now);
          return { objectId: receipt.receipt.id, result: receipt };
        },
      );
    });
  }

  private recordNow(
    tx: TxContext,
    auth: KeyAuth,
    body: ReceiptCreateBody,
    now: number,
  ): ReceiptResult {
    const { d } = this;
    const agent = agentOf(this.d.agents, auth);
    const amount =
      body.amount_micros !== undefined
        ? microsFromNumber(body.amount_micros)
        : centsToMicros(body.amount_cents ?? 0);
    const merchant = body.merchant_name ?? body.host ?? '';
    const id = newId('receipt');

    const settled =
      body.spend_request_id === undefined
        ? undefined
        : this.settleable(agent, body.spend_request_id);
    const counting =
      settled?.status === 'approved' && settled.usageId !== null
        ? this.settle(tx, agent, settled, amount, now)
        : this.count(tx, agent, id, amount, merchant, now, settled);

    const policy = d.policies.current(agent);
    const budget = d.limits.budget(agent, policy, now, true);
    const overLimits = this.overLimits(agent, budget, counting.grantId, now);
    const receipt: ReceiptRecord = {
      id,
      agentId: agent.id,
      keyId: auth.keyId,
      amount,
      merchant,
      host: body.host ?? null,
      rail: body.rail,
      spendRequestId: body.spend_request_id ?? null,
      budgetRequestId: counting.grantId,
      txHash: body.tx_hash ?? null,
      network: body.network ?? null,
      occurredAt: body.occurred_at === undefined ? null : Date.parse(body.occurred_at),
      counted: counting.counted,
      usageId: counting.usageId,
      overLimits,
      flags: counting.flags,
      metadata: body.metadata ?? null,
      createdAt: now,
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
        rail: body.rail,
        data: {
          usage_id: counting.usageId,
          spend_request_id: receipt.spendRequestId,
          budget_request_id: receipt.budgetRequestId,
          flags: receipt.flags,
          over_limits: overLimits,
          tx_hash: receipt.txHash,
          network: receipt.network,
          occurred_at: body.occurred_at ?? null,
        },
      },
      now,
    );
    tx.afterCommit(() => d.events.emit('receipt', receipt));
    if (overLimits.length > 0) this.overBudget(tx, agent, receipt, now);
    else if (receipt.flags.length > 0) {
      tx.afterCommit(() =>
        d.events.emit('alert', {
          kind: 'receipt_flagged',
          agentId: agent.id,
          objectId: id,
          message: `Receipt ${id} was flagged: ${receipt.flags.join(', ')}`,
        }),
      );
    }
    return { receipt, budget };
  }

  /** A request this agent made, not yet settled by another receipt. */
  private settleable(agent: Agent, spendRequestId: string): SpendRecord {
    const request = this.d.spends.get(spendRequestId);
    if (!request || request.agentId !== agent.id) throw notFound('spend request', spendRequestId);
    const earlier = this.d.receipts.settling(spendRequestId);
    if (earlier) {
      throw invalidTransition(
        `Spend request ${spendRequestId} was already settled by receipt ${earlier.id}.`,
        { receipt_id: earlier.id },
      );
    }
    return request;
  }

  /**
   * Settles an approved request: its counted amount becomes the receipt's. Less releases
   * the difference (to the budget, the funding source and any grant); more is counted too,
   * and flagged.
   */
  private settle(
    tx: TxContext,
    agent: Agent,
    request: SpendRecord,
    amount: Micros,
    now: number,
  ): Counting {
    const { d } = this;
    const delta = amount - request.amount;
    const usageId = request.usageId as number;
    if (delta !== 0n) {
      adjustUsage(d, agent, usageId, delta);
      if (request.budgetRequestId) this.budgets.draw(tx, request.budgetRequestId, delta, now);
    }
    return {
      counted: delta,
      usageId,
      grantId: request.budgetRequestId,
      flags: delta > 0n ? ['exceeds_request'] : [],
    };
  }

  /** Money that no approved request accounted for: counted in full, against a grant if one is open. */
  private count(
    tx: TxContext,
    agent: Agent,
    id: string,
    amount: Micros,
    merchant: string,
    now: number,
    request: SpendRecord | undefined,
  ): Counting {
    const { d } = this;
    const usageId = countUsage(d, agent, id, amount, merchant, now);
    const grant = this.budgets.activeGrant(agent.id, now);
    if (grant) this.budgets.draw(tx, grant.id, amount, now);
    const flags: ReceiptFlag[] = request ? [`request_${request.status}` as ReceiptFlag] : [];
    return { counted: amount, usageId, grantId: grant?.id ?? null, flags };
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
