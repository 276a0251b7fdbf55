import { formatUsd, type Micros } from '../../../shared/money';
import type { Agent } from '../agents/agent-repository';
import { invalidTransition, notFound, PurserError } from '../errors';
import { checkHardLimits, type Refusal } from '../policy/decide';
import type { BudgetSnapshot } from '../spend/limits';
import type { SpendRecord } from '../spend/spend-repository';
import { countUsage } from '../spend/usage';
import { raiseBudgetAlerts } from '../budgets/budget-alerts';
import type { WalletDeps, WriterDeps } from '../wallet-deps';
import { closePending, PendingLifecycle, spendRequests } from './pending-lifecycle';
import { settleForLess } from '../spend/settlement';
import { approvalQueue, type ApprovalQueueView } from './approval-queue';
import type { BudgetService } from '../budgets/budget-service';
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
  | WriterDeps
  | 'budgetAlerts'
  | 'budgets'
  | 'funding'
  | 'limits'
  | 'merchants'
  | 'meters'
  | 'policies'
  | 'reads'
  | 'receipts'
  | 'settings'
  | 'spends'
  | 'waiters'
  | 'x402Payments'
  | 'payouts'
>;

/**
 * The owner's decisions on pending spend requests. A pending request holds no budget, so
 * approving one re-checks the hard limits (steps 9–11) and re-evaluates the budget: going
 * over it takes an explicit override, which the ledger records.
 */
export class ApprovalService {
  private readonly requests: PendingLifecycle<SpendRecord>;

  constructor(
    private readonly d: ApprovalServiceDeps,
    private readonly budgets: Pick<BudgetService, 'reject' | 'draw'>,
  ) {
    this.requests = new PendingLifecycle(d, spendRequests(d.spends));
  }

  /** What waits for the owner, grouped by agent and paged (approval-queue.ts). */
  queue(options: { agentId?: string; before?: string; limit: number }): ApprovalQueueView {
    return approvalQueue(this.d, options);
  }

  /**
   * Declines every pending spend request of one agent and rejects its pending budget request
   * (the owner's answer to a flood). Each decline is its own job, so they share group
   * commits and each is ledgered as a decline by the owner; one that another action ended
   * first is skipped.
   */
  async declineAll(
    agentId: string,
    comment: string | null,
  ): Promise<{ declined: SpendRecord[]; rejected: BudgetRequestRecord | null }> {
    const { d } = this;
    if (!d.agents.get(agentId)) throw notFound('agent', agentId);
    const declined: SpendRecord[] = [];
    // A page at a time, so that a flood of thousands never fills the committer's queue.
    for (let page = d.spends.pendingPage(agentId, undefined, 500); page.length > 0;) {
      const settled = await Promise.allSettled(page.map((r) => this.decline(r.id, comment)));
      for (const s of settled) {
        if (s.status === 'fulfilled') declined.push(s.value);
        // Ended by someone else meanwhile (a 409): skipped. Anything else is a bug.
        else if (!(s.reason instanceof PurserError)) throw s.reason;
      }
      page = d.spends.pendingPage(agentId, page.at(-1), 500);
    }
    const asked = d.budgets.active(agentId);
    const rejected =
      asked?.status === 'pending'
        ? await this.budgets.reject(asked.id, comment).catch(() => null)
        : null;
    return { declined, rejected };
  }

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
      raiseBudgetAlerts(
        d,
        tx,
        agent,
        d.policies.current(agent),
        { spent: impact.spentAfter, window: impact.budget.window },
        record.amount,
        id,
        now,
      );
      return { kind: 'approved', record: updated, impact };
    });
  }

  decline(id: string, comment: string | null): Promise<SpendRecord> {
    return this.d.committer.run((tx) => {
      const record = this.pending(id);
      const declined = closePending(
        this.d,
        tx,
        record,
        {
          status: 'declined',
          reason: `Declined by the owner${comment ? `: ${comment}` : ''}`,
          rule: 'owner_declined',
          actor: 'owner',
          comment,
          data: { comment },
        },
        this.d.clock.now(),
      );
      if (!declined) throw new Error(`pending request ${id} could not be declined`);
      return declined;
    });
  }

  /**
   * The owner settles an approved request for less (settlement.ts): a refund, or what the
   * agent's receipt said it cost. Answers the request and what was released.
   */
  settle(
    id: string,
    to: Micros,
    comment: string | null,
  ): Promise<{ record: SpendRecord; released: Micros }> {
    return this.d.committer.run((tx) => {
      const record = this.spend(id);
      const released = settleForLess(this.d, this.budgets, tx, record, to, this.d.clock.now(), {
        actor: 'owner',
        comment,
      });
      tx.afterCommit(() => this.d.events.emit('spend', record));
      return { record, released };
    });
  }

  /** A request resolves at most once: anything but a pending one is a 409. */
  private pending(id: string): SpendRecord {
    return this.requests.pending(id);
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
