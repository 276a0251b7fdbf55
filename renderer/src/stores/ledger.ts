import { create } from 'zustand';
import type { LedgerEntryView } from '../../../shared/schemas/owner-api';
import { LEDGER_FILTER_KEYS } from '../../../shared/ledger';
import { api, messageOf } from '../api/client';
import { exportName, saveFile } from './ledger-export';
import { EMPTY_FILTER, filterParams, type LedgerFilter } from './ledger-filter';
import { IDLE_VERIFY, verifyFromStatus, type VerifyState } from './ledger-verify';
import {
  cursorOf,
  initialWindow,
  ledgerReducer,
  PAGE_SIZE,
  planView,
  type LedgerAction,
  type LedgerWindow,
} from './ledger-window';

/**
 * The Ledger page's behaviour. The server pages the ledger newest first by cursor
 * (`before_seq`); the page keeps a window of those pages around what is on screen and drops
 * the rows of pages farther away, keeping only each page's cursor and size so it can read
 * them again when they come back into view. Nothing here ever holds the whole ledger.
 *
 * The window logic is plain functions over `LedgerWindow` (`ledgerReducer`, `planView`,
 * `rowAt`, …, in `ledger-window.ts`), tested without a browser; the zustand store below runs
 * them and talks to the server.
 */

/** How often the page asks whether newer entries match the filter. */
export const NEWER_POLL_MS = 3_000;
/** How often a running verification's progress is read. */
export const VERIFY_POLL_MS = 150;

/** An agent as the filters and rows name it. */
export interface LedgerAgent {
  id: string;
  name: string;
}

interface LedgerState {
  window: LedgerWindow;
  /** For the agent filter and the rows' agent column (the page reads them itself: light). */
  agents: LedgerAgent[];
  /** The entry whose details are open (kept even when its page is dropped). */
  selected: LedgerEntryView | null;
  verify: VerifyState;
  exporting: 'csv' | 'json' | null;
  /** Why an export or a verification could not start: shown until dismissed. */
  actionError: string | null;
  /** Opens the page: reads the first page (unless one is shown) and what verify is doing. */
  open(): void;
  close(): void;
  setFilter(patch: Partial<LedgerFilter>): void;
  clearFilter(): void;
  /** Back to the newest entries (after "newer entries"). */
  refresh(): void;
  /** Rows `first`..`last` are on screen. */
  view(first: number, last: number): void;
  retry(index: number): void;
  select(entry: LedgerEntryView | null): void;
  exportView(format: 'csv' | 'json'): Promise<void>;
  verifyChain(): Promise<void>;
  dismiss(): void;
}

