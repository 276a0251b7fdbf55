/**
 * What waits for the owner, as the window holds it: the server's groups (one per agent,
 * each a page of its pending requests, its budget request and its receipts to review,
 * electron/core/approvals/approval-queue.ts) and a pure reducer of the owner's events over
 * them. Plain functions, tested as such; the store (approvals.ts) holds the actions.
 */
import type { OwnerAnswer } from '../../../shared/contract/owner';
import type { OwnerEvent } from '../../../shared/contract/events';

export type ApprovalsAnswer = OwnerAnswer<'listApprovals'>;
export type ApprovalGroup = ApprovalsAnswer['groups'][number];
export type PendingSpend = ApprovalGroup['spend_requests'][number];
export type ReceiptReview = ApprovalGroup['receipt_reviews'][number];

export interface Queue {
  groups: ApprovalGroup[];
  counts: ApprovalsAnswer['counts'];
}

export const emptyQueue: Queue = {
  groups: [],
  counts: { spend_requests: 0, budget_requests: 0, receipt_reviews: 0 },
};

/** Every pending spend request the window has, group by group (the keyboard's order). */
export const pendingSpends = (q: Queue): PendingSpend[] =>
  q.groups.flatMap((g) => g.spend_requests);

/** Everything that waits, as the navigation and the title count it. */
export const waitingCount = (q: Queue): number =>
  q.counts.spend_requests + q.counts.budget_requests + q.counts.receipt_reviews;

function newGroup(agentId: string, agentName: string): ApprovalGroup {
  return {
    agent_id: agentId,
    agent_name: agentName,
    agent_status: null,
    pending_count: 0,
    oldest_pending_at: null,
    spend_requests: [],
    next_before: null,
    budget_request: null,
    review_count: 0,
    receipt_reviews: [],
  };
}

const isEmpty = (g: ApprovalGroup) =>
  g.pending_count === 0 && g.budget_request === null && g.review_count === 0;

/** Applies `change` to the agent's group (made if missing), dropping it once nothing waits. */
function withGroup(
  q: Queue,
  agentId: string,
  agentName: string,
  change: (g: ApprovalGroup) => { group: ApprovalGroup; counts?: Partial<Queue['counts']> },
): Queue {
  const at = q.groups.findIndex((g) => g.agent_id === agentId);
  const before = at === -1 ? newGroup(agentId, agentName) : (q.groups[at] as ApprovalGroup);
  const { group, counts } = change(before);
  if (group === before && !counts) return q;
  const rest = q.groups.filter((_, i) => i !== at);
  const groups = isEmpty(group)
    ? rest
    : at === -1
      ? [group, ...rest] // something new waits: its agent goes first
      : q.groups.map((g, i) => (i === at ? group : g));
  return { groups, counts: { ...q.counts, ...counts } };
}

/**
 * The queue after one owner event. A request the window has not listed (past the loaded
 * page) that is resolved cannot be counted down here: `stale` says so, and the store reads
 * the queue again.
 */
export function applyEvent(q: Queue, event: OwnerEvent): { queue: Queue; stale: boolean } {
  switch (event.event) {
    case 'spend': {
      const r = event.data;
      const waits = r.status === 'needs_approval';
      let stale = false;
      const queue = withGroup(q, r.agent_id, r.agent_name, (g) => {
        const listed = g.spend_requests.some((s) => s.id === r.id);
        if (waits && listed)
          return {
            group: { ...g, spend_requests: g.spend_requests.map((s) => (s.id === r.id ? r : s)) },
          };
        // Past the loaded page (an older one than some listed): already counted.
        const pastPage =
          g.next_before !== null && g.spend_requests.some((s) => s.created_at > r.created_at);
        if (waits && pastPage) return { group: g };
        if (waits)
          return {
            group: {
              ...g,
              spend_requests: [r, ...g.spend_requests],
              pending_count: g.pending_count + 1,
              oldest_pending_at: g.oldest_pending_at ?? r.created_at,
            },
            counts: { spend_requests: q.counts.spend_requests + 1 },
          };
        if (!listed) {
          stale = g.next_before !== null;
          return { group: g };
        }
        return {
          group: {
            ...g,
            spend_requests: g.spend_requests.filter((s) => s.id !== r.id),
            pending_count: Math.max(0, g.pending_count - 1),
          },
          counts: { spend_requests: Math.max(0, q.counts.spend_requests - 1) },
        };
      });
      return { queue, stale };
    }
    case 'budget_request': {
      const b = event.data;
      const waits = b.status === 'pending';
      const queue = withGroup(q, b.agent_id, b.agent_name, (g) => {
        const had = g.budget_request?.id === b.id;
        if (waits)
          return {
            group: { ...g, budget_request: b },
            counts: had ? undefined : { budget_requests: q.counts.budget_requests + 1 },
          };
        if (!had) return { group: g };
        return {
          group: { ...g, budget_request: null },
          counts: { budget_requests: Math.max(0, q.counts.budget_requests - 1) },
        };
      });
      return { queue, stale: false };
    }
    case 'receipt': {
      const r = event.data;
      const open = r.review?.status === 'open';
      let stale = false;
      const queue = withGroup(q, r.agent_id, r.agent_name, (g) => {
        const listed = g.receipt_reviews.some((x) => x.id === r.id);
        if (open && !listed)
          return {
            group: {
              ...g,
              receipt_reviews: [r, ...g.receipt_reviews],
              review_count: g.review_count + 1,
            },
            counts: { receipt_reviews: q.counts.receipt_reviews + 1 },
          };
        if (open || !r.review) return { group: g };
        if (!listed) {
          stale = g.review_count > g.receipt_reviews.length;
          return { group: g };
        }
        return {
          group: {
            ...g,
            receipt_reviews: g.receipt_reviews.filter((x) => x.id !== r.id),
            review_count: Math.max(0, g.review_count - 1),
          },
          counts: { receipt_reviews: Math.max(0, q.counts.receipt_reviews - 1) },
        };
      });
      return { queue, stale };
    }
    case 'agent':
      // A paused, resumed or revoked agent: its group's status is read again.
      return {
        queue: q,
        stale: q.groups.some((g) => g.agent_id === event.data.agent_id),
      };
    default:
      return { queue: q, stale: false };
  }
}

/**
 * A queue as read from the server, with the events that arrived while it was read applied
 * on top, in order. Each event is the state of one thing after a change, so applying one
 * the read already saw changes nothing; one it did not see brings the answer up to date.
 */
export function replayed(
  q: Queue,
  events: readonly OwnerEvent[],
): { queue: Queue; stale: boolean } {
  let stale = false;
  for (const event of events) {
    const next = applyEvent(q, event);
    q = next.queue;
    stale ||= next.stale;
  }
  return { queue: q, stale };
}

/** The next page of one agent's pending requests, appended to its group. */
export function withPage(q: Queue, page: ApprovalsAnswer): Queue {
  const next = page.groups[0];
  if (!next) return q;
  return {
    ...q,
    groups: q.groups.map((g) =>
      g.agent_id === next.agent_id
        ? {
            ...g,
            spend_requests: [
              ...g.spend_requests,
              ...next.spend_requests.filter((r) => !g.spend_requests.some((s) => s.id === r.id)),
            ],
            next_before: next.next_before,
          }
        : g,
    ),
  };
}
