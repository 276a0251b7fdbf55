import { createParser } from 'eventsource-parser';
import { centsToMicros, formatUsd } from '../../../shared/money';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { LedgerFilterParams, LedgerVerifyStatusView } from '../../../shared/ledger';
import type { PolicyPatch } from '../../../shared/schemas/policy';
import type {
  agentCreateBody,
  AgentView,
  fundingSourceView,
  issuedKey,
  keyIssueBody,
  keyView,
  LedgerEntryView,
  OwnerBudgetRequestView,
  OwnerSpendView,
  settingsView,
  settingsPatch,
} from '../../../shared/schemas/owner-api';
import type {
  accountView,
  allowanceView,
  ChainEventView,
  ChainSummaryView,
} from '../../../shared/schemas/chain';
import type { z } from 'zod';

export type SettingsView = z.infer<typeof settingsView>;
export type SettingsPatch = z.input<typeof settingsPatch>;
export type FundingSourceView = z.infer<typeof fundingSourceView>;
export type ChainAccountView = z.infer<typeof accountView>;
export type AllowanceView = z.infer<typeof allowanceView>;
export type { ChainSummaryView };
/** An agent's spending key as listed: never the key itself (only its prefix and last four). */
export type KeyView = z.infer<typeof keyView>;
/** A key just issued: the only answer that carries the key (`key`). */
export type IssuedKeyView = z.infer<typeof issuedKey>;
export type KeyIssueBody = z.input<typeof keyIssueBody>;
/** What `POST /admin/v1/agents` takes: a name, and any policy fields (the rest default). */
export type AgentCreateInput = z.input<typeof agentCreateBody>;
/** A page of the ledger, newest first; `next_before_seq` pages on (null: the last page). */
export interface LedgerPage {
  entries: LedgerEntryView[];
  next_before_seq: number | null;
}
export interface LedgerParams {
  agent_id?: string;
  type?: string;
  status?: string;
  merchant?: string;
  rail?: string;
  /** ISO 8601: entries at or after. */
  from?: string;
  /** ISO 8601: entries before. */
  to?: string;
  before_seq?: number;
  limit?: number;
}

/** What the owner's event stream says happened on chain (shared/schemas/chain.ts). */
export type { ChainEventView };
import { useSession } from '../stores/session';

export class OwnerApiError extends Error {
  constructor(
    readonly status: number,
    readonly envelope: ErrorEnvelope | undefined,
  ) {
    super(envelope?.error.message ?? `HTTP ${status}`);
  }

  /** The window has no live session (never logged in, or it ended). */
  get notLoggedIn(): boolean {
    return this.status === 401;
  }
}

export type OwnerEvent =
  | { event: 'spend'; data: OwnerSpendView }
  | { event: 'budget_request'; data: OwnerBudgetRequestView }
  | {
      event: 'alert';
      data: {
        kind: string;
        agent_id: string;
        agent_name: string;
        message: string;
        object_id: string;
      };
    }
  | { event: 'receipt'; data: { id: string; agent_id: string; agent_name: string } }
  | { event: 'settings'; data: SettingsView }
  | { event: 'agent'; data: { agent_id: string; change: 'created' | 'policy' | 'status' | 'keys' } }
  | { event: 'chain'; data: ChainEventView };

/** The live stream's state, for the window to say when Purser is out of reach. */
export type Connection = 'connecting' | 'live' | 'lost';

const EVENT_NAMES: ReadonlyArray<OwnerEvent['event']> = [
  'spend',
  'budget_request',
  'alert',
  'receipt',
  'settings',
  'chain',
  'agent',
];
const RECONNECT_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * The window's one client of the owner API. Every call is same-origin and carries the
 * session token as `Authorization: Bearer` (never a cookie: docs/trust-model.md). A 401
 * means the session has ended, and the session store says so on screen.
 */
