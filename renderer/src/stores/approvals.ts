import { create } from 'zustand';
import type { OwnerSpendView } from '../../../shared/schemas/owner-api';
import { api, messageOf, type OwnerEvent } from '../api/client';
import {
  applyEvent,
  emptyQueue,
  pendingSpends,
  replayed,
  withPage,
  type Queue,
} from './approvals-state';
import { runAction } from './run-action';

interface ApprovalsState {
  /** What waits, grouped by agent (approvals-state.ts). */
  queue: Queue;
  /** A request opened by its approval_url, pending or not. */
  focused: OwnerSpendView | null;
  error: string | null;
  /** Why the server refused an action: shown until dismissed (a reload must not hide it). */
  actionError: string | null;
  busy: string | null;
  load(): Promise<void>;
  /** The next page of one agent's pending requests. */
  more(agentId: string): Promise<void>;
  focus(id: string | null): Promise<void>;
  apply(event: OwnerEvent): void;
  act(id: string, action: () => Promise<unknown>): Promise<void>;
  dismiss(): void;
  /** The request the keyboard acts on (j/k move it). */
  selected: string | null;
  select(id: string | null): void;
  move(delta: 1 | -1): void;
  /** A request whose over-budget approval waits for the owner's confirmation. */
  confirming: string | null;
  /** Approves; over budget it first asks for confirmation, then approves with the override. */
  approve(r: OwnerSpendView, comment?: string): Promise<void>;
  confirmOverride(r: OwnerSpendView, comment?: string): Promise<void>;
  cancelConfirm(): void;
  decline(id: string, comment?: string): Promise<void>;
  /** Declines every pending request of one agent (and rejects its budget request). */
  declineAll(agentId: string, comment?: string): Promise<void>;
  /** Answers what a receipt claims (docs/money-integrity.md). */
  review(id: string, answer: 'accept' | 'dispute', comment?: string): Promise<void>;
}

/** The id `delta` places from `current` in `ids`, staying at the ends; the first if none. */
export function nextSelection(ids: readonly string[], current: string | null, delta: 1 | -1) {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return delta === 1 ? (ids[0] ?? null) : (ids.at(-1) ?? null);
  return ids[Math.min(ids.length - 1, Math.max(0, at + delta))] ?? null;
}

/** Requests per agent when the page opens, and per "Show more". */
const FIRST_PAGE = 5;
const MORE_PAGE = 20;

/** Re-reads after events the reducer cannot count (approvals-state.ts) come at most this often. */
const RELOAD_MS = 500;
let reloadTimer: ReturnType<typeof setTimeout> | undefined;
function reloadSoon(load: () => Promise<void>) {
  if (reloadTimer !== undefined) return;
  reloadTimer = setTimeout(() => {
    reloadTimer = undefined;
    void load();
  }, RELOAD_MS);
}
/**
 * Events that arrive while a read of the queue is in flight, one list per read. The read
 * answers with the queue as it was when the server read it; an event the window already
 * applied may be newer than that, so it is applied again on top of the answer
 * (`replayed`), or a stale answer would drop a request that just arrived (and the
 * keyboard would act on nothing).
 */
const inFlight = new Set<OwnerEvent[]>();
/** Reads started, and the newest whose answer was used: an older answer is never applied. */
let readsStarted = 0;
let readApplied = 0;

export const useApprovals = create<ApprovalsState>((set, get) => ({
  queue: emptyQueue,
  focused: null,
  error: null,
  actionError: null,
  busy: null,
  async load() {
    const read = ++readsStarted;
    const since: OwnerEvent[] = [];
    inFlight.add(since);
    try {
      // A few of each agent's newest first, so every agent's group is near the top of the
      // page however many another agent sent; "Show more" reads on.
      const { groups, counts } = await api.call('listApprovals', {
        query: { limit: FIRST_PAGE },
      });
      if (read < readApplied) return;
      readApplied = read;
      const { queue, stale } = replayed({ groups, counts }, since);
      set({ queue, error: null });
      if (stale) reloadSoon(get().load);
    } catch (error) {
      set({ error: messageOf(error) });
    } finally {
      inFlight.delete(since);
    }
  },
  async more(agentId) {
    const group = get().queue.groups.find((g) => g.agent_id === agentId);
    if (!group?.next_before) return;
    try {
      const page = await api.call('listApprovals', {
        query: { agent_id: agentId, before: group.next_before, limit: MORE_PAGE },
      });
      set({ queue: withPage(get().queue, page) });
    } catch (error) {
      set({ actionError: messageOf(error) });
    }
  },
  async focus(id) {
    if (!id) return set({ focused: null });
    try {
      set({ focused: await api.call('getSpendRequest', { params: { id } }) });
    } catch (error) {
      set({ error: messageOf(error), focused: null });
    }
  },
  apply(event) {
    for (const since of inFlight) since.push(event);
    const { queue, stale } = applyEvent(get().queue, event);
    const focused = get().focused;
    set({
      queue,
      focused: event.event === 'spend' && focused?.id === event.data.id ? event.data : focused,
    });
    if (stale) reloadSoon(get().load);
  },
  act: (id, action) =>
    runAction(set, id, action, async () => {
      await get().load();
      const focused = get().focused;
      if (focused) await get().focus(focused.id);
    }),
  dismiss: () => set({ actionError: null }),
  selected: null,
  select: (id) => set({ selected: id }),
  move(delta) {
    set({
      selected: nextSelection(
        pendingSpends(get().queue).map((r) => r.id),
        get().selected,
        delta,
      ),
    });
  },
  confirming: null,
  async approve(r, comment) {
    if (r.impact?.hard_limit) return;
    if (r.impact?.exceeds_budget) return set({ confirming: r.id });
    await get().act(r.id, () =>
      api.call('approveSpend', { params: { id: r.id }, body: { comment } }),
    );
  },
  async confirmOverride(r, comment) {
    set({ confirming: null });
    await get().act(r.id, () =>
      api.call('approveSpend', { params: { id: r.id }, body: { comment, override_budget: true } }),
    );
  },
  cancelConfirm: () => set({ confirming: null }),
  async decline(id, comment) {
    set({ confirming: null });
    await get().act(id, () => api.call('declineSpend', { params: { id }, body: { comment } }));
  },
  async declineAll(agentId, comment) {
    await get().act(agentId, () =>
      api.call('declineAllPending', { params: { id: agentId }, body: { comment } }),
    );
  },
  async review(id, answer, comment) {
    const route = answer === 'accept' ? 'acceptReceipt' : 'disputeReceipt';
    await get().act(id, () => api.call(route, { params: { id }, body: { comment } }));
  },
}));
