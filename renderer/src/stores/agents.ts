import { create } from 'zustand';
import type { ErrorEnvelope } from '../../../shared/errors';
import { chartWindows, DAY_MS, type CountedEntry } from '../../../shared/forecast';
import { microsFromString } from '../../../shared/money';
import { agentCreateBody, type AgentView } from '../../../shared/schemas/owner-api';
import {
  DEFAULT_POLICY,
  policyPatch,
  type PolicyInput,
  type PolicyPatch,
} from '../../../shared/schemas/policy';
import type { Mode, OverBudgetBehaviour, Period, WindowKind } from '../../../shared/domain';
import {
  api,
  messageOf,
  NOT_LOGGED_IN,
  OwnerApiError,
  type AgentCreateInput,
  type Connection,
  type IssuedKeyView,
  type KeyView,
  type OwnerEvent,
} from '../api/client';
import { useWallet } from './wallet';

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
 * The policy form: a draft of strings, parsed and validated with the API's own schemas
 * ------------------------------------------------------------------------------------- */

/** The form as typed. Money in dollars ("12.50"), lists one entry per line. */
export interface PolicyDraft {
  name: string;
  mode: Mode;
  budget: string;
  period: Period;
  window: WindowKind;
  max_transaction: string;
  approval_threshold: string;
  allow_merchants: string;
  deny_merchants: string;
  allowed_categories: string;
  ask_on_new_merchant: boolean;
  over_budget: OverBudgetBehaviour;
  velocity_per_hour: string;
  rate_limit_per_minute: string;
  pause_on_over_budget: boolean;
}
export type DraftField = keyof PolicyDraft;

/** The API's field for each field of the form. */
export const API_FIELD: Record<DraftField, string> = {
  name: 'name',
  mode: 'mode',
  budget: 'budget_cents',
  period: 'period',
  window: 'window',
  max_transaction: 'max_transaction_cents',
  approval_threshold: 'approval_threshold_cents',
  allow_merchants: 'allow_merchants',
  deny_merchants: 'deny_merchants',
  allowed_categories: 'allowed_categories',
  ask_on_new_merchant: 'ask_on_new_merchant',
  over_budget: 'over_budget',
  velocity_per_hour: 'velocity_per_hour',
  rate_limit_per_minute: 'rate_limit_per_minute',
  pause_on_over_budget: 'pause_on_over_budget',
};
const DRAFT_FIELD = Object.fromEntries(
  Object.entries(API_FIELD).map(([draft, apiName]) => [apiName, draft]),
) as Record<string, DraftField>;

/** What the form calls each field, in the errors too. */
export const FIELD_LABEL: Record<DraftField, string> = {
  name: 'Name',
  mode: 'Mode',
  budget: 'Budget',
  period: 'Period',
  window: 'Window',
  max_transaction: 'Largest single purchase',
  approval_threshold: 'Ask me at or above',
  allow_merchants: 'Allowed merchants',
  deny_merchants: 'Blocked merchants',
  allowed_categories: 'Allowed categories',
  ask_on_new_merchant: 'Ask before a new merchant',
  over_budget: 'Over budget',
  velocity_per_hour: 'Purchases per hour',
  rate_limit_per_minute: 'Requests per minute',
  pause_on_over_budget: 'Pause when over budget',
};

const MONEY_FIELDS = new Set<DraftField>(['budget', 'max_transaction', 'approval_threshold']);
const LIST_FIELDS = new Set<DraftField>([
  'allow_merchants',
  'deny_merchants',
  'allowed_categories',
]);

/** Whole cents as the form shows them: "12.50", "0.00". Integer arithmetic only. */
export function centsToDollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Dollars as typed ("12.5", "$1,200", "0") to cents, from the digits, never through a
 * float: "12.345" gives 1234.5, which the API's schema then refuses as not whole cents,
 * and anything that is not a number gives NaN, which it refuses too.
 */
export function dollarsToCents(text: string): number {
  const t = text.trim().replace(/^\$/, '').replace(/,/g, '');
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(t);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return Number.NaN;
  const [, sign = '', whole = '', frac = ''] = match;
  const cents = `${whole || '0'}${frac.slice(0, 2).padEnd(2, '0')}`;
  const rest = frac.slice(2);
  return Number(`${sign}${cents}${rest ? `.${rest}` : ''}`);
}

