import { createParser } from 'eventsource-parser';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { LedgerFilterParams, LedgerVerifyStatusView } from '../../../shared/ledger';
import type { PolicyPatch } from '../../../shared/schemas/policy';
import {
  isOwnerEventName,
  ownerPath,
  ownerRequest,
  type OwnerAnswer,
  type OwnerBody,
  type OwnerCallArgs,
  type OwnerCallName,
  type OwnerEvent,
  type OwnerQuery,
} from '../../../shared/contract/owner';
import { useSession } from '../stores/session';

// Every type of an answer or a body is the owner contract's (shared/contract/owner.ts),
// under the names the stores and components already import.
export type SettingsView = OwnerAnswer<'getSettings'>;
export type SettingsPatch = OwnerBody<'updateSettings'>;
export type FundingSourceView = OwnerAnswer<'deposit'>;
export type ChainAccountView = OwnerAnswer<'createAgentWallet'>;
export type AllowanceView = OwnerAnswer<'setAllowance'>;
/** Chains, accounts with their USDC balances, and allowances (docs/chain.md). */
export type ChainSummaryView = OwnerAnswer<'chainSummary'>;
/** An agent's spending key as listed: never the key itself (only its prefix and last four). */
export type KeyView = OwnerAnswer<'revokeKey'>;
/** A key just issued: the only answer that carries the key (`key`). */
export type IssuedKeyView = OwnerAnswer<'issueKey'>;
export type KeyIssueBody = OwnerBody<'issueKey'>;
/** What `POST /admin/v1/agents` takes: a name, and any policy fields (the rest default). */
export type AgentCreateInput = OwnerBody<'createAgent'>;
/** A page of the ledger, newest first; `next_before_seq` pages on (null: the last page). */
export type LedgerPage = OwnerAnswer<'ledgerPage'>;
/** The ledger's filters and cursor (`from`/`to` ISO 8601, `to` exclusive). */
export type LedgerParams = OwnerQuery<'ledgerPage'>;
/** What the owner's event stream says happened on chain (shared/schemas/chain.ts). */
export type ChainEventView = Extract<OwnerEvent, { event: 'chain' }>['data'];
/** One event of the owner's stream, typed by `ownerEvents` (shared/contract/events.ts). */
export type { OwnerEvent };

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

