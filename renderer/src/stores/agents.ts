import { create } from 'zustand';
import type { AgentView } from '../../../shared/schemas/owner-api';
import { api, messageOf } from '../api/client';

interface AgentsState {
  agents: AgentView[];
  error: string | null;
  loading: boolean;
  load(): Promise<void>;
}

export const useAgents = create<AgentsState>((set) => ({
  agents: [],
  error: null,
  loading: false,
  async load() {
    set({ loading: true });
    try {
      const { agents } = await api.agents();
      set({ agents, error: null, loading: false });
    } catch (error) {
      set({ error: messageOf(error), loading: false });
    }
  },
}));
