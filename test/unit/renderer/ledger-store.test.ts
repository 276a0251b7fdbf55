/**
 * The Ledger page's window over the server's pages, as plain data: which pages it reads,
 * which it drops, what a row shows, and how answers for an older filter are ignored. A
 * simulated server pages a ledger the way `GET /admin/v1/ledger` does.
 */
import { describe, expect, it } from 'vitest';
import type { LedgerEntryView } from '../../../shared/schemas/owner-api';
import type { LedgerVerifyStatusView } from '../../../shared/ledger';
import { exportName } from '../../../renderer/src/stores/ledger-export';
import { EMPTY_FILTER, filterParams } from '../../../renderer/src/stores/ledger-filter';
import { verifyFromStatus } from '../../../renderer/src/stores/ledger-verify';
import {
  atEnd,
  cursorOf,
  initialWindow,
  KEEP_PAGES,
  knownRows,
  ledgerReducer,
  PAGE_SIZE,
  planView,
  rowAt,
  rowCount,
  rowsHeld,
  type LedgerAction,
  type LedgerWindow,
} from '../../../renderer/src/stores/ledger-window';

function entry(seq: number): LedgerEntryView {
  return {
    seq,
    ts: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    type: seq % 2 ? 'spend.approved' : 'spend.declined',
    actor: 'key:key_x',
    mode: 'live',
    agent_id: 'agt_a',
    object_id: null,
    amount_micros: '10000',
    counted_micros: '0',
    status: 'approved',
    merchant: 'AWS',
    rail: null,
    data: {},
    prev_hash: '00',
    hash: '11',
  };
}

/** `GET /admin/v1/ledger` over entries 1..head (more may be appended), newest first. */
function server(head: number) {
  const state = { head };
  return {
    state,
    page(before: number | null, limit = PAGE_SIZE) {
      const top = before === null ? state.head : Math.min(state.head, before - 1);
      const entries: LedgerEntryView[] = [];
      for (let s = top; s >= 1 && entries.length < limit; s -= 1) entries.push(entry(s));
      const last = entries.at(-1);
      return { entries, next: entries.length === limit && last ? last.seq : null };
    },
  };
}

const run = (w: LedgerWindow, ...actions: LedgerAction[]) => actions.reduce(ledgerReducer, w);

/** The window with its first page read from `s`. */
function opened(s: ReturnType<typeof server>): LedgerWindow {
  const w = run(initialWindow(), { type: 'refresh' });
  const first = s.page(null);
  return run(w, {
    type: 'first',
    generation: w.generation,
    entries: first.entries,
    next: first.next,
  });
}

/** Does what the store does when rows first..last are on screen, answering at once. */
function show(w: LedgerWindow, s: ReturnType<typeof server>, first: number, last: number) {
  const { keep, fetch } = planView(w, first, last);
  let next = run(w, { type: 'view', keep });
  for (const index of fetch) {
    const before = cursorOf(next, index);
    if (before === undefined || before === null) throw new Error(`no cursor for ${index}`);
    next = run(next, { type: 'requested', generation: next.generation, index });
    const page = s.page(before);
    next = run(next, {
      type: 'loaded',
      generation: next.generation,
      index,
      entries: page.entries,
      next: page.next,
    });
  }
  return { w: next, fetch };
}

