import { create } from 'zustand';
import type { PolicyPatch } from '../../../shared/schemas/policy';
import {
  api,
  messageOf,
  type AgentCreateInput,
  type Connection,
  type IssuedKeyView,
  type OwnerEvent,
} from '../api/client';
import {
  agentsReducer,
  agentToRefresh,
  INITIAL,
  type AgentsAction,
  type AgentsData,
} from './agents-state';
import { usageOf } from './agents-usage';
import { apiFormErrors, type FormErrors } from './policy-draft';

/* ----------------------------------------------------------------------------------------
 * The store: actions call the owner API and dispatch to the reducer
 * ------------------------------------------------------------------------------------- */

export interface AgentsState extends AgentsData {
  load(): Promise<void>;
  /** Reads one agent again (its meter, status, keys, chart); calls close together coalesce. */
  refresh(agentId: string): Promise<void>;
  /** Resolves to null when created, or to why not (shown in the form). */
  create(body: AgentCreateInput): Promise<FormErrors | null>;
  savePolicy(agentId: string, patch: PolicyPatch): Promise<FormErrors | null>;
  pause(agentId: string): Promise<void>;
  resume(agentId: string): Promise<void>;
  /** Resolves to null once the key is issued and revealed, or to why not. */
  issueKey(agentId: string, label?: string): Promise<string | null>;
  /** A new key like the old one, then the old one revoked; the new key is revealed. */
  rotateKey(keyId: string): Promise<string | null>;
  revokeKey(keyId: string): Promise<string | null>;
  /** The reveal dialog closed: the key is dropped and cannot be shown again. */
  closeReveal(): void;
  apply(event: OwnerEvent): void;
  setConnection(state: Connection): void;
  dismiss(): void;
}

