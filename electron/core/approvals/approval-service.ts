import { formatUsd, type Micros } from '../../../shared/money';
import type { Agent } from '../agents/agents';
import { invalidTransition, notFound, PurserError } from '../errors';
import { checkHardLimits, type Refusal } from '../policy/decide';
import type { BudgetSnapshot } from '../spend/limits';
import type { SpendRecord } from '../spend/spend-repository';
import { countUsage } from '../spend/usage';
import type { WalletDeps } from '../wallet-deps';
import type { ReceiptRecord } from '../receipts/receipt-repository';
import type { TxContext } from '../db/committer';
import type { BudgetRequestStatus, SpendStatus } from '../../../shared/domain';
import type { BudgetRequestRecord } from '../budgets/budget-repository';

/** How many requests the owner's lists show at most. */
const OWNER_LIST_LIMIT = 500;

/** What approving a pending request would do, shown to the owner before they decide. */
export interface ApprovalImpact {
  budget: BudgetSnapshot;
  /** Spent in the period if this is approved. */
  spentAfter: Micros;
  exceedsBudget: boolean;
  overBy: Micros;
  /** A hard limit (funding limit, global cap, balance) that would refuse it outright. */
  refusal: Refusal | null;
}

export type ApproveResult =
  | { kind: 'approved'; record: SpendRecord; impact: ApprovalImpact }
  | { kind: 'refused'; refusal: Refusal };

/** What ApprovalService uses of the wallet: no more (wallet.ts wires it). */
export type ApprovalServiceDeps = Pick<
  WalletDeps,
  | 'agents'
  | 'budgets'
  | 'clock'
  | 'committer'
  | 'events'
  | 'funding'
  | 'ledger'
  | 'limits'
  | 'merchants'
  | 'meters'
  | 'policies'
  | 'reads'
  | 'receipts'
  | 'settings'
  | 'spends'
>;

/**
 * The owner's decisions on pending spend requests. A pending request holds no budget, so
 * approving one re-checks the hard limits (steps 9–11) and re-evaluates the budget: going
 * over it takes an explicit override, which the ledger records.
 */
export class ApprovalService {
  constructor(private readonly d: ApprovalServiceDeps) {}

  /** Spend requests for the owner, newest first (`status` all when undefined). */
  spends(status: SpendStatus | undefined, limit = OWNER_LIST_LIMIT): SpendRecord[] {
    return this.d.reads.run(() => this.d.spends.list(status, limit));
  }

  /** One spend request, whoever's it is: the owner sees every agent's. */
  spend(id: string): SpendRecord {
    const record = this.d.spends.get(id);
    if (!record) throw notFound('spend request', id);
    return record;
  }

  /** Budget requests for the owner, newest first (`status` all when undefined). */
  budgetRequests(
    status: BudgetRequestStatus | undefined,
    limit = OWNER_LIST_LIMIT,
  ): BudgetRequestRecord[] {
    return this.d.reads.run(() => this.d.budgets.list(status, limit));
  }

  impact(record: SpendRecord, persist = false): ApprovalImpact {
    const { d } = this;
    const now = d.clock.now();
    const agent = this.agent(record);
    const budget = d.limits.budget(agent, d.policies.current(agent), now, persist);
    const source = d.funding.get(agent.fundingSourceId);
    if (!source) throw new Error(`agent ${agent.id} has no funding source`);
    const refusal = checkHardLimits({
      amount: record.amount,
      fundingLimit: d.limits.fundingLimit(source, now, persist),
      globalCap: d.limits.globalCap(agent.mode, now, persist),
      fundingBalance: source.balance,
    });
    const spentAfter = budget.spent + record.amount;
    const overBy = spentAfter - budget.budget;
    return {
      budget,
      spentAfter,
      exceedsBudget: overBy > 0n,
      overBy: overBy > 0n ? overBy : 0n,
      refusal,
    };
  }

