import { create } from 'zustand';
import type { OwnerAnswer } from '../../../shared/contract/owner';
import { api, messageOf, type Connection, type OwnerEvent } from '../api/client';

export type OverviewAnswer = OwnerAnswer<'overview'>;

interface OverviewState {
  data: OverviewAnswer | null;
  error: string | null;
  /** The page is on screen: events read the overview again. */
  open(): void;
  close(): void;
  load(): Promise<void>;
  apply(event: OwnerEvent): void;
  setConnection(state: Connection): void;
}

/**
 * Events that come close together (an agent's burst, a decline-all) are read as one: the
 * overview is read again this long after the first of them.
 */
export const RELOAD_AFTER_MS = 150;

/**
 * The Overview page's figures. Every event of the stream can move one of them (a spend,
 * a request waiting or answered, a receipt, an agent paused, the cap changed), and the
 * server answers the whole overview in one cheap read (docs/overview.md), so an event
 * simply reads it again rather than each figure being recomputed here: what the page shows
 * is always what the server counts.
 */
export const useOverview = create<OverviewState>((set, get) => {
  let opened = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Null when no read runs; true when another was asked for meanwhile. */
  let again: boolean | null = null;
  let wasLost = false;

  const soon = () => {
    if (!opened || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void get().load();
    }, RELOAD_AFTER_MS);
  };

  return {
    data: null,
    error: null,
    open() {
      opened = true;
      void get().load();
    },
    close() {
      opened = false;
      clearTimeout(timer);
      timer = undefined;
    },
    async load() {
      // An answer read before the latest event must not be the last one shown.
      if (again !== null) {
        again = true;
        return;
      }
      try {
        do {
          again = false;
          set({ data: await api.call('overview'), error: null });
        } while (again);
      } catch (error) {
        set({ error: messageOf(error) });
      } finally {
        again = null;
      }
    },
    apply: () => soon(),
    setConnection(state) {
      // Back after a drop: what happened meanwhile was not streamed.
      if (state === 'live' && wasLost) soon();
      wasLost = state === 'lost';
    },
  };
});
