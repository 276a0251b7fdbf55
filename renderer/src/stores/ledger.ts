import { create } from 'zustand';
import type { LedgerEntryView } from '../../../shared/schemas/owner-api';
import {
  LEDGER_FILTER_KEYS,
  type LedgerFilterKey,
  type LedgerFilterParams,
  type LedgerVerifyStatusView,
  type LedgerVerifyView,
} from '../../../shared/ledger';
import { api, messageOf } from '../api/client';

/**
 * The Ledger page's behaviour. The server pages the ledger newest first by cursor
 * (`before_seq`); the page keeps a window of those pages around what is on screen and drops
 * the rows of pages farther away, keeping only each page's cursor and size so it can read
 * them again when they come back into view. Nothing here ever holds the whole ledger.
 *
 * The window logic is plain functions over `LedgerWindow` (`ledgerReducer`, `planView`,
 * `rowAt`, …), tested without a browser; the zustand store below runs them and talks to the
 * server.
 */

/** Entries per server page. Every page but the last holds exactly this many. */
export const PAGE_SIZE = 200;
/** Pages kept in memory on either side of those on screen; rows of farther pages are dropped. */
export const KEEP_PAGES = 2;
/** How often the page asks whether newer entries match the filter. */
export const NEWER_POLL_MS = 3_000;
/** How often a running verification's progress is read. */
export const VERIFY_POLL_MS = 150;

/** The filter as the form holds it: '' is "any"; `from`/`to` are `datetime-local` values. */
export type LedgerFilter = Record<LedgerFilterKey, string>;

export const EMPTY_FILTER: LedgerFilter = {
  agent_id: '',
  type: '',
  status: '',
  merchant: '',
  rail: '',
  from: '',
  to: '',
};

/** One server page: entries with seq below `before`, newest first. */
export interface LedgerWindowPage {
  /** The cursor: entries with seq below this (for the newest page, one above its first). */
  before: number | null;
  /** Entries in the page once read (PAGE_SIZE for all but the last); kept when rows are dropped. */
  count: number;
  /** The next (older) page's cursor, or null when nothing older matches. */
  next: number | null;
  /** The entries, or null when never read, or dropped for being far from the viewport. */
  rows: LedgerEntryView[] | null;
  /** Read at least once: `count` and `next` are known. */
  read: boolean;
  loading: boolean;
  error: string | null;
}

export interface LedgerWindow {
  /** Bumped by each new filter or refresh; answers for an older one are ignored. */
  generation: number;
  filter: LedgerFilter;
  pages: LedgerWindowPage[];
  /** Page indexes whose rows may stay in memory (the viewport's pages ± KEEP_PAGES). */
  keep: [number, number];
  /** The newest matching entry when the first page was read. */
  top: number | null;
  /** The first page of the current filter has not arrived yet (what shows is the previous one). */
  pending: boolean;
  /** Newer entries match the filter than the view shows. */
  newer: boolean;
  /** The first page could not be read. */
  error: string | null;
}

export type LedgerAction =
  | { type: 'filter'; filter: LedgerFilter }
  | { type: 'refresh' }
  | { type: 'first'; generation: number; entries: LedgerEntryView[]; next: number | null }
  | { type: 'requested'; generation: number; index: number }
  | {
      type: 'loaded';
      generation: number;
      index: number;
      entries: LedgerEntryView[];
      next: number | null;
    }
  | { type: 'failed'; generation: number; index: number | null; error: string }
  | { type: 'head'; generation: number; newest: number | null }
  | { type: 'view'; keep: [number, number] };

export function initialWindow(filter: LedgerFilter = EMPTY_FILTER): LedgerWindow {
  return {
    generation: 0,
    filter,
    pages: [],
    keep: [0, KEEP_PAGES],
    top: null,
    pending: true,
    newer: false,
    error: null,
  };
}

const inKeep = (keep: [number, number], index: number) => index >= keep[0] && index <= keep[1];

function replacePage(
  pages: LedgerWindowPage[],
  index: number,
  page: LedgerWindowPage,
): LedgerWindowPage[] {
  const copy = pages.slice();
  copy[index] = page;
  return copy;
}