describe('the ledger window', () => {
  it('starts empty, then shows the first page and a row that reads the next', () => {
    expect(rowCount(initialWindow())).toBe(0);
    const s = server(1000);
    const w = opened(s);
    expect(w.pending).toBe(false);
    expect(w.top).toBe(1000);
    expect(rowAt(w, 0)?.seq).toBe(1000);
    expect(rowAt(w, PAGE_SIZE - 1)?.seq).toBe(1000 - PAGE_SIZE + 1);
    expect(rowCount(w)).toBe(PAGE_SIZE + 1);
    expect(atEnd(w)).toBe(false);
    // The first page is read again below its newest entry, never from the head.
    expect(w.pages[0]?.before).toBe(1001);
    // On screen near the top: the next page is read ahead.
    expect(planView(w, 0, 20)).toEqual({ keep: [0, KEEP_PAGES], fetch: [1] });
  });

  it('reads older pages by cursor as it scrolls, to the end, with no row missing or repeated', () => {
    const s = server(1234);
    let w = opened(s);
    for (let first = 0; !atEnd(w); first += 37) w = show(w, s, first, first + 25).w;
    expect(knownRows(w)).toBe(1234);
    expect(rowCount(w)).toBe(1234); // no "loading older" row at the end
    expect(w.pages.at(-1)?.next).toBeNull();
    for (let i = 1000; i < 1234; i += 1) expect(rowAt(w, i)?.seq).toBe(1234 - i);
    // Past the end nothing more is asked for.
    expect(planView(w, 1220, 1233).fetch).toEqual([]);
  });

  it('drops the rows of far pages, keeps their cursors, and reads them again on the way back', () => {
    const s = server(20_000);
    let w = opened(s);
    for (let first = 0; first < 12 * PAGE_SIZE; first += 30) w = show(w, s, first, first + 30).w;
    const screen = 12 * PAGE_SIZE;
    w = show(w, s, screen, screen + 30).w;
    const onScreen = Math.floor(screen / PAGE_SIZE);
    expect(w.keep).toEqual([onScreen - KEEP_PAGES, onScreen + KEEP_PAGES]);
    expect(rowsHeld(w)).toBeLessThanOrEqual((2 * KEEP_PAGES + 1) * PAGE_SIZE);
    expect(w.pages[0]?.rows).toBeNull();
    expect(w.pages[0]?.count).toBe(PAGE_SIZE);
    expect(rowAt(w, 10)).toBeNull(); // a placeholder until read again
    // Back up to page 3: read again with the cursor it had, same rows as before.
    const cursor = w.pages[3]?.before;
    expect(cursor).toBe(w.pages[2]?.next);
    const back = show(w, s, 3 * PAGE_SIZE + 5, 3 * PAGE_SIZE + 35);
    expect(back.fetch).toEqual([3]);
    expect(rowAt(back.w, 3 * PAGE_SIZE + 5)?.seq).toBe(20_000 - (3 * PAGE_SIZE + 5));
    expect(back.w.pages[onScreen]?.rows).toBeNull();
  });

  it('keeps memory bounded and rows exact under any scrolling, with entries arriving', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const s = server(30_000);
    let w = opened(s);
    const top = w.top ?? 0;
    for (let step = 0; step < 400; step += 1) {
      s.state.head += Math.floor(random() * 3); // appended meanwhile: above the view
      const known = knownRows(w);
      const first = Math.floor(random() * (known + 1));
      w = show(w, s, first, first + 30).w;
      expect(rowsHeld(w)).toBeLessThanOrEqual((2 * KEEP_PAGES + 2) * PAGE_SIZE);
      for (let i = first; i <= Math.min(first + 30, knownRows(w) - 1); i += 1)
        expect(rowAt(w, i)?.seq).toBe(top - i);
    }
  });

  it('keeps what is shown until a new filter’s first page arrives, and ignores older answers', () => {
    const s = server(5000);
    let w = show(opened(s), s, 0, 30).w;
    const old = w.generation;
    w = run(w, { type: 'filter', filter: { ...EMPTY_FILTER, type: 'spend.declined' } });
    expect(w.pending).toBe(true);
    expect(rowAt(w, 0)?.seq).toBe(5000); // still shown, marked pending
    expect(planView(w, 0, 30).fetch).toEqual([]);
    // A page of the old filter arrives late: ignored.
    const late = run(w, {
      type: 'loaded',
      generation: old,
      index: 1,
      entries: [entry(1)],
      next: null,
    });
    expect(late).toBe(w);
    w = run(w, { type: 'first', generation: w.generation, entries: [entry(42)], next: null });
    expect(w.pending).toBe(false);
    expect(w.pages).toHaveLength(1);
    expect(rowAt(w, 0)?.seq).toBe(42);
    expect(atEnd(w)).toBe(true);
    expect(rowCount(w)).toBe(1);
  });

  it('says nothing matches, and knows of newer entries', () => {
    let w = run(initialWindow(), { type: 'refresh' });
    w = run(w, { type: 'first', generation: w.generation, entries: [], next: null });
    expect(rowCount(w)).toBe(0);
    expect(atEnd(w)).toBe(true);
    expect(w.pages[0]?.before).toBeNull();
    expect(run(w, { type: 'head', generation: w.generation, newest: null }).newer).toBe(false);
    expect(run(w, { type: 'head', generation: w.generation, newest: 7 }).newer).toBe(true);

    const s = server(300);
    const shown = opened(s);
    expect(run(shown, { type: 'head', generation: shown.generation, newest: 300 }).newer).toBe(
      false,
    );
    expect(run(shown, { type: 'head', generation: shown.generation, newest: 301 }).newer).toBe(
      true,
    );
    expect(run(shown, { type: 'head', generation: shown.generation - 1, newest: 301 }).newer).toBe(
      false,
    );
    const offered = run(shown, { type: 'head', generation: shown.generation, newest: 301 });
    const refreshing = run(offered, { type: 'refresh' });
    expect(refreshing).toMatchObject({ newer: false, pending: true });
    expect(run(refreshing, { type: 'head', generation: refreshing.generation, newest: 301 })).toBe(
      refreshing,
    );
  });

  it('records a failed page without retrying it by itself; only a page after a cursor is added', () => {
    const s = server(1000);
    let w = opened(s);
    w = run(w, { type: 'requested', generation: w.generation, index: 1 });
    w = run(w, { type: 'failed', generation: w.generation, index: 1, error: 'HTTP 500' });
    expect(w.pages[1]).toMatchObject({ loading: false, error: 'HTTP 500', read: false });
    expect(planView(w, PAGE_SIZE, PAGE_SIZE + 10).fetch).toEqual([]);
    // No page beyond the next one, and none after the last.
    expect(run(w, { type: 'requested', generation: w.generation, index: 5 })).toBe(w);
    const end = run(initialWindow(), { type: 'refresh' });
    const last = run(end, {
      type: 'first',
      generation: end.generation,
      entries: [entry(1)],
      next: null,
    });
    expect(run(last, { type: 'requested', generation: last.generation, index: 1 })).toBe(last);
    expect(cursorOf(last, 1)).toBeNull();
    expect(
      run(initialWindow(), { type: 'failed', generation: 0, index: null, error: 'down' }),
    ).toMatchObject({ error: 'down', pending: false });
  });

  it('stores a page that scrolled out of reach while it was read as its size only', () => {
    const s = server(5000);
    let w = opened(s);
    w = run(w, { type: 'requested', generation: w.generation, index: 1 });
    w = run(w, { type: 'view', keep: [10, 14] });
    const page = s.page(w.pages[1]?.before ?? null);
    w = run(w, {
      type: 'loaded',
      generation: w.generation,
      index: 1,
      entries: page.entries,
      next: page.next,
    });
    expect(w.pages[1]).toMatchObject({ rows: null, count: PAGE_SIZE, read: true });
    expect(w.pages[0]?.rows).toBeNull();
  });
});

