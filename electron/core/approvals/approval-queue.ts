import type { AgentStatus } from '../../../shared/domain';
import type { BudgetRequestRecord } from '../budgets/budget-repository';
import { notFound } from '../errors';
import type { ReceiptRecord } from '../receipts/receipt-repository';
import type { SpendRecord } from '../spend/spend-repository';
import type { WalletDeps } from '../wallet-deps';

/** One agent's share of what waits for the owner. */
export interface ApprovalGroup {
  agentId: string;
  agentName: string;
  agentStatus: AgentStatus | null;
  /** Every pending spend request of the agent, not only this page. */
  pendingCount: number;
  oldestPendingAt: number | null;
  /** The newest pending requests (a page), newest first. */
  spends: SpendRecord[];
  /** The id to pass as `before` for the next page; null on the last. */
  nextBefore: string | null;
  budgetRequest: BudgetRequestRecord | null;
  reviewCount: number;
  /** The newest open receipt reviews (a page). */
  reviews: ReceiptRecord[];
}

export interface ApprovalQueueView {
  groups: ApprovalGroup[];
  counts: { spendRequests: number; budgetRequests: number; receiptReviews: number };
}

/** Pending budget requests are at most one per agent; this bounds the read all the same. */
const BUDGET_REQUESTS_READ = 10_000;

/**
 * What waits for the owner, grouped by agent (docs/money-integrity.md, rule 5): every agent
 * with something waiting gets its own group, with its counts and its newest page, so that
 * one agent's flood of requests can never push another's out of sight. A group pages on
 * with `before`. Read in one snapshot.
 */
export function approvalQueue(
  d: Pick<WalletDeps, 'agents' | 'budgets' | 'reads' | 'receipts' | 'spends'>,
  options: { agentId?: string; before?: string; limit: number },
): ApprovalQueueView {
  return d.reads.run(() => {
    const pending = new Map(d.spends.pendingByAgent().map((g) => [g.agentId, g]));
    const reviews = d.receipts.openReviewCountByAgent();
    const budgets = new Map(
      d.budgets.list('pending', BUDGET_REQUESTS_READ).map((b) => [b.agentId, b]),
    );
    const counts = {
      spendRequests: [...pending.values()].reduce((n, g) => n + g.count, 0),
      budgetRequests: budgets.size,
      receiptReviews: [...reviews.values()].reduce((n, c) => n + c, 0),
    };
    let agentIds = [...new Set([...pending.keys(), ...reviews.keys(), ...budgets.keys()])];
    if (options.agentId !== undefined) {
      if (!d.agents.get(options.agentId)) throw notFound('agent', options.agentId);
      agentIds = [options.agentId];
    }
    let cursor: SpendRecord | undefined;
    if (options.before !== undefined) {
      cursor = d.spends.get(options.before);
      if (!cursor || cursor.agentId !== options.agentId)
        throw notFound('spend request of this agent', options.before);
    }
    const groups = agentIds.map((agentId): ApprovalGroup => {
      const agent = d.agents.get(agentId);
      const page = d.spends.pendingPage(agentId, cursor, options.limit + 1);
      const more = page.length > options.limit;
      const spends = more ? page.slice(0, options.limit) : page;
      return {
        agentId,
        agentName: agent?.name ?? agentId,
        agentStatus: agent?.status ?? null,
        pendingCount: pending.get(agentId)?.count ?? 0,
        oldestPendingAt: pending.get(agentId)?.oldest ?? null,
        spends,
        nextBefore: more ? (spends.at(-1)?.id ?? null) : null,
        budgetRequest: budgets.get(agentId) ?? null,
        reviewCount: reviews.get(agentId) ?? 0,
        reviews: d.receipts.openReviews(agentId, options.limit),
      };
    });
    // The agent whose latest request is newest comes first, as the owner would read a feed.
    const newest = (g: ApprovalGroup) =>
      Math.max(
        g.spends[0]?.createdAt ?? 0,
        g.budgetRequest?.createdAt ?? 0,
        g.reviews[0]?.createdAt ?? 0,
      );
    groups.sort((a, b) => newest(b) - newest(a) || a.agentId.localeCompare(b.agentId));
    return { groups, counts };
  });
}