/** A whole number as typed; NaN (refused by the schema) when it is not one. */
function wholeNumber(text: string): number {
  const t = text.trim().replace(/,/g, '');
  return /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The form filled in from a policy (the defaults of a new agent when none). */
export function draftOf(
  policy: PolicyInput = DEFAULT_POLICY,
  agent?: Pick<AgentView, 'name' | 'mode'>,
): PolicyDraft {
  const money = (cents: number | null) => (cents === null ? '' : centsToDollars(cents));
  return {
    name: agent?.name ?? '',
    mode: agent?.mode ?? 'live',
    budget: centsToDollars(policy.budget_cents),
    period: policy.period,
    window: policy.window,
    max_transaction: money(policy.max_transaction_cents),
    approval_threshold: money(policy.approval_threshold_cents),
    allow_merchants: policy.allow_merchants.join('\n'),
    deny_merchants: policy.deny_merchants.join('\n'),
    allowed_categories: policy.allowed_categories.join('\n'),
    ask_on_new_merchant: policy.ask_on_new_merchant,
    over_budget: policy.over_budget,
    velocity_per_hour: policy.velocity_per_hour === null ? '' : String(policy.velocity_per_hour),
    rate_limit_per_minute: String(policy.rate_limit_per_minute),
    pause_on_over_budget: policy.pause_on_over_budget,
  };
}

/** The policy fields of the draft, as the API takes them (before validation). */
function policyFieldsOf(d: PolicyDraft): Record<keyof PolicyInput, unknown> {
  const money = (text: string) => (text.trim() === '' ? null : dollarsToCents(text));
  return {
    budget_cents: dollarsToCents(d.budget),
    period: d.period,
    window: d.window,
    max_transaction_cents: money(d.max_transaction),
    approval_threshold_cents: money(d.approval_threshold),
    allow_merchants: lines(d.allow_merchants),
    deny_merchants: lines(d.deny_merchants),
    allowed_categories: lines(d.allowed_categories),
    ask_on_new_merchant: d.ask_on_new_merchant,
    over_budget: d.over_budget,
    velocity_per_hour: d.velocity_per_hour.trim() === '' ? null : wholeNumber(d.velocity_per_hour),
    rate_limit_per_minute: wholeNumber(d.rate_limit_per_minute),
    pause_on_over_budget: d.pause_on_over_budget,
  };
}

/** Errors by field, each in plain words ("Must not be negative."), and one summary line. */
export interface FormErrors {
  fields: Partial<Record<DraftField, string>>;
  summary: string;
}

export type Parsed<T> = { ok: true; body: T } | { ok: false; errors: FormErrors };

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * A validation message as a person reads it. The schemas' own messages are plain already
 * ("must not be negative"); zod's defaults are not ("Too small: expected number to be
 * >=1"), and amounts are typed in dollars where the schema speaks of cents.
 */
export function plainMessage(field: DraftField | null, message: string): string {
  let m = message.trim();
  let match: RegExpExecArray | null;
  const n = (digits: string) => Number(digits).toLocaleString('en-US');
  if (field && MONEY_FIELDS.has(field)) {
    if (/whole number of cents/.test(m))
      return 'must be an amount in dollars with at most two decimals, like 25 or 12.50';
    if ((match = /^must be at most \d+ cents \((.+)\)$/.exec(m)))
      return `must be at most ${match[1]}`;
  }
  if ((match = /^Too small: expected \w+ to be >=\s*(-?\d+)/.exec(m)))
    return `must be at least ${n(match[1] ?? '')}`;
  if ((match = /^Too small: expected \w+ to be >\s*(-?\d+)/.exec(m)))
    return `must be more than ${n(match[1] ?? '')}`;
  if ((match = /^Too big: expected \w+ to be <=\s*(-?\d+)/.exec(m)))
    return `must be at most ${n(match[1] ?? '')}`;
  if ((match = /^Too big: expected \w+ to be <\s*(-?\d+)/.exec(m)))
    return `must be less than ${n(match[1] ?? '')}`;
  if (/^Invalid input: expected (int|number)/.test(m)) return 'must be a whole number, like 10';
  if (/^Invalid input: expected boolean/.test(m)) return 'must be on or off';
  if (/^Invalid input: expected string/.test(m)) return 'must be text';
  if ((match = /^Invalid option: expected one of (.+)$/.exec(m)))
    return `must be one of ${(match[1] ?? '').replace(/"/g, '').split('|').join(', ')}`;
  if (/^Unrecognized key/.test(m)) return 'is not a setting Purser knows';
  m = m.replace(/\.$/, '');
  return m;
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/** Issues (from zod here, or the API's `details.issues`) as form errors. */
function formErrorsOf(issues: Issue[], lead: string): FormErrors {
  const fields: Partial<Record<DraftField, string>> = {};
  const words: string[] = [];
  for (const issue of issues) {
    const [first, index] = issue.path;
    const field = DRAFT_FIELD[String(first)] ?? null;
    let text = plainMessage(field, issue.message);
    if (field && LIST_FIELDS.has(field) && typeof index === 'number')
      text = `entry ${index + 1}: ${text}`;
    if (field === null) {
      words.push(sentence(text));
      continue;
    }
    if (fields[field] !== undefined) continue; // one message per field: the first
    fields[field] = sentence(text);
    words.push(`${FIELD_LABEL[field]}: ${text}.`);
  }
  return { fields, summary: `${lead} ${words.join(' ')}`.trim() };
}

/** A field named as the API names it ("allow_merchants.3") as the path of an issue. */
const pathOf = (field: string): PropertyKey[] =>
  field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));