/** The live stream's state, for the window to say when Purser is out of reach. */
export type Connection = 'connecting' | 'live' | 'lost';

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

  /** A call by method and path, its answer typed by the caller: `call` types it for you. */
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

  /** Any owner route that answers JSON, typed by the contract: `call('getAgent', { params })`. */
  async call<N extends OwnerCallName>(
    name: N,
    ...input: OwnerCallArgs<N>
  ): Promise<OwnerAnswer<N>> {
    // Inside the promise: an id the path refuses (`..`) rejects it like any failed call.
    const { method, path, body } = ownerRequest(name, ...input);
    return this.request<OwnerAnswer<N>>(method, path, body);
  }

  agents() {
    return this.call('listAgents');
  }

  agent(id: string) {
    return this.call('getAgent', { params: { id } });
  }

  /** A new agent; its policy fields are optional (budget 0 unless given: it spends nothing). */
  createAgent(body: AgentCreateInput) {
    return this.call('createAgent', { body });
  }

  /** The next policy version: the fields named change, the rest carry over. */
  updatePolicy(agentId: string, patch: PolicyPatch) {
    return this.call('updatePolicy', { params: { id: agentId }, body: patch });
  }

  /** Paused: every spend request is declined (`agent_paused`) until resumed. */
  pauseAgent(agentId: string) {
    return this.call('pauseAgent', { params: { id: agentId } });
  }

  resumeAgent(agentId: string) {
    return this.call('resumeAgent', { params: { id: agentId } });
  }

  agentKeys(agentId: string) {
    return this.call('listKeys', { params: { id: agentId } });
  }

  /** The answer carries the key in plaintext, once: nothing can show it again. */
  issueKey(agentId: string, body: KeyIssueBody = {}) {
    return this.call('issueKey', { params: { id: agentId }, body });
  }

  revokeKey(keyId: string) {
    return this.call('revokeKey', { params: { id: keyId } });
  }

  /** One page of the ledger, newest first. */
  ledger(params: LedgerParams = {}) {
    return this.call('ledgerPage', { query: params });
  }

  /** Every entry matching the filter, as a CSV or JSON file (streamed by the server). */
  async ledgerExport(filter: LedgerFilterParams, format: 'csv' | 'json'): Promise<Blob> {
    const response = await fetch(ownerPath('ledgerExport', undefined, { ...filter, format }), {
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
  async startLedgerVerify(): Promise<LedgerVerifyStatusView> {
    const answer = await this.call('verifyLedger', { query: { wait: 'false' } });
    // `wait=false` is answered at once (202) with the progress; were it the finished run's
    // result (200), the status says the same.
    return 'run' in answer ? answer : this.ledgerVerifyStatus();
  }

  /** The verification under way (entries checked of the total), or the last one's result. */
  ledgerVerifyStatus() {
    return this.call('ledgerVerifyStatus');
  }

  approvals() {
    return this.call('listApprovals');
  }

  spendRequest(id: string) {
    return this.call('getSpendRequest', { params: { id } });
  }

  approveSpend(id: string, body: OwnerBody<'approveSpend'>) {
    return this.call('approveSpend', { params: { id }, body });
  }

  declineSpend(id: string, body: OwnerBody<'declineSpend'>) {
    return this.call('declineSpend', { params: { id }, body });
  }

  settings() {
    return this.call('getSettings');
  }

  updateSettings(patch: SettingsPatch) {
    return this.call('updateSettings', { body: patch });
  }

  /** The panic button: every agent's spending is declined until unfrozen. */
  freeze() {
    return this.call('freeze');
  }

  unfreeze() {
    return this.call('unfreeze');
  }

  fundingSources() {
    return this.call('listFundingSources');
  }

  /** Chains, accounts with their USDC balances, and allowances (docs/chain.md). */
  chain() {
    return this.call('chainSummary');
  }

  /** A Purser-held wallet for the agent; the key is sealed in Purser and never shown. */
  createAgentWallet(agentId: string) {
    return this.call('createAgentWallet', { params: { id: agentId } });
  }

  /** USDC from the owner's account to the agent's wallet, answered once confirmed. */
  fundAgentWallet(agentId: string, body: OwnerBody<'fundAgentWallet'>) {
    return this.call('fundAgentWallet', { params: { id: agentId }, body });
  }

  /** Sets the agent's allowance to zero on chain, answered once confirmed. */
  revokeAllowance(agentId: string) {
    return this.call('revokeAllowance', { params: { id: agentId } });
  }

  approveBudget(id: string, body: OwnerBody<'approveBudgetRequest'>) {
    return this.call('approveBudgetRequest', { params: { id }, body });
  }

  rejectBudget(id: string, body: OwnerBody<'rejectBudgetRequest'>) {
    return this.call('rejectBudgetRequest', { params: { id }, body });
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
          const response = await fetch(ownerPath('events', undefined), {
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
      if (!isOwnerEventName(message.event)) return; // a newer server's event: not ours to read
      // The data of each name is as `ownerEvents` says: test/integration/owner-contract.test.ts
      // parses every kind the server sends with it.
      onEvent({ event: message.event, data: JSON.parse(message.data) } as OwnerEvent);
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

export function messageOf(error: unknown): string {
  if (error instanceof OwnerApiError && error.notLoggedIn) return NOT_LOGGED_IN;
  return error instanceof Error ? error.message : String(error);
}

export const NOT_LOGGED_IN =
  'This window is not logged in. Open the login link that `purser serve` printed, or run `purser login` for a new one.';
