/**
 * The Approvals page's queue as plain functions (renderer/src/stores/approvals-state.ts):
 * what waits, grouped by agent, kept current by the owner's events; and when an event
 * cannot be counted here (a request past the loaded page), the store is told to read again.
 */
import { describe, expect, it } from 'vitest';
import type { OwnerEvent } from '../../../renderer/src/api/client';
import {
  applyEvent,
  emptyQueue,
  pendingSpends,
  replayed,
  waitingCount,
  withPage,
  type ApprovalGroup,
  type PendingSpend,
  type Queue,
  type ReceiptReview,
} from '../../../renderer/src/stores/approvals-state';

function spend(id: string, agent: string, status: PendingSpend['status'] = 'needs_approval') {
  return {
    id,
    agent_id: agent,
    agent_name: `bot-${agent}`,
    status,
    decision_reason: '',
    decision_rule: status === 'needs_approval' ? 'approval_threshold' : 'owner_declined',
    amount_cents: 100,
    amount_micros: '1000000',
    merchant_name: 'AWS',
    merchant_key: 'aws',
    reason: 'r',
    category: null,
    created_at: `2026-03-14T10:00:0${id.length % 10}Z`,
    decided_at: null,
    expires_at: null,
    policy_version: 1,
    owner_comment: null,
    budget_request_id: null,
    impact: null,
    x402: null,
  } as PendingSpend;
}

function group(agent: string, spends: PendingSpend[], over: Partial<ApprovalGroup> = {}) {
  return {
    agent_id: agent,
    agent_name: `bot-${agent}`,
    agent_status: 'active',
    pending_count: spends.length,
    oldest_pending_at: spends.at(-1)?.created_at ?? null,
    spend_requests: spends,
    next_before: null,
    budget_request: null,
    review_count: 0,
    receipt_reviews: [],
    ...over,
  } as ApprovalGroup;
}

const queue = (...groups: ApprovalGroup[]): Queue => ({
  groups,
  counts: {
    spend_requests: groups.reduce((n, g) => n + g.pending_count, 0),
    budget_requests: 0,
    receipt_reviews: groups.reduce((n, g) => n + g.review_count, 0),
  },
});

const spendEvent = (data: PendingSpend): OwnerEvent => ({ event: 'spend', data });

describe('approvals queue', () => {
  it('puts a new pending request first in its agent’s group, and its agent first', () => {
    const q = queue(group('a', [spend('r1', 'a')]), group('b', [spend('r2', 'b')]));
    const { queue: after, stale } = applyEvent(q, spendEvent(spend('r3', 'b')));
    expect(stale).toBe(false);
    expect(after.groups.map((g) => g.agent_id)).toEqual(['a', 'b']);
    expect(after.groups[1]?.spend_requests.map((r) => r.id)).toEqual(['r3', 'r2']);
    expect(after.counts.spend_requests).toBe(3);
    const fresh = applyEvent(emptyQueue, spendEvent(spend('r9', 'c'))).queue;
    expect(fresh.groups.map((g) => g.agent_id)).toEqual(['c']);
    expect(waitingCount(fresh)).toBe(1);
  });

  it('drops a decided request, and the group once nothing of its agent waits', () => {
    const q = queue(group('a', [spend('r1', 'a'), spend('r2', 'a')]));
    const one = applyEvent(q, spendEvent(spend('r1', 'a', 'declined'))).queue;
    expect(pendingSpends(one).map((r) => r.id)).toEqual(['r2']);
    expect(one.groups[0]?.pending_count).toBe(1);
    const none = applyEvent(one, spendEvent(spend('r2', 'a', 'approved'))).queue;
    expect(none.groups).toEqual([]);
    expect(waitingCount(none)).toBe(0);
  });

  it('asks for a re-read when a request past the loaded page is decided', () => {
    const q = queue(group('a', [spend('r1', 'a')], { pending_count: 30, next_before: 'r1' }));
    const { queue: after, stale } = applyEvent(q, spendEvent(spend('r29', 'a', 'declined')));
    expect(stale).toBe(true);
    expect(after).toBe(q);
    // A decided request of an agent whose every request is listed was never pending here.
    expect(
      applyEvent(queue(group('a', [spend('r1', 'a')])), spendEvent(spend('x', 'a', 'approved')))
        .stale,
    ).toBe(false);
  });

  it('keeps receipts to review in their agent’s group until they are answered', () => {
    const review = {
      id: 'rcpt_1',
      agent_id: 'a',
      agent_name: 'bot-a',
      review: { kind: 'shared_excess', status: 'open', amount_cents: 4_000 },
      created_at: '2026-03-14T10:00:00Z',
    } as unknown as ReceiptReview;
    const held = applyEvent(emptyQueue, { event: 'receipt', data: review } as OwnerEvent).queue;
    expect(held.groups[0]?.receipt_reviews.map((r) => r.id)).toEqual(['rcpt_1']);
    expect(held.counts.receipt_reviews).toBe(1);
    const answered = {
      ...review,
      review: { ...review.review, status: 'disputed' },
    } as unknown as ReceiptReview;
    const done = applyEvent(held, { event: 'receipt', data: answered } as OwnerEvent).queue;
    expect(done.groups).toEqual([]);
    // A receipt with nothing to review changes nothing.
    const plain = { ...review, id: 'rcpt_2', review: null } as unknown as ReceiptReview;
    expect(applyEvent(held, { event: 'receipt', data: plain } as OwnerEvent).queue).toBe(held);
  });

  it('appends the next page of one agent, each request once', () => {
    const q = queue(
      group('a', [spend('r3', 'a'), spend('r2', 'a')], { pending_count: 4, next_before: 'r2' }),
    );
    const page = {
      ...q,
      groups: [group('a', [spend('r2', 'a'), spend('r1', 'a')], { next_before: null })],
      spend_requests: [],
      budget_requests: [],
    };
    const after = withPage(q, page);
    expect(pendingSpends(after).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect(after.groups[0]?.next_before).toBeNull();
  });

  it('applies events that came during a read on top of its older answer', () => {
    // The window already shows r3 (its event came while the read was in flight); the read
    // answers with the queue from before r3. Without the replay r3 would vanish.
    const older = queue(group('a', [spend('r1', 'a')]));
    const seen = [spendEvent(spend('r3', 'a'))];
    const { queue: now } = replayed(older, seen);
    expect(pendingSpends(now).map((r) => r.id)).toEqual(['r3', 'r1']);
    expect(now.counts.spend_requests).toBe(2);
    // An answer that already saw the event is unchanged by it: nothing counted twice.
    const newer = queue(group('a', [spend('r3', 'a'), spend('r1', 'a')]));
    const again = replayed(newer, seen).queue;
    expect(pendingSpends(again).map((r) => r.id)).toEqual(['r3', 'r1']);
    expect(again.counts.spend_requests).toBe(2);
    // Created and decided while the read was in flight: the order of events wins.
    const both = replayed(older, [...seen, spendEvent(spend('r3', 'a', 'declined'))]).queue;
    expect(pendingSpends(both).map((r) => r.id)).toEqual(['r1']);
    expect(both.counts.spend_requests).toBe(1);
  });

  it('does not count again a request the answer counted past its page', () => {
    // r1 (older than the listed r22) was counted by the server but not listed.
    const q = queue(group('a', [spend('r22', 'a')], { pending_count: 2, next_before: 'r22' }));
    const after = replayed(q, [spendEvent(spend('r1', 'a'))]).queue;
    expect(pendingSpends(after).map((r) => r.id)).toEqual(['r22']);
    expect(after.counts.spend_requests).toBe(2);
  });
});
