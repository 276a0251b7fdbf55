import type { CountedEntry } from '../../../shared/forecast';
import type { AgentView } from '../../../shared/schemas/owner-api';
import type { IssuedKeyView, KeyView, OwnerEvent } from '../api/client';

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
