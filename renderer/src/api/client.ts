import type { ErrorEnvelope } from '../../../shared/errors';
import type { LedgerFilterParams, LedgerVerifyStatusView } from '../../../shared/ledger';
import {
  type OwnerAnswer,
  type OwnerBody,
  type OwnerEvent,
  type OwnerQuery,
} from '../../../shared/contract/owner';
import { createOwnerClient } from '../../../shared/contract/owner-client';
import { followOwnerEvents } from '../../../shared/contract/event-follower';
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
/** A connection of an agent to a client: the key (once), the file written or the snippets. */
export type ConnectView = OwnerAnswer<'connectAgent'>;
export type ConnectBody = OwnerBody<'connectAgent'>;
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
 * The window's adapter of the one owner client (shared/contract/owner-client.ts). Every
 * call is same-origin and carries the session token as `Authorization: Bearer` (never a
 * cookie: docs/trust-model.md). A 401 means the session has ended, and the session store
 * says so on screen.
 */
const client = createOwnerClient({
  baseUrl: '',
  token: () => useSession.getState().token() ?? undefined,
  init: { credentials: 'omit' },
  refused: (status, envelope) => new OwnerApiError(status, envelope),
  onStatus: (status) => {
    if (status === 401) useSession.getState().ended();
  },
});

export const api = {
  /** Any owner route that answers JSON, typed by the contract: `call('getAgent', { params })`. */
  call: client.call,

  /** Every entry matching the filter, as a CSV or JSON file (streamed by the server). */
  async ledgerExport(filter: LedgerFilterParams, format: 'csv' | 'json'): Promise<Blob> {
    const response = await client.open('ledgerExport', undefined, { ...filter, format });
    return response.blob();
  },

  /** Starts verifying the hash chain (or joins the run under way); answers at once. */
  async startLedgerVerify(): Promise<LedgerVerifyStatusView> {
    const answer = await client.call('verifyLedger', { query: { wait: 'false' } });
    // `wait=false` is answered at once (202) with the progress; were it the finished run's
    // result (200), the status says the same.
    return 'run' in answer ? answer : client.call('ledgerVerifyStatus');
  },

  /**
   * New pending requests and every decision, as they commit, each checked against the
   * contract (shared/contract/event-follower.ts). Reconnects after a drop; stops for good
   * when the session has ended.
   */
  events(
    onEvent: (e: OwnerEvent) => void,
    onConnection: (state: Connection) => void = () => undefined,
  ): () => void {
    const follower = followOwnerEvents({
      client,
      onEvent,
      onOpen: () => onConnection('live'),
      // A dropped stream may mean Purser restarted; the next call tells (401 = ended).
      onClose: () => onConnection('lost'),
      final: (error) => error instanceof OwnerApiError && error.notLoggedIn,
      retryDelaysMs: RECONNECT_MS,
    });
    return () => follower.close();
  },
};

export function messageOf(error: unknown): string {
  if (error instanceof OwnerApiError && error.notLoggedIn) return NOT_LOGGED_IN;
  return error instanceof Error ? error.message : String(error);
}

export const NOT_LOGGED_IN =
  'This window is not logged in. Open the login link that `purser serve` printed, or run `purser login` for a new one.';
