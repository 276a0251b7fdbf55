import { create } from 'zustand';
import { FINAL_SPEND_STATUSES } from '../../../shared/domain';
import type { OwnerBudgetRequestView, OwnerSpendView } from '../../../shared/schemas/owner-api';
import { api, messageOf, type OwnerEvent } from '../api/client';

interface ApprovalsState {
  spend: OwnerSpendView[];
  budget: OwnerBudgetRequestView[];
  /** A request opened by its approval_url, pending or not. */
  focused: OwnerSpendView | null;
  error: string | null;
  /** Why the server refused an action: shown until dismissed (a reload must not hide it). */
  actionError: string | null;
  busy: string | null;
  load(): Promise<void>;
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
}

/** The id `delta` places from `current` in `ids`, staying at the ends; the first if none. */
export function nextSelection(ids: readonly string[], current: string | null, delta: 1 | -1) {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return delta === 1 ? (ids[0] ?? null) : (ids.at(-1) ?? null);
  return ids[Math.min(ids.length - 1, Math.max(0, at + delta))] ?? null;
}

const newestFirst = <T extends { created_at: string }>(list: T[]) =>
  [...list].sort((a, b) => b.created_at.localeCompare(a.created_at));

function upsert<T extends { id: string; created_at: string }>(
  list: T[],
  item: T,
  keep: boolean,
): T[] {
  const rest = list.filter((x) => x.id !== item.id);
  return keep ? newestFirst([...rest, item]) : rest;
}

export const useApprovals = create<ApprovalsState>((set, get) => ({
  spend: [],
  budget: [],
  focused: null,
  error: null,
  actionError: null,
  busy: null,
  async load() {
    try {
      const { spend_requests, budget_requests } = await api.approvals();
      set({ spend: spend_requests, budget: budget_requests, error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },
  async focus(id) {
    if (!id) return set({ focused: null });
    try {
      set({ focused: await api.spendRequest(id) });
    } catch (error) {
      set({ error: messageOf(error), focused: null });
    }
  },
  apply(event) {
    if (event.event === 'spend') {
      const r = event.data;
      set({
        spend: upsert(get().spend, r, !FINAL_SPEND_STATUSES[r.status]),
        focused: get().focused?.id === r.id ? r : get().focused,
      });
    } else if (event.event === 'budget_request') {
      set({ budget: upsert(get().budget, event.data, event.data.status === 'pending') });
    }
  },
  async act(id, action) {
    set({ busy: id, actionError: null });
    try {
      await action();
    } catch (error) {
      set({ actionError: messageOf(error) });
    } finally {
      set({ busy: null });
      await get().load();
      const focused = get().focused;
      if (focused) await get().focus(focused.id);
    }
  },
  dismiss: () => set({ actionError: null }),
  selected: null,
  select: (id) => set({ selected: id }),
  move(delta) {
    set({
      selected: nextSelection(
        get().spend.map((r) => r.id),
        get().selected,
        delta,
      ),
    });
  },
  confirming: null,
  async approve(r, comment) {
    if (r.impact?.hard_limit) return;
    if (r.impact?.exceeds_budget) return set({ confirming: r.id });
    await get().act(r.id, () => api.approveSpend(r.id, { comment }));
  },
  async confirmOverride(r, comment) {
    set({ confirming: null });
    await get().act(r.id, () => api.approveSpend(r.id, { comment, override_budget: true }));
  },
  cancelConfirm: () => set({ confirming: null }),
  async decline(id, comment) {
    set({ confirming: null });
    await get().act(id, () => api.declineSpend(id, { comment }));
  },
}));
