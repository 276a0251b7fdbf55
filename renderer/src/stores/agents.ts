import { create } from 'zustand';
import type { AgentView } from '../../../shared/schemas/owner-api';
import type { OwnerApi } from '../api/client';

interface AgentsState {
  agents: AgentView[];
  error: string | null;
  loading: boolean;
  load(api: OwnerApi): Promise<void>;
}

export const useAgents = create<AgentsState>((set) => ({
  agents: [],
  error: null,
  loading: false,
  async load(api) {
    set({ loading: true });
    try {
      const { agents } = await api.agents();
      set({ agents, error: null, loading: false });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error), loading: false });
    }
  },
}));