export const useLedger = create<LedgerState>((set, get) => {
  let headTimer: ReturnType<typeof setInterval> | undefined;
  let verifyTimer: ReturnType<typeof setTimeout> | undefined;
  let opened = false;
  /** The first row on screen, as the table last said. */
  let firstOnScreen = 0;

  const dispatch = (action: LedgerAction) =>
    set((s) => {
      const next = ledgerReducer(s.window, action);
      return next === s.window ? s : { window: next };
    });

  const readFirst = async () => {
    const { generation, filter } = get().window;
    try {
      const page = await api.call('ledgerPage', {
        query: { ...filterParams(filter), limit: PAGE_SIZE },
      });
      dispatch({ type: 'first', generation, entries: page.entries, next: page.next_before_seq });
    } catch (error) {
      dispatch({ type: 'failed', generation, index: null, error: messageOf(error) });
    }
  };

  const readPage = async (index: number) => {
    const w = get().window;
    const before = cursorOf(w, index);
    if (before === undefined || before === null) return;
    const { generation } = w;
    dispatch({ type: 'requested', generation, index });
    if (!get().window.pages[index]?.loading) return;
    try {
      const page = await api.call('ledgerPage', {
        query: {
          ...filterParams(w.filter),
          before_seq: before,
          limit: PAGE_SIZE,
        },
      });
      dispatch({
        type: 'loaded',
        generation,
        index,
        entries: page.entries,
        next: page.next_before_seq,
      });
    } catch (error) {
      dispatch({ type: 'failed', generation, index, error: messageOf(error) });
    }
  };

  const checkHead = async () => {
    const { generation, filter, pending } = get().window;
    if (pending || document.visibilityState === 'hidden') return;
    try {
      const page = await api.call('ledgerPage', { query: { ...filterParams(filter), limit: 1 } });
      dispatch({ type: 'head', generation, newest: page.entries[0]?.seq ?? null });
      // At the top, the newer entries simply appear; further down they are offered.
      if (get().window.newer && !get().window.pending && firstOnScreen === 0) get().refresh();
    } catch {
      // the next poll asks again; the session store says if the session ended
    }
  };

  const pollVerify = (run: number) => {
    clearTimeout(verifyTimer);
    verifyTimer = setTimeout(() => {
      void (async () => {
        try {
          const verify = verifyFromStatus(await api.call('ledgerVerifyStatus'), run);
          set({ verify });
          if (opened && (verify.phase === 'running' || verify.phase === 'starting'))
            pollVerify(run || verify.run);
        } catch (error) {
          set({ verify: { ...get().verify, phase: 'failed', error: messageOf(error) } });
        }
      })();
    }, VERIFY_POLL_MS);
  };

  return {
    window: initialWindow(),
    agents: [],
    selected: null,
    verify: IDLE_VERIFY,
    exporting: null,
    actionError: null,
    open() {
      opened = true;
      if (get().window.pages.length === 0 || get().window.error) {
        dispatch({ type: 'refresh' });
        void readFirst();
      }
      void api
        .call('listAgents')
        .then(({ agents }) => set({ agents: agents.map((a) => ({ id: a.id, name: a.name })) }))
        .catch(() => undefined); // the rows show agent ids instead
      clearInterval(headTimer);
      headTimer = setInterval(() => void checkHead(), NEWER_POLL_MS);
      // A verification started elsewhere (the CLI, another window) shows here too.
      void api
        .call('ledgerVerifyStatus')
        .then((status) => {
          // What the server says wins over what this window last saw (it may have closed
          // the page while a run was starting).
          const verify = verifyFromStatus(status, 0);
          if (verify.phase !== 'idle' || get().verify.phase !== 'idle') set({ verify });
          if (verify.phase === 'running') pollVerify(verify.run);
        })
        .catch(() => undefined);
    },
    close() {
      opened = false;
      clearInterval(headTimer);
      clearTimeout(verifyTimer);
    },
    setFilter(patch) {
      const filter = { ...get().window.filter, ...patch };
      if (LEDGER_FILTER_KEYS.every((k) => filter[k] === get().window.filter[k])) return;
      dispatch({ type: 'filter', filter });
      void readFirst();
    },
    clearFilter() {
      get().setFilter(EMPTY_FILTER);
    },
    refresh() {
      dispatch({ type: 'refresh' });
      void readFirst();
    },
    view(first, last) {
      firstOnScreen = first;
      const { keep, fetch } = planView(get().window, first, last);
      const w = get().window;
      if (keep[0] !== w.keep[0] || keep[1] !== w.keep[1]) dispatch({ type: 'view', keep });
      for (const index of fetch) void readPage(index);
      // At the top with newer entries waiting: show them at once.
      if (first === 0 && get().window.newer && !get().window.pending) get().refresh();
    },
    retry(index) {
      if (index === 0 && get().window.pages.length <= 1) return get().refresh();
      void readPage(index);
    },
    select(entry) {
      set({ selected: entry });
    },
    async exportView(format) {
      const { filter } = get().window;
      set({ exporting: format, actionError: null });
      try {
        const blob = await api.ledgerExport(filterParams(filter), format);
        saveFile(blob, exportName(filter, format, new Date()));
      } catch (error) {
        set({ actionError: `Export failed: ${messageOf(error)}` });
      } finally {
        set({ exporting: null });
      }
    },
    async verifyChain() {
      set({ verify: { ...IDLE_VERIFY, phase: 'starting' }, actionError: null });
      try {
        const status = await api.startLedgerVerify();
        set({ verify: { ...verifyFromStatus(status, status.run) } });
        pollVerify(status.run);
      } catch (error) {
        set({ verify: IDLE_VERIFY, actionError: `Verify failed: ${messageOf(error)}` });
      }
    },
    dismiss: () => set({ actionError: null }),
  };
});
