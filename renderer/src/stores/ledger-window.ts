import type { LedgerEntryView } from '../../../shared/schemas/owner-api';
import { EMPTY_FILTER, type LedgerFilter } from './ledger-filter';

/**
 * The Ledger page's window over the server's pages, as plain functions over `LedgerWindow`:
 * which pages it reads, which it drops, and what a row shows. Tested without a browser; the
 * store in `ledger.ts` runs them.
 */

/** Entries per server page. Every page but the last holds exactly this many. */
export const PAGE_SIZE = 200;
/** Pages kept in memory on either side of those on screen; rows of farther pages are dropped. */
export const KEEP_PAGES = 2;

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