/** The window after an event: pure, so the paging and dropping are tested as data. */
export function ledgerReducer(w: LedgerWindow, a: LedgerAction): LedgerWindow {
  switch (a.type) {
    case 'filter':
      // The old rows stay on screen (marked pending) until the new first page arrives.
      return { ...w, generation: w.generation + 1, filter: a.filter, pending: true, error: null };
    case 'refresh':
      // The newest entries are being read: nothing newer to offer until they are shown.
      return { ...w, generation: w.generation + 1, pending: true, newer: false, error: null };
    case 'first': {
      if (a.generation !== w.generation) return w;
      const newest = a.entries[0]?.seq;
      const page: LedgerWindowPage = {
        // Read again (after a drop) below the newest entry it had, never from the head:
        // entries that arrived since must not shift it.
        before: newest === undefined ? null : newest + 1,
        count: a.entries.length,
        next: a.next,
        rows: a.entries,
        read: true,
        loading: false,
        error: null,
      };
      return {
        ...w,
        pages: [page],
        keep: [0, KEEP_PAGES],
        top: a.entries[0]?.seq ?? null,
        pending: false,
        newer: false,
        error: null,
      };
    }
    case 'requested': {
      if (a.generation !== w.generation || w.pending) return w;
      const existing = w.pages[a.index];
      if (existing) {
        return {
          ...w,
          pages: replacePage(w.pages, a.index, { ...existing, loading: true, error: null }),
        };
      }
      // A new, older page: only right after the last one, and only if it has a cursor.
      const last = w.pages[a.index - 1];
      if (a.index !== w.pages.length || !last?.read || last.next === null) return w;
      const page: LedgerWindowPage = {
        before: last.next,
        count: 0,
        next: null,
        rows: null,
        read: false,
        loading: true,
        error: null,
      };
      return { ...w, pages: [...w.pages, page] };
    }
    case 'loaded': {
      const page = w.pages[a.index];
      if (a.generation !== w.generation || !page) return w;
      const loaded: LedgerWindowPage = {
        ...page,
        count: a.entries.length,
        next: a.next,
        // A page that has scrolled far away meanwhile keeps only its cursor and size.
        rows: inKeep(w.keep, a.index) ? a.entries : null,
        read: true,
        loading: false,
        error: null,
      };
      return { ...w, pages: replacePage(w.pages, a.index, loaded) };
    }
    case 'failed': {
      if (a.generation !== w.generation) return w;
      if (a.index === null) return { ...w, pending: false, error: a.error };
      const page = w.pages[a.index];
      if (!page) return w;
      return {
        ...w,
        pages: replacePage(w.pages, a.index, { ...page, loading: false, error: a.error }),
      };
    }
    case 'head':
      if (a.generation !== w.generation || w.pending) return w;
      return { ...w, newer: a.newest !== null && (w.top === null || a.newest > w.top) };
    case 'view': {
      const [from, to] = a.keep;
      let changed = false;
      const pages = w.pages.map((p, i) => {
        if (p.rows === null || (i >= from && i <= to)) return p;
        changed = true;
        return { ...p, rows: null };
      });
      return { ...w, keep: a.keep, pages: changed ? pages : w.pages };
    }
  }
}

/** Entries the window knows of (read at least once), whether or not their rows are held. */
export function knownRows(w: LedgerWindow): number {
  let n = 0;
  for (const p of w.pages) n += p.count;
  return n;
}

/** Nothing older matches: the last page has been read and has no cursor after it. */
export function atEnd(w: LedgerWindow): boolean {
  const last = w.pages.at(-1);
  return !w.pending && last !== undefined && last.read && last.next === null;
}

/** Rows the list shows: the known entries, and one "loading older" row until the end. */
export function rowCount(w: LedgerWindow): number {
  if (w.pages.length === 0) return 0;
  return knownRows(w) + (atEnd(w) ? 0 : 1);
}

/** The entry at a row, or null when its page is not in memory (or the row is past the end). */
export function rowAt(w: LedgerWindow, index: number): LedgerEntryView | null {
  return w.pages[Math.floor(index / PAGE_SIZE)]?.rows?.[index % PAGE_SIZE] ?? null;
}

/** The page a row belongs to (the row past the last known one belongs to the next page). */
export const pageOf = (index: number) => Math.floor(index / PAGE_SIZE);

/** Entries held in memory: what "bounded" is measured by. */
export function rowsHeld(w: LedgerWindow): number {
  let n = 0;
  for (const p of w.pages) n += p.rows?.length ?? 0;
  return n;
}

/**
 * What to do when rows `first`..`last` are on screen: which pages to keep (the ones on
 * screen ± KEEP_PAGES) and which to read: those on screen without rows, and the next older
 * page once the screen reaches the last known one (so scrolling down never waits at the
 * end of what is known).
 */