export class OwnerApi {
  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const token = useSession.getState().token();
    return token ? { authorization: `Bearer ${token}`, ...extra } : extra;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
    const payload = (await response.json().catch(() => undefined)) as unknown;
    if (response.status === 401) useSession.getState().ended();
    if (!response.ok)
      throw new OwnerApiError(response.status, payload as ErrorEnvelope | undefined);
    return payload as T;
  }

  agents() {
    return this.request<{ agents: AgentView[] }>('GET', '/admin/v1/agents');
  }

  agent(id: string) {
    return this.request<AgentView>('GET', `/admin/v1/agents/${encodeURIComponent(id)}`);
  }

  /** A new agent; its policy fields are optional (budget 0 unless given: it spends nothing). */
  createAgent(body: AgentCreateInput) {
    return this.request<AgentView>('POST', '/admin/v1/agents', body);
  }

  /** The next policy version: the fields named change, the rest carry over. */
  updatePolicy(agentId: string, patch: PolicyPatch) {
    return this.request<AgentView>(
      'PATCH',
      `/admin/v1/agents/${encodeURIComponent(agentId)}/policy`,
      patch,
    );
  }

  /** Paused: every spend request is declined (`agent_paused`) until resumed. */
  pauseAgent(agentId: string) {
    return this.request<AgentView>('POST', `/admin/v1/agents/${encodeURIComponent(agentId)}/pause`);
  }

  resumeAgent(agentId: string) {
    return this.request<AgentView>(
      'POST',
      `/admin/v1/agents/${encodeURIComponent(agentId)}/resume`,
    );
  }

  agentKeys(agentId: string) {
    return this.request<{ keys: KeyView[] }>(
      'GET',
      `/admin/v1/agents/${encodeURIComponent(agentId)}/keys`,
    );
  }

  /** The answer carries the key in plaintext, once: nothing can show it again. */
  issueKey(agentId: string, body: KeyIssueBody = {}) {
    return this.request<IssuedKeyView>(
      'POST',
      `/admin/v1/agents/${encodeURIComponent(agentId)}/keys`,
      body,
    );
  }

  revokeKey(keyId: string) {
    return this.request<KeyView>('POST', `/admin/v1/keys/${encodeURIComponent(keyId)}/revoke`);
  }

  /** One page of the ledger, newest first. */
  ledger(params: LedgerParams = {}) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params))
      if (value !== undefined) query.set(name, String(value));
    const qs = query.toString();
    return this.request<LedgerPage>('GET', `/admin/v1/ledger${qs ? `?${qs}` : ''}`);
  }

  /** Every entry matching the filter, as a CSV or JSON file (streamed by the server). */
  async ledgerExport(filter: LedgerFilterParams, format: 'csv' | 'json'): Promise<Blob> {
    const query = new URLSearchParams({ ...filter, format });
    const response = await fetch(`/admin/v1/ledger/export?${query}`, {
      headers: this.headers(),
      credentials: 'omit',
    });
    if (response.status === 401) useSession.getState().ended();
    if (!response.ok) {
      const payload = (await response.json().catch(() => undefined)) as unknown;
      throw new OwnerApiError(response.status, payload as ErrorEnvelope | undefined);
    }
    return response.blob();
  }

  /** Starts verifying the hash chain (or joins the run under way); answers at once. */
  startLedgerVerify() {
    return this.request<LedgerVerifyStatusView>('POST', '/admin/v1/ledger/verify?wait=false');
  }

  /** The verification under way (entries checked of the total), or the last one's result. */
  ledgerVerifyStatus() {
    return this.request<LedgerVerifyStatusView>('GET', '/admin/v1/ledger/verify');
  }

  approvals() {
    return this.request<{
      spend_requests: OwnerSpendView[];
      budget_requests: OwnerBudgetRequestView[];
    }>('GET', '/admin/v1/approvals');
  }

  spendRequest(id: string) {
    return this.request<OwnerSpendView>(
      'GET',
      `/admin/v1/spend-requests/${encodeURIComponent(id)}`,
    );
  }

  approveSpend(id: string, body: { comment?: string; override_budget?: boolean }) {
    return this.request<OwnerSpendView>(
      'POST',
      `/admin/v1/spend-requests/${encodeURIComponent(id)}/approve`,
      body,
    );
  }

  declineSpend(id: string, body: { comment?: string }) {
    return this.request<OwnerSpendView>(
      'POST',
      `/admin/v1/spend-requests/${encodeURIComponent(id)}/decline`,
      body,
    );
  }

  settings() {
    return this.request<SettingsView>('GET', '/admin/v1/settings');
  }

  /** The panic button: every agent's spending is declined until unfrozen. */
  updateSettings(patch: SettingsPatch) {
    return this.request<SettingsView>('PATCH', '/admin/v1/settings', patch);
  }

  freeze() {
    return this.request<SettingsView>('POST', '/admin/v1/freeze');
  }

  unfreeze() {
    return this.request<SettingsView>('POST', '/admin/v1/unfreeze');
  }

  fundingSources() {
    return this.request<{ funding_sources: FundingSourceView[] }>(
      'GET',
      '/admin/v1/funding-sources',
    );
  }

  /** Chains, accounts with their USDC balances, and allowances (docs/chain.md). */
  chain() {
    return this.request<ChainSummaryView>('GET', '/admin/v1/chain');
  }

  /** A Purser-held wallet for the agent; the key is sealed in Purser and never shown. */
  createAgentWallet(agentId: string) {
    return this.request<ChainAccountView>(
      'POST',
      `/admin/v1/agents/${encodeURIComponent(agentId)}/wallet`,
    );
  }

  /** USDC from the owner's account to the agent's wallet, answered once confirmed. */
  fundAgentWallet(agentId: string, body: { amount_cents: number; chain?: string }) {
    return this.request<{ tx_hash: string }>(
      'POST',
      `/admin/v1/agents/${encodeURIComponent(agentId)}/wallet/fund`,
      body,
    );
  }

  /** Sets the agent's allowance to zero on chain, answered once confirmed. */
  revokeAllowance(agentId: string) {
    return this.request<AllowanceView>(
      'DELETE',
      `/admin/v1/agents/${encodeURIComponent(agentId)}/allowance`,
    );
  }

  approveBudget(id: string, body: { amount_cents?: number; hours?: number; comment?: string }) {
    return this.request<OwnerBudgetRequestView>(
      'POST',
      `/admin/v1/budget-requests/${encodeURIComponent(id)}/approve`,
      body,
    );
  }

  rejectBudget(id: string, body: { reason?: string }) {
    return this.request<OwnerBudgetRequestView>(
      'POST',
      `/admin/v1/budget-requests/${encodeURIComponent(id)}/reject`,
      body,
    );
  }

  /**
   * Server-sent events: new pending requests and every decision, as they commit. Read with
   * fetch rather than EventSource, which cannot send the session header. Reconnects after
   * a drop; stops for good when the session has ended.
   */
  events(
    onEvent: (e: OwnerEvent) => void,
    onConnection: (state: Connection) => void = () => undefined,
  ): () => void {
    const controller = new AbortController();
    const run = async () => {
      for (let attempt = 0; !controller.signal.aborted; attempt += 1) {
        try {
          const response = await fetch('/admin/v1/events', {
            headers: this.headers({ accept: 'text/event-stream' }),
            credentials: 'omit',
            signal: controller.signal,
          });
          if (response.status === 401) return useSession.getState().ended();
          if (response.ok && response.body) {
            attempt = 0;
            onConnection('live');
            await readEvents(response.body, onEvent);
          }
        } catch {
          if (controller.signal.aborted) return;
        }
        onConnection('lost');
        // A dropped stream may mean Purser restarted; the next call tells (401 = ended).
        const delay = RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)];
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    };
    void run();
    return () => controller.abort();
  }
}

async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (e: OwnerEvent) => void,
): Promise<void> {
  const parser = createParser({
    onEvent(message) {
      const name = message.event as OwnerEvent['event'] | undefined;
      if (name === undefined || !EVENT_NAMES.includes(name)) return;
      onEvent({ event: name, data: JSON.parse(message.data) } as OwnerEvent);
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.feed(decoder.decode(value, { stream: true }));
  }
}

export const api = new OwnerApi();

/** Dollars from whole cents, through the one money formatter (shared/money.ts): no floats. */
export const usd = (cents: number) => formatUsd(centsToMicros(cents));

export function messageOf(error: unknown): string {
  if (error instanceof OwnerApiError && error.notLoggedIn) return NOT_LOGGED_IN;
  return error instanceof Error ? error.message : String(error);
}

export const NOT_LOGGED_IN =
  'This window is not logged in. Open the login link that `purser serve` printed, or run `purser login` for a new one.';
