import { memo, useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LedgerEntryView } from '../../../shared/schemas/owner-api';
import { formatUsd, microsFromString } from '../../../shared/money';
import { visible } from '../../../shared/text/visible';
import { useLedger } from '../stores/ledger';
import { atEnd, knownRows, pageOf, rowAt, rowCount, rowsHeld } from '../stores/ledger-window';

/** Every row is this tall (CSS keeps it so): no row is measured. */
export const ROW_HEIGHT = 34;

const COLUMNS = ['Entry', 'Time', 'Kind', 'Agent', 'Merchant', 'Amount', 'Status', 'Rail'];

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-03-14 10:00:05` in the window's time zone: compact, and sorts as it reads. */
export function when(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** An amount from its exact integer micros: never through a float. */
export const amountText = (micros: string | null) =>
  micros === null ? '—' : formatUsd(microsFromString(micros));

/**
 * The ledger as a virtualised table: only the rows on screen (and a few either side) are in
 * the page, and the store holds only the pages around them. Scrolling past the last known
 * row reads the next page; scrolling back to a dropped page reads it again.
 */
export function LedgerTable({ nameOf }: { nameOf(agentId: string | null): string }) {
  const w = useLedger((s) => s.window);
  const view = useLedger((s) => s.view);
  const select = useLedger((s) => s.select);
  const retry = useLedger((s) => s.retry);
  const selectedSeq = useLedger((s) => s.selected?.seq ?? null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = rowCount(w);
  const known = knownRows(w);
  const end = atEnd(w);

  // The rows get plain values from it (index, start), never its functions, so the memoised
  // rows cannot go stale; the component itself re-renders on every scroll update.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // The sticky header row sits above the first entry inside the scroll area.
    paddingStart: ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (count > 0) view(first, last);
  }, [first, last, count, w.generation, w.pending, view]);

  // A new filter (or back to the newest) starts at the top once its first page is in.
  useEffect(() => {
    if (!w.pending) scrollRef.current?.scrollTo({ top: 0 });
  }, [w.generation, w.pending]);

  const offered = new Set<number>();
  return (
    <div
      className="ledger-scroll"
      ref={scrollRef}
      tabIndex={0}
      role="region"
      aria-label="Ledger entries, newest first"
      aria-busy={w.pending}
      data-known={known}
      data-rows-held={rowsHeld(w)}
      data-end={end}
    >
      <div
        role="table"
        aria-label="Ledger entries"
        aria-rowcount={end ? known + 1 : -1}
        className={w.pending ? 'ledger-grid stale' : 'ledger-grid'}
      >
        <div role="rowgroup" className="ledger-head">
          <div role="row" aria-rowindex={1} className="ledger-row">
            {COLUMNS.map((c) => (
              <div role="columnheader" key={c} className={`col-${c.toLowerCase()}`}>
                {c}
              </div>
            ))}
          </div>
        </div>
        <div
          role="rowgroup"
          className="ledger-body"
          style={{ height: Math.max(0, virtualizer.getTotalSize() - ROW_HEIGHT) }}
        >
          {items.map((item) => {
            const top = item.start - ROW_HEIGHT;
            if (item.index >= known) {
              const tail = w.pages[pageOf(item.index)];
              return (
                <div
                  key="more"
                  role="row"
                  aria-rowindex={item.index + 2}
                  className="ledger-row more"
                  style={{ transform: `translateY(${top}px)` }}
                >
                  <div role="cell">
                    {tail?.error ? (
                      <>
                        Could not read older entries: {tail.error}{' '}
                        <button type="button" onClick={() => retry(pageOf(item.index))}>
                          Retry
                        </button>
                      </>
                    ) : (
                      'Loading older entries…'
                    )}
                  </div>
                </div>
              );
            }
            const entry = rowAt(w, item.index);
            const page = w.pages[pageOf(item.index)];
            if (entry === null && page?.error && !offered.has(pageOf(item.index))) {
              // A dropped page that could not be read again: one row says so, with Retry.
              offered.add(pageOf(item.index));
              return (
                <div
                  key={`error-${item.index}`}
                  role="row"
                  aria-rowindex={item.index + 2}
                  className="ledger-row more"
                  style={{ transform: `translateY(${top}px)` }}
                >
                  <div role="cell">
                    Could not read these entries: {page.error}{' '}
                    <button type="button" onClick={() => retry(pageOf(item.index))}>
                      Retry
                    </button>
                  </div>
                </div>
              );
            }
            return (
              <LedgerRow
                key={entry ? entry.seq : `row-${item.index}`}
                entry={entry}
                index={item.index}
                top={top}
                agent={entry ? nameOf(entry.agent_id) : ''}
                selected={entry !== null && entry.seq === selectedSeq}
                onSelect={select}
              />
            );
          })}
        </div>
      </div>
      {count === 0 && !w.pending && !w.error && (
        <p className="empty ledger-empty">No entries match these filters.</p>
      )}
    </div>
  );
}

const LedgerRow = memo(function LedgerRow({
  entry,
  index,
  top,
  agent,
  selected,
  onSelect,
}: {
  entry: LedgerEntryView | null;
  index: number;
  top: number;
  agent: string;
  selected: boolean;
  onSelect(entry: LedgerEntryView): void;
}) {
  const style = { transform: `translateY(${top}px)` };
  if (entry === null) {
    // Its page was dropped and is being read again.
    return (
      <div role="row" aria-rowindex={index + 2} className="ledger-row placeholder" style={style}>
        {COLUMNS.map((c) => (
          <div role="cell" key={c}>
            …
          </div>
        ))}
      </div>
    );
  }
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={selected ? 'ledger-row selected' : 'ledger-row'}
      style={style}
      data-seq={entry.seq}
      data-type={entry.type}
      data-agent={entry.agent_id ?? ''}
    >
      <div role="cell" className="col-entry">
        <button
          type="button"
          className="link"
          aria-pressed={selected}
          onClick={() => onSelect(entry)}
        >
          #{entry.seq}
        </button>
      </div>
      <div role="cell" className="col-time">
        <time dateTime={entry.ts}>{when(entry.ts)}</time>
      </div>
      <div role="cell" className="col-kind">
        {visible(entry.type)}
      </div>
      <div role="cell" className="col-agent">
        {agent}
      </div>
      <div role="cell" className="col-merchant">
        {entry.merchant === null ? '' : visible(entry.merchant)}
      </div>
      <div role="cell" className="col-amount money">
        {entry.amount_micros === null ? '' : amountText(entry.amount_micros)}
      </div>
      <div role="cell" className="col-status">
        {entry.status === null ? '' : visible(entry.status)}
      </div>
      <div role="cell" className="col-rail">
        {entry.rail === null ? '' : visible(entry.rail)}
      </div>
    </div>
  );
});