export function planView(
  w: LedgerWindow,
  first: number,
  last: number,
): { keep: [number, number]; fetch: number[] } {
  const firstPage = pageOf(Math.max(0, first));
  const lastPage = Math.max(firstPage, pageOf(Math.max(0, last)));
  const keep: [number, number] = [Math.max(0, firstPage - KEEP_PAGES), lastPage + KEEP_PAGES];
  const fetch: number[] = [];
  if (w.pending) return { keep, fetch };
  for (let i = firstPage; i <= lastPage && i < w.pages.length; i += 1) {
    const p = w.pages[i];
    if (p && p.rows === null && !p.loading && !p.error) fetch.push(i);
  }
  const tail = w.pages.at(-1);
  if (tail && tail.read && tail.next !== null && lastPage >= w.pages.length - 1)
    fetch.push(w.pages.length);
  return { keep, fetch };
}

/** The server's cursor for a page: its own `before`, or for a new page the last one's `next`. */
export function cursorOf(w: LedgerWindow, index: number): number | null | undefined {
  const page = w.pages[index];
  if (page) return page.before;
  const last = w.pages[index - 1];
  return index === w.pages.length && last?.read ? last.next : undefined;
}

/**
 * The filter as query parameters: empty fields left out, text trimmed, `datetime-local`
 * times (the window's local time) as ISO 8601 in UTC. A time that does not parse is left out.
 */
export function filterParams(filter: LedgerFilter): LedgerFilterParams {
  const params: LedgerFilterParams = {};
  for (const key of LEDGER_FILTER_KEYS) {
    const value = filter[key].trim();
    if (value === '') continue;
    if (key === 'from' || key === 'to') {
      const ms = new Date(value).getTime();
      if (Number.isFinite(ms)) params[key] = new Date(ms).toISOString();
    } else {
      params[key] = value;
    }
  }
  return params;
}

export const isFiltered = (filter: LedgerFilter) => Object.keys(filterParams(filter)).length > 0;

/** What the window says of a chain verification. */
export interface VerifyState {
  phase: 'idle' | 'starting' | 'running' | 'done' | 'failed';
  /** The run this window started (or found running), 0 if none. */
  run: number;
  checked: number;
  total: number;
  result: LedgerVerifyView | null;
  finishedAt: string | null;
  error: string | null;
}

export const IDLE_VERIFY: VerifyState = {
  phase: 'idle',
  run: 0,
  checked: 0,
  total: 0,
  result: null,
  finishedAt: null,
  error: null,
};

/**
 * The verification as a status read says, for a window that started run `run` (or 0 when it
 * only looks): running with its progress, or finished with the result of that run or a
 * later one. An earlier run's result while ours has not been seen yet does not count.
 */
export function verifyFromStatus(s: LedgerVerifyStatusView, run: number): VerifyState {
  if (s.running) {
    return {
      phase: 'running',
      run: s.run,
      checked: s.checked,
      total: s.total,
      result: null,
      finishedAt: null,
      error: null,
    };
  }
  if (s.run < run || s.run === 0) return { ...IDLE_VERIFY, phase: run > 0 ? 'starting' : 'idle' };
  return {
    phase: s.result ? 'done' : 'failed',
    run: s.run,
    checked: s.result?.entries ?? s.checked,
    total: s.result?.entries ?? s.total,
    result: s.result,
    finishedAt: s.finished_at,
    error: s.result ? null : (s.error ?? 'the verification did not finish'),
  };
}

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

/** Saves a blob as a download, the way a link with `download` does. */
function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `purser-ledger-20260314-100000.csv`, with `-filtered` when a filter is on. */
export function exportName(filter: LedgerFilter, format: 'csv' | 'json', at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return `purser-ledger${isFiltered(filter) ? '-filtered' : ''}-${stamp}.${format}`;
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
      const page = await api.ledger({ ...filterParams(filter), limit: PAGE_SIZE });
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
      const page = await api.ledger({
        ...filterParams(w.filter),
        before_seq: before,
        limit: PAGE_SIZE,
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
      const page = await api.ledger({ ...filterParams(filter), limit: 1 });
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
          const verify = verifyFromStatus(await api.ledgerVerifyStatus(), run);
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
        .agents()
        .then(({ agents }) => set({ agents: agents.map((a) => ({ id: a.id, name: a.name })) }))
        .catch(() => undefined); // the rows show agent ids instead
      clearInterval(headTimer);
      headTimer = setInterval(() => void checkHead(), NEWER_POLL_MS);
      // A verification started elsewhere (the CLI, another window) shows here too.
      void api
        .ledgerVerifyStatus()
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
