import { create } from 'zustand';
import { chartWindows, DAY_MS, type CountedEntry } from '../../../shared/forecast';
import { microsFromString } from '../../../shared/money';
import type { AgentView } from '../../../shared/schemas/owner-api';
import type { PolicyPatch } from '../../../shared/schemas/policy';
import {
  api,
  messageOf,
  type AgentCreateInput,
  type Connection,
  type IssuedKeyView,
  type KeyView,
  type OwnerEvent,
} from '../api/client';
import { useWallet } from './wallet';
import { apiFormErrors, type FormErrors } from './policy-draft';

export * from './policy-draft';

/* ----------------------------------------------------------------------------------------
 * State, and the pure reducer that changes it
 * ------------------------------------------------------------------------------------- */

/**
 * A key just issued, shown once. It lives here only while its dialog is open: closing the
 * dialog drops it (`reveal_closed`), and nothing else ever holds the plaintext.
 */
export interface RevealedKey {
  agentId: string;
  agentName: string;
  key: IssuedKeyView;
  /** Set when this key replaced another (a rotation): the old key, now revoked. */
  replaced: KeyView | null;
  /** Set when the old key of a rotation could not be revoked: it still works. */
  revokeFailed: string | null;
}

export interface AgentsData {
  agents: AgentView[];
  /** Each agent's keys as listed: prefixes and last fours, never a key. */
  keys: Record<string, KeyView[]>;
  /** Each agent's ledger entries that counted money, over the chart's windows. */
  usage: Record<string, CountedEntry[]>;
  loading: boolean;
  /** Why the agents could not be read. */
  error: string | null;
  /** Why the server refused an action: shown until dismissed (a reload must not hide it). */
  actionError: string | null;
  /** The agent or key an action is running on. */
  busy: string | null;
  reveal: RevealedKey | null;
}

export type AgentsAction =
  | { type: 'loading' }
  | { type: 'loaded'; agents: AgentView[] }
  | { type: 'load_failed'; message: string }
  | { type: 'agent'; agent: AgentView }
  | { type: 'keys'; agentId: string; keys: KeyView[] }
  | { type: 'key'; key: KeyView }
  | { type: 'usage'; agentId: string; entries: CountedEntry[] }
  | { type: 'busy'; id: string | null }
  | { type: 'failed'; message: string }
  | { type: 'dismissed' }
  | { type: 'revealed'; reveal: RevealedKey }
  | { type: 'reveal_closed' };

export const INITIAL: AgentsData = {
  agents: [],
  keys: {},
  usage: {},
  loading: false,
  error: null,
  actionError: null,
  busy: null,
  reveal: null,
};

/** A key as listed, whatever it was built from: an issued key's plaintext is dropped here. */
export function listedKey(key: KeyView | IssuedKeyView): KeyView {
  return {
    id: key.id,
    agent_id: key.agent_id,
    mode: key.mode,
    prefix: key.prefix,
    last4: key.last4,
    scopes: key.scopes,
    label: key.label,
    created_at: key.created_at,
    expires_at: key.expires_at,
    revoked_at: key.revoked_at,
  };
}

export function agentsReducer(state: AgentsData, action: AgentsAction): AgentsData {
  switch (action.type) {
    case 'loading':
      return { ...state, loading: true };
    case 'loaded':
      return { ...state, agents: action.agents, loading: false, error: null };
    case 'load_failed':
      return { ...state, loading: false, error: action.message };
    case 'agent': {
      const at = state.agents.findIndex((a) => a.id === action.agent.id);
      const agents =
        at === -1
          ? [...state.agents, action.agent]
          : state.agents.map((a, i) => (i === at ? action.agent : a));
      return { ...state, agents };
    }
    case 'keys':
      return { ...state, keys: { ...state.keys, [action.agentId]: action.keys.map(listedKey) } };
    case 'key': {
      const key = listedKey(action.key);
      const list = state.keys[key.agent_id] ?? [];
      const keys = list.some((k) => k.id === key.id)
        ? list.map((k) => (k.id === key.id ? key : k))
        : [...list, key];
      return { ...state, keys: { ...state.keys, [key.agent_id]: keys } };
    }
    case 'usage':
      return { ...state, usage: { ...state.usage, [action.agentId]: action.entries } };
    case 'busy':
      return { ...state, busy: action.id };
    case 'failed':
      return { ...state, actionError: action.message };
    case 'dismissed':
      return { ...state, actionError: null };
    case 'revealed':
      return { ...state, reveal: action.reveal };
    case 'reveal_closed':
      return { ...state, reveal: null };
  }
}

