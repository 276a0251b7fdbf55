import { create } from 'zustand';
import {
  api,
  messageOf,
  type Connection,
  type OwnerEvent,
  type SettingsPatch,
  type SettingsView,
} from '../api/client';

interface WalletState {
  settings: SettingsView | null;
  connection: Connection;
  /** An action the server refused: shown until dismissed, not cleared by the next load. */
  error: string | null;
  busy: boolean;
  load(): Promise<void>;
  /** The panic button: freezes every agent at once. */
  freeze(): Promise<void>;
  unfreeze(): Promise<void>;
  /** Saves settings the owner changed; a refusal stays on screen until dismissed. */
  save(patch: SettingsPatch): Promise<void>;
  apply(event: OwnerEvent): void;
  setConnection(state: Connection): void;
  dismiss(): void;
}

/**
 * The wallet as a whole: whether spending is frozen, and whether the window can reach
 * Purser at all. The freeze arrives over the event stream too, so every open window (and
 * the desktop tray) shows it at once.
 */
export const useWallet = create<WalletState>((set, get) => {
  const run = async (action: () => Promise<SettingsView>) => {
    set({ busy: true });
    try {
      set({ settings: await action(), error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    } finally {
      set({ busy: false });
    }
  };
  return {
    settings: null,
    connection: 'connecting',
    error: null,
    busy: false,
    async load() {
      try {
        set({ settings: await api.call('getSettings') });
      } catch (error) {
        set({ error: messageOf(error) });
      }
    },
    freeze: () => run(() => api.call('freeze')),
    unfreeze: () => run(() => api.call('unfreeze')),
    save: (patch) => run(() => api.call('updateSettings', { body: patch })),
    apply(event) {
      if (event.event === 'settings') set({ settings: event.data });
    },
    setConnection(state) {
      const was = get().connection;
      set({ connection: state });
      // Back after a drop: what changed meanwhile was not streamed, so read it again.
      if (state === 'live' && was === 'lost') void get().load();
    },
    dismiss: () => set({ error: null }),
  };
});