describe('filters, export names and verification', () => {
  it('sends only the filters in use, times as ISO 8601', () => {
    expect(filterParams(EMPTY_FILTER)).toEqual({});
    const local = '2026-03-14T10:30';
    expect(
      filterParams({
        ...EMPTY_FILTER,
        agent_id: 'agt_1',
        merchant: '  AWS ',
        status: ' ',
        from: local,
        to: 'not a time',
      }),
    ).toEqual({ agent_id: 'agt_1', merchant: 'AWS', from: new Date(local).toISOString() });
  });

  it('names an export by time, and says when it is filtered', () => {
    const at = new Date(Date.UTC(2026, 2, 14, 10, 0, 5));
    expect(exportName(EMPTY_FILTER, 'csv', at)).toBe('purser-ledger-20260314-100005.csv');
    expect(exportName({ ...EMPTY_FILTER, rail: 'card' }, 'json', at)).toBe(
      'purser-ledger-filtered-20260314-100005.json',
    );
  });

  it('follows a verification from its progress to its result', () => {
    const status = (s: Partial<LedgerVerifyStatusView>): LedgerVerifyStatusView => ({
      run: 1,
      running: false,
      checked: 0,
      total: 0,
      started_at: '2026-03-14T10:00:00.000Z',
      finished_at: null,
      result: null,
      error: null,
      ...s,
    });
    expect(
      verifyFromStatus(status({ running: true, checked: 5000, total: 9000 }), 1),
    ).toMatchObject({ phase: 'running', checked: 5000, total: 9000 });
    const result = { ok: true, entries: 9000, head_seq: 9000, head_hash: 'ab', first_bad: null };
    expect(
      verifyFromStatus(status({ result, checked: 9000, finished_at: '2026-03-14T10:00:04Z' }), 1),
    ).toMatchObject({ phase: 'done', checked: 9000, total: 9000, result, error: null });
    // An earlier run's result is not ours.
    expect(verifyFromStatus(status({ run: 1, result }), 2).phase).toBe('starting');
    expect(verifyFromStatus(status({ run: 0 }), 0).phase).toBe('idle');
    expect(verifyFromStatus(status({ error: 'disk I/O error' }), 1)).toMatchObject({
      phase: 'failed',
      error: 'disk I/O error',
    });
  });
});