/** Whether a key still opens the agent API at `now`: not revoked, not expired. */
export function keyIsLive(key: KeyView, now: number): boolean {
  return key.revoked_at === null && (key.expires_at === null || Date.parse(key.expires_at) > now);
}

/**
 * Which agent an event from the owner's stream changes, so that only its card is read
 * again: a spend or a receipt moves its meter, an alert may mean Purser paused it; a
 * settings change (time zone, freeze) concerns every agent ('all').
 */
export function agentToRefresh(event: OwnerEvent): string | 'all' | null {
  switch (event.event) {
    case 'spend':
    case 'budget_request':
    case 'receipt':
    case 'alert':
      return event.data.agent_id ?? null;
    case 'chain':
    case 'agent':
      return event.data.agent_id;
    case 'settings':
      return 'all';
  }
}

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

/** The owner's time zone (calendar windows), or this browser's until settings arrive. */
function timeZone(): string {
  return (
    useWallet.getState().settings?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  );
}

const LEDGER_PAGE = 1000;
const LEDGER_PAGES = 20;

/** Entries that counted money for `agent` since the first window its chart shows. */
async function usageOf(agent: AgentView, now: number): Promise<CountedEntry[]> {
  const [first] = chartWindows(
    { period: agent.policy.period, windowKind: agent.policy.window, timeZone: timeZone() },
    now,
  );
  // A day early: a time zone that changes later still finds its entries.
  const from = new Date((first?.start ?? now) - DAY_MS).toISOString();
  const entries: CountedEntry[] = [];
  let before: number | undefined;
  for (let page = 0; page < LEDGER_PAGES; page += 1) {
    const result = await api.ledger({
      agent_id: agent.id,
      from,
      limit: LEDGER_PAGE,
      before_seq: before,
    });
    for (const e of result.entries) {
      const counted = microsFromString(e.counted_micros);
      if (counted !== 0n) entries.push({ ts: Date.parse(e.ts), counted });
    }
    if (result.next_before_seq === null) break;
    before = result.next_before_seq;
  }
  return entries;
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
    const agent = await api.agent(agentId);
    dispatch({ type: 'agent', agent });
    const [keys, entries] = await Promise.all([api.agentKeys(agentId), usageOf(agent, Date.now())]);
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
          const { agents } = await api.agents();
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
        const agent = await api.createAgent(body);
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
        dispatch({ type: 'agent', agent: await api.updatePolicy(agentId, patch) });
        void get().refresh(agentId);
        return null;
      } catch (error) {
        return apiFormErrors(error);
      }
    },
    pause: (agentId) => act(agentId, agentId, () => api.pauseAgent(agentId)),
    resume: (agentId) => act(agentId, agentId, () => api.resumeAgent(agentId)),
    async issueKey(agentId, label) {
      dispatch({ type: 'busy', id: agentId });
      try {
        const trimmed = label?.trim();
        const key = await api.issueKey(agentId, trimmed ? { label: trimmed } : {});
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
          key = await api.issueKey(old.agent_id, {
            scopes: old.scopes,
            ...(old.label ? { label: old.label } : {}),
            ...(future && old.expires_at ? { expires_at: old.expires_at } : {}),
          });
        } catch (error) {
          return `No new key was issued, and the old one still works: ${messageOf(error)}`;
        }
        dispatch({ type: 'key', key });
        let revokeFailed: string | null = null;
        try {
          dispatch({ type: 'key', key: await api.revokeKey(old.id) });
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
        dispatch({ type: 'key', key: await api.revokeKey(keyId) });
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
