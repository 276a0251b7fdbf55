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
}));
