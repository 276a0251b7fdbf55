import { create } from 'zustand';
import type { OwnerSessionView } from '../../../shared/schemas/sessions';
import { api, messageOf } from '../api/client';

interface SessionsState {
  sessions: OwnerSessionView[];
  error: string | null;
  load(): Promise<void>;
  /** Ends another window's session (this window's own: use Log out). */
  revoke(id: string): Promise<void>;
  dismiss(): void;
}

/** The owner's live window sessions (docs/trust-model.md), listed and revoked from Settings. */
export const useSessions = create<SessionsState>((set, get) => ({
  sessions: [],
  error: null,
  async load() {
    try {
      const { sessions } = await api.call('listSessions');
      set({ sessions });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },
  async revoke(id) {
    try {
      await api.call('revokeSession', { params: { id } });
    } catch (error) {
      set({ error: messageOf(error) });
    }
    await get().load();
  },
  dismiss: () => set({ error: null }),
}));