/**
 * Why the API refused a form, in plain words, attached to the fields it names: a schema
 * failure's `details.issues`, a bad text's `details.field`, a body over the size limit.
 * Anything else is the API's own message, which is written for people.
 */
export function apiFormErrors(error: unknown): FormErrors {
  if (!(error instanceof OwnerApiError)) {
    const text = error instanceof Error ? error.message : String(error);
    return { fields: {}, summary: `Purser could not be reached (${text}). Try again.` };
  }
  if (error.notLoggedIn) return { fields: {}, summary: NOT_LOGGED_IN };
  const envelope: ErrorEnvelope | undefined = error.envelope;
  if (!envelope) return { fields: {}, summary: `Purser refused it (HTTP ${error.status}).` };
  const { message, details } = envelope.error;
  const lead = 'Purser refused it:';
  const issues = details.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    return formErrorsOf(
      (issues as Array<{ field?: unknown; message?: unknown }>).map((i) => ({
        path: pathOf(String(i.field ?? '')),
        message: String(i.message ?? 'is invalid'),
      })),
      lead,
    );
  }
  if (error.status === 413) {
    const limit = typeof details.limit_bytes === 'number' ? details.limit_bytes : null;
    const size = limit === null ? '' : ` (at most ${Math.floor(limit / 1024)} KiB)`;
    return {
      fields: {},
      summary: `${lead} ${message.replace(/\.$/, '')}${size}. Shorten the merchant and category lists.`,
    };
  }
  if (typeof details.field === 'string') {
    const [first] = pathOf(details.field);
    const field = DRAFT_FIELD[String(first)];
    if (field) return { fields: { [field]: sentence(message) }, summary: `${lead} ${message}` };
  }
  return { fields: {}, summary: `${lead} ${message}` };
}

const CHECK_LEAD = 'Check the form:';

/** A new agent: the draft checked with the schema `POST /admin/v1/agents` uses. */
export function parseCreate(d: PolicyDraft): Parsed<AgentCreateInput> {
  const body = { name: d.name, mode: d.mode, ...policyFieldsOf(d) };
  const result = agentCreateBody.safeParse(body);
  if (!result.success) return { ok: false, errors: formErrorsOf(result.error.issues, CHECK_LEAD) };
  return { ok: true, body: result.data };
}

/**
 * An edit: the fields that differ from `current`, checked with the schema
 * `PATCH /admin/v1/agents/:id/policy` uses. An empty patch means nothing changed.
 */
export function parsePolicyEdit(d: PolicyDraft, current: PolicyInput): Parsed<PolicyPatch> {
  const fields = policyFieldsOf(d);
  const patch: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const before = current[name as keyof PolicyInput];
    if (JSON.stringify(value) !== JSON.stringify(before) || Number.isNaN(value))
      patch[name] = value;
  }
  const result = policyPatch.safeParse(patch);
  if (!result.success) return { ok: false, errors: formErrorsOf(result.error.issues, CHECK_LEAD) };
  return { ok: true, body: result.data };
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
