import { create } from 'zustand';
import type { OwnerAnswer } from '../../../shared/contract/owner';
import {
  bucketFor,
  dateInput,
  dayRange,
  presetRange,
  rangeProblem,
  shiftRange,
  type RangePreset,
  type SpendingGroup,
  type TimeRange,
} from '../../../shared/spending';
import { api, messageOf, type Connection, type OwnerEvent } from '../api/client';
import { saveFile } from './ledger-export';

export type SpendingAnswer = OwnerAnswer<'spending'>;
export type RangeKind = RangePreset | 'custom';
export type ModeChoice = '' | 'live' | 'test';

/** Events close together are read as one, this long after the first. */
export const RELOAD_AFTER_MS = 150;

interface SpendingState {
  kind: RangeKind;
  /** The range read: a preset's, or the custom days'. Null while the custom days do not make one. */
  range: TimeRange | null;
  /** The custom range's first and last days (`YYYY-MM-DD`, both included). */
  first: string;
  last: string;
  /** Why the custom days make no range, in words. */
  rangeError: string | null;
  group: SpendingGroup;
  mode: ModeChoice;
  /** The owner's time zone, in which days, weeks and months start. */
  zone: string;
  data: SpendingAnswer | null;
  error: string | null;
  exporting: boolean;
  open(zone: string): void;
  close(): void;
  setZone(zone: string): void;
  setKind(kind: RangeKind): void;
  /** The previous (-1) or next (1) day, week or month. */
  step(by: -1 | 1): void;
  setDays(first: string, last: string): void;
  setGroup(group: SpendingGroup): void;
  setMode(mode: ModeChoice): void;
  load(): Promise<void>;
  /** The ledger export of the same range (and mode's entries are the file's `mode` column). */
  exportRange(): Promise<void>;
  apply(event: OwnerEvent): void;
  setConnection(state: Connection): void;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The Spending view (docs/spending.md): which range, grouping and mode are picked, and the
 * server's sums for them. A new pick reads again at once; an event of the live stream reads
 * again once per burst, so a spend shows up without a reload. An answer to an older pick
 * is never shown over a newer one.
 */
export const useSpending = create<SpendingState>((set, get) => {
  let opened = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let wasLost = false;

  const soon = () => {
    if (!opened || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void get().load();
    }, RELOAD_AFTER_MS);
  };

  /** The preset's range around `at` (now, or where the owner stepped to). */
  const presetAt = (kind: RangePreset, at: number, zone: string) => presetRange(kind, at, zone);

  const pick = (patch: Partial<SpendingState>) => {
    set(patch);
    if (opened) void get().load();
  };

  return {
    kind: 'month',
    range: null,
    first: '',
    last: '',
    rangeError: null,
    group: 'agent',
    mode: '',
    zone: browserZone(),
    data: null,
    error: null,
    exporting: false,
    open(zone) {
      opened = true;
      const s = get();
      if (s.range === null || zone !== s.zone) get().setZone(zone);
      else void get().load();
    },
    close() {
      opened = false;
      clearTimeout(timer);
      timer = undefined;
    },
    setZone(zone) {
      const { kind, range, first, last } = get();
      if (kind === 'custom') {
        const days = dayRange(first, last, zone);
        pick({ zone, range: days ?? range });
        return;
      }
      const at = range === null ? Date.now() : range.from;
      pick({ zone, range: presetAt(kind, at, zone) });
    },
    setKind(kind) {
      const { zone, range } = get();
      if (kind === 'custom') {
        // The custom range starts as the one on screen, in days.
        const r = range ?? presetAt('month', Date.now(), zone);
        const first = dateInput(r.from, zone);
        const last = dateInput(r.to - 1, zone);
        pick({ kind, first, last, rangeError: null, range: dayRange(first, last, zone) ?? r });
        return;
      }
      pick({ kind, rangeError: null, range: presetAt(kind, Date.now(), zone) });
    },
    step(by) {
      const { kind, range, zone } = get();
      if (kind === 'custom' || range === null) return;
      pick({ range: shiftRange(kind, range, by, zone) });
    },
    setDays(first, last) {
      const range = dayRange(first, last, get().zone);
      if (range === null) {
        set({ first, last, rangeError: 'Pick a first day and a last day on or after it.' });
        return;
      }
      const problem = rangeProblem(range, 'day');
      if (problem !== null) {
        set({ first, last, rangeError: `The range is too long: ${problem}.` });
        return;
      }
      pick({ first, last, rangeError: null, range });
    },
    setGroup(group) {
      pick({ group });
    },
    setMode(mode) {
      pick({ mode });
    },
    async load() {
      const { range, group, mode } = get();
      if (range === null) return;
      const mine = ++asked;
      try {
        const data = await api.call('spending', {
          query: {
            from: new Date(range.from).toISOString(),
            to: new Date(range.to).toISOString(),
            group_by: group,
            bucket: bucketFor(range),
            ...(mode === '' ? {} : { mode }),
          },
        });
        if (mine === asked) set({ data, error: null });
      } catch (error) {
        if (mine === asked) set({ error: messageOf(error) });
      }
    },
    async exportRange() {
      const { range } = get();
      if (range === null) return;
      set({ exporting: true, error: null });
      try {
        const from = new Date(range.from).toISOString();
        const to = new Date(range.to).toISOString();
        const blob = await api.ledgerExport({ from, to }, 'csv');
        const day = (iso: string) => iso.slice(0, 10).replace(/-/g, '');
        saveFile(
          blob,
          `purser-ledger-${day(from)}-${day(new Date(range.to - 1).toISOString())}.csv`,
        );
      } catch (error) {
        set({ error: `Export failed: ${messageOf(error)}` });
      } finally {
        set({ exporting: false });
      }
    },
    apply: () => soon(),
    setConnection(state) {
      if (state === 'live' && wasLost) soon();
      wasLost = state === 'lost';
    },
  };
});
