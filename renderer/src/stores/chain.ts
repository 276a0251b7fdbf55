import { create } from 'zustand';
import {
  api,
  messageOf,
  type ChainEventView,
  type ChainSummaryView,
  type Connection,
  type FundingSourceView,
  type OwnerEvent,
} from '../api/client';
import { runAction } from './run-action';

/** One piece of on-chain news from the event stream, as the Wallet page lists it. */
export interface ChainNews extends ChainEventView {
  /** Local to this window: a key for the list. */
  seq: number;
  at: string;
  /** The same news again (a chain that stays unreachable fails every poll): counted, not repeated. */
  repeats: number;
}

/** How many pieces of news the page keeps; older ones are in the ledger. */
const NEWS_KEPT = 50;

interface ChainState {
  summary: ChainSummaryView | null;
  funding: FundingSourceView[];
  /** The last load failed: shown in place of what could not be read. */
  error: string | null;
  /** An action the server refused: shown until dismissed, not cleared by the next load. */
  actionError: string | null;
  /** What an action in flight is about (`wallet:agt_…`, `fund:agt_…`, `revoke:agt_…`, `deposit`). */
  busy: string | null;
  loading: boolean;
  /** Newest first. */
  news: ChainNews[];
  load(): Promise<void>;
  apply(event: OwnerEvent): void;
  setConnection(state: Connection): void;
  createWallet(agentId: string): Promise<void>;
  fund(agentId: string, amountCents: number): Promise<void>;
  /** Adds money to the default cash source of a mode: a deposit the owner makes (ledgered). */
  deposit(amountCents: number, mode: 'live' | 'test'): Promise<void>;
  revoke(agentId: string): Promise<void>;
  dismiss(): void;
}

/**
 * Whole cents from dollars as typed (`12`, `12.5`, `12.50`, `1,200.00`), by string, never
 * through a float; null for anything else or for zero.
 */
export function centsFromDollars(text: string): number | null {
  const match = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d{1,10})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const whole = Number((match[1] ?? '').replaceAll(',', ''));
  const cents = whole * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) && cents > 0 ? cents : null;
}

/**
 * Token units as micro-dollars, exactly (USDC has six decimals: a unit is a micro), or null
 * where they do not convert exactly: then only the units are shown.
 */
export function unitsToMicros(units: string | null, decimals: number): bigint | null {
  if (units === null || !/^\d{1,78}$/.test(units)) return null;
  const value = BigInt(units);
  if (decimals <= 6) return value * 10n ** BigInt(6 - decimals);
  const per = 10n ** BigInt(decimals - 6);
  return value % per === 0n ? value / per : null;
}

/** The summary with this agent's allowance revoked by `txHash`, as a confirmed revoke says. */
function markRevoked(
  summary: ChainSummaryView,
  agentId: string,
  txHash: string | null,
): ChainSummaryView {
  return {
    ...summary,
    allowances: summary.allowances.map((a) =>
      a.agent_id === agentId && a.status === 'active'
        ? { ...a, status: 'revoked', tx_hash: txHash ?? a.tx_hash }
        : a,
    ),
  };
}

/**
 * The wallet's money as the Wallet page shows it: funding sources, and on chain the chains,
 * the owner's and agents' accounts, allowances, and what the event stream says happens there
 * (above all each allowance revoke a panic sends, as it is confirmed).
 */
export const useChain = create<ChainState>((set, get) => {
  let seq = 0;
  // One load at a time; news that arrives meanwhile asks for one more after it.
  let inFlight: Promise<void> | null = null;
  let again = false;
  let connection: Connection = 'connecting';
  // Revokes confirmed while a read was under way: that read may predate them.
  let heardDuringRead: Map<string, string | null> | null = null;

  const loadOnce = async () => {
    const heard = new Map<string, string | null>();
    heardDuringRead = heard;
    // Each read on its own: funding sources still show when the chain cannot be read.
    const [summary, funding] = await Promise.allSettled([
      api.call('chainSummary'),
      api.call('listFundingSources'),
    ]);
    heardDuringRead = null;
    let read = summary.status === 'fulfilled' ? summary.value : null;
    for (const [agentId, txHash] of heard) if (read) read = markRevoked(read, agentId, txHash);
    set({
      ...(read && { summary: read }),
      ...(funding.status === 'fulfilled' && { funding: funding.value.funding_sources }),
      error:
        summary.status === 'rejected'
          ? messageOf(summary.reason)
          : funding.status === 'rejected'
            ? messageOf(funding.reason)
            : null,
    });
  };

  const act = (busy: string, action: () => Promise<unknown>) =>
    runAction(set, busy, action, () => get().load());

  return {
    summary: null,
    funding: [],
    error: null,
    actionError: null,
    busy: null,
    loading: false,
    news: [],
    load() {
      if (inFlight) {
        again = true;
        return inFlight;
      }
      set({ loading: true });
      inFlight = (async () => {
        do {
          again = false;
          await loadOnce();
        } while (again);
      })().finally(() => {
        inFlight = null;
        set({ loading: false });
      });
      return inFlight;
    },
    apply(event) {
      if (event.event !== 'chain') return;
      const e = event.data;
      const [last, ...older] = get().news;
      const at = new Date().toISOString();
      const news =
        last && last.kind === e.kind && last.message === e.message && last.tx_hash === e.tx_hash
          ? [{ ...last, at, repeats: last.repeats + 1 }, ...older]
          : [{ ...e, seq: ++seq, at, repeats: 0 }, ...get().news].slice(0, NEWS_KEPT);
      const summary = get().summary;
      // The revoke is committed and confirmed on chain when this arrives: the row says so at
      // once, and the reload below brings what the chain now reports.
      if (e.kind === 'allowance_revoked' && e.agent_id) {
        heardDuringRead?.set(e.agent_id, e.tx_hash);
        set({ news, ...(summary && { summary: markRevoked(summary, e.agent_id, e.tx_hash) }) });
      } else {
        set({ news });
      }
      // Read again once the page has read at all (or is reading); opening it later reads afresh.
      if (summary || inFlight) void get().load();
    },
    setConnection(state) {
      const was = connection;
      connection = state;
      // Back after a drop: news sent meanwhile was lost, so read the chain again.
      if (state === 'live' && was === 'lost' && get().summary) void get().load();
    },
    createWallet: (agentId) =>
      act(`wallet:${agentId}`, () => api.call('createAgentWallet', { params: { id: agentId } })),
    fund: (agentId, amountCents) =>
      act(`fund:${agentId}`, () =>
        api.call('fundAgentWallet', {
          params: { id: agentId },
          body: { amount_cents: amountCents },
        }),
      ),
    deposit: (amountCents, mode) =>
      act('deposit', () => api.call('deposit', { body: { amount_cents: amountCents, mode } })),
    revoke: (agentId) =>
      act(`revoke:${agentId}`, () => api.call('revokeAllowance', { params: { id: agentId } })),
    dismiss: () => set({ actionError: null }),
  };
});