export const useAgents = create<AgentsState>((set, get) => {
  const dispatch = (action: AgentsAction) => set((state) => agentsReducer(state, action));

  /** Agents being read again: true when another read was asked for meanwhile. */
  const refreshing = new Map<string, boolean>();
  /** Null when no load runs; true when another was asked for meanwhile. */
  let loadAgain: boolean | null = null;
  /** Whether the event stream was lost: when it is back, what it missed is read again. */
  let wasLost = false;

  const readAgent = async (agentId: string) => {
    const agent = await api.call('getAgent', { params: { id: agentId } });
    dispatch({ type: 'agent', agent });
    const [keys, entries] = await Promise.all([
      api.call('listKeys', { params: { id: agentId } }),
      usageOf(agent, Date.now()),
    ]);
    dispatch({ type: 'keys', agentId, keys: keys.keys });
    dispatch({ type: 'usage', agentId, entries });
  };

  /** Runs an action on an agent or key; a refusal is shown until dismissed. */
  const act = async (id: string, agentId: string, action: () => Promise<unknown>) => {
    dispatch({ type: 'busy', id });
    try {
      await action();
    } catch (error) {
      dispatch({ type: 'failed', message: messageOf(error) });
    } finally {
      dispatch({ type: 'busy', id: null });
      await get().refresh(agentId);
    }
  };

  const keyById = (keyId: string) =>
    Object.values(get().keys)
      .flat()
      .find((k) => k.id === keyId);
  const nameOf = (agentId: string) => get().agents.find((a) => a.id === agentId)?.name ?? agentId;

  return {
    ...INITIAL,
    async load() {
      // A burst of events from an agent not listed yet asks for one more load, not one each.
      if (loadAgain !== null) {
        loadAgain = true;
        return;
      }
      loadAgain = false;
      dispatch({ type: 'loading' });
      try {
        do {
          loadAgain = false;
          const { agents } = await api.call('listAgents');
          dispatch({ type: 'loaded', agents });
          await Promise.all(agents.map((a) => get().refresh(a.id)));
        } while (loadAgain);
      } catch (error) {
        dispatch({ type: 'load_failed', message: messageOf(error) });
      } finally {
        loadAgain = null;
      }
    },
    async refresh(agentId) {
      if (refreshing.has(agentId)) {
        refreshing.set(agentId, true);
        return;
      }
      refreshing.set(agentId, false);
      try {
        do {
          refreshing.set(agentId, false);
          await readAgent(agentId);
        } while (refreshing.get(agentId));
      } catch {
        // The card keeps what it showed; the next event or load reads it again.
      } finally {
        refreshing.delete(agentId);
      }
    },
    async create(body) {
      try {
        const agent = await api.call('createAgent', { body: body });
        dispatch({ type: 'agent', agent });
        void get().refresh(agent.id);
        return null;
      } catch (error) {
        return apiFormErrors(error);
      }
    },
    async savePolicy(agentId, patch) {
      if (Object.keys(patch).length === 0) return null; // nothing changed: no new version
      try {
        dispatch({
          type: 'agent',
          agent: await api.call('updatePolicy', { params: { id: agentId }, body: patch }),
        });
        void get().refresh(agentId);
        return null;
      } catch (error) {
        return apiFormErrors(error);
      }
    },
    pause: (agentId) =>
      act(agentId, agentId, () => api.call('pauseAgent', { params: { id: agentId } })),
    resume: (agentId) =>
      act(agentId, agentId, () => api.call('resumeAgent', { params: { id: agentId } })),
    async issueKey(agentId, label) {
      dispatch({ type: 'busy', id: agentId });
      try {
        const trimmed = label?.trim();
        const key = await api.call('issueKey', {
          params: { id: agentId },
          body: trimmed ? { label: trimmed } : {},
        });
        dispatch({ type: 'key', key });
        dispatch({
          type: 'revealed',
          reveal: { agentId, agentName: nameOf(agentId), key, replaced: null, revokeFailed: null },
        });
        return null;
      } catch (error) {
        return messageOf(error);
      } finally {
        dispatch({ type: 'busy', id: null });
      }
    },
    async rotateKey(keyId) {
      const old = keyById(keyId);
      if (!old) return 'That key is no longer listed; reload the page.';
      dispatch({ type: 'busy', id: keyId });
      try {
        // First the new key (so the agent is never left without one), like the old one.
        const future = old.expires_at !== null && Date.parse(old.expires_at) > Date.now();
        let key: IssuedKeyView;
        try {
          key = await api.call('issueKey', {
            params: { id: old.agent_id },
            body: {
              scopes: old.scopes,
              ...(old.label ? { label: old.label } : {}),
              ...(future && old.expires_at ? { expires_at: old.expires_at } : {}),
            },
          });
        } catch (error) {
          return `No new key was issued, and the old one still works: ${messageOf(error)}`;
        }
        dispatch({ type: 'key', key });
        let revokeFailed: string | null = null;
        try {
          dispatch({ type: 'key', key: await api.call('revokeKey', { params: { id: old.id } }) });
        } catch (error) {
          revokeFailed = messageOf(error);
          dispatch({
            type: 'failed',
            message: `The new key was issued, but the old key ${old.prefix}…${old.last4} could not be revoked and still works: ${revokeFailed}`,
          });
        }
        dispatch({
          type: 'revealed',
          reveal: {
            agentId: old.agent_id,
            agentName: nameOf(old.agent_id),
            key,
            replaced: old,
            revokeFailed,
          },
        });
        return null;
      } finally {
        dispatch({ type: 'busy', id: null });
      }
    },
    async revokeKey(keyId) {
      dispatch({ type: 'busy', id: keyId });
      try {
        dispatch({ type: 'key', key: await api.call('revokeKey', { params: { id: keyId } }) });
        return null;
      } catch (error) {
        return messageOf(error);
      } finally {
        dispatch({ type: 'busy', id: null });
      }
    },
    closeReveal: () => dispatch({ type: 'reveal_closed' }),
    apply(event) {
      const target = agentToRefresh(event);
      if (target === 'all') for (const agent of get().agents) void get().refresh(agent.id);
      else if (target !== null) {
        if (get().agents.some((a) => a.id === target)) void get().refresh(target);
        else void get().load(); // an agent created elsewhere (a terminal) that spends already
      }
    },
    setConnection(state) {
      // Back after a drop: what changed meanwhile was not streamed, so read it all again.
      if (state === 'live' && wasLost) void get().load();
      wasLost = state === 'lost';
    },
    dismiss: () => dispatch({ type: 'dismissed' }),
  };
});