  approve(
    id: string,
    options: { comment?: string | null; overrideBudget?: boolean },
  ): Promise<ApproveResult> {
    return this.d.committer.run((tx): ApproveResult => {
      const { d } = this;
      const now = d.clock.now();
      const record = this.pending(id);
      const agent = this.agent(record);
      this.requireStanding(agent);
      // The agent already paid and reported it with a receipt naming this request: that
      // receipt counted the money in full. Approving acknowledges it and counts nothing
      // again; limits cannot refuse money that is already gone (docs/decision-order.md).
      const paid = d.receipts.settling(id);
      if (paid) return this.acknowledgePaid(tx, record, agent, paid, options.comment ?? null, now);
      const impact = this.impact(record, true);
      if (impact.refusal) {
        // Nothing is approved, but the attempt is on the ledger like any refused spend.
        d.ledger.append(
          {
            type: 'spend.refused',
            actor: 'owner',
            mode: agent.mode,
            agentId: agent.id,
            objectId: id,
            amount: record.amount,
            status: impact.refusal.code,
            merchant: record.merchantName,
            data: {
              at: 'approval',
              reason: impact.refusal.reason,
              details: impact.refusal.details,
            },
          },
          now,
        );
        return { kind: 'refused', refusal: impact.refusal };
      }
      const override = impact.exceedsBudget;
      if (override && !options.overrideBudget) {
        throw invalidTransition(
          `Approving ${id} would exceed ${agent.name}'s ${impact.budget.period} budget by ${formatUsd(impact.overBy)}; approve with an override to go ahead.`,
          {
            override_required: true,
            over_by_micros: impact.overBy.toString(),
            budget_micros: impact.budget.budget.toString(),
            spent_micros: impact.budget.spent.toString(),
          },
        );
      }
      const usageId = countUsage(d, agent, id, record.amount, record.merchantName, now);
      const comment = options.comment ?? null;
      const change = {
        status: 'approved' as const,
        decisionReason: `Approved by the owner${override ? `, over the budget by ${formatUsd(impact.overBy)}` : ''}${comment ? `: ${comment}` : ''}`,
        decisionRule: override ? 'owner_override' : 'owner_approved',
        decidedAt: now,
        usageId,
        ownerComment: comment,
      };
      d.spends.resolve(id, change);
      d.ledger.append(
        {
          type: 'spend.approved',
          actor: 'owner',
          mode: agent.mode,
          agentId: agent.id,
          objectId: id,
          amount: record.amount,
          counted: record.amount,
          status: 'approved',
          merchant: record.merchantName,
          data: {
            comment,
            override,
            over_by_micros: impact.overBy.toString(),
            usage_id: usageId,
            policy_version: d.policies.current(agent).version,
          },
        },
        now,
      );
      const updated = { ...record, ...change };
      tx.afterCommit(() => d.events.emit('spend', updated));
      return { kind: 'approved', record: updated, impact };
    });
  }

  /** Approval of a request a receipt already paid for: recorded, counted nothing more. */
  private acknowledgePaid(
    tx: TxContext,
    record: SpendRecord,
    agent: Agent,
    paid: ReceiptRecord,
    comment: string | null,
    now: number,
  ): ApproveResult {
    const { d } = this;
    const change = {
      status: 'approved' as const,
      decisionReason: `Approved by the owner after the agent had paid (receipt ${paid.id})${comment ? `: ${comment}` : ''}`,
      decisionRule: 'owner_approved_paid',
      decidedAt: now,
      usageId: paid.usageId,
      ownerComment: comment,
    };
    d.spends.resolve(record.id, change);
    d.ledger.append(
      {
        type: 'spend.approved',
        actor: 'owner',
        mode: agent.mode,
        agentId: agent.id,
        objectId: record.id,
        amount: record.amount,
        counted: 0n,
        status: 'approved',
        merchant: record.merchantName,
        data: { comment, receipt_id: paid.id, usage_id: paid.usageId, already_paid: true },
      },
      now,
    );
    const updated = { ...record, ...change };
    tx.afterCommit(() => d.events.emit('spend', updated));
    // What approving does now: nothing more is counted, so the impact is of zero.
    return { kind: 'approved', record: updated, impact: this.impact({ ...updated, amount: 0n }) };
  }

  decline(id: string, comment: string | null): Promise<SpendRecord> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      const now = d.clock.now();
      const record = this.pending(id);
      const agent = this.agent(record);
      const change = {
        status: 'declined' as const,
        decisionReason: `Declined by the owner${comment ? `: ${comment}` : ''}`,
        decisionRule: 'owner_declined',
        decidedAt: now,
        usageId: null,
        ownerComment: comment,
      };
      d.spends.resolve(id, change);
      d.ledger.append(
        {
          type: 'spend.declined',
          actor: 'owner',
          mode: agent.mode,
          agentId: agent.id,
          objectId: id,
          amount: record.amount,
          status: 'declined',
          merchant: record.merchantName,
          data: { comment },
        },
        now,
      );
      const updated = { ...record, ...change };
      tx.afterCommit(() => d.events.emit('spend', updated));
      return updated;
    });
  }

  /** A request resolves at most once: anything but a pending one is a 409. */
  private pending(id: string): SpendRecord {
    const record = this.d.spends.get(id);
    if (!record) throw notFound('spend request', id);
    if (record.status !== 'needs_approval') {
      throw invalidTransition(
        `Spend request ${id} is already ${record.status}; it can no longer be approved or declined.`,
        { id, status: record.status },
      );
    }
    return record;
  }

  /** The freeze and a paused or revoked agent stop owner approvals too: resume first. */
  private requireStanding(agent: Agent): void {
    if (this.d.settings.get().frozen)
      throw invalidTransition('All spending is frozen; unfreeze before approving.');
    if (agent.status !== 'active')
      throw invalidTransition(
        `${agent.name} is ${agent.status}; resume it before approving its requests.`,
      );
  }

  private agent(record: SpendRecord): Agent {
    const agent = this.d.agents.get(record.agentId);
    if (!agent) throw new PurserError('internal_error', 'spend request without an agent');
    return agent;
  }
}
