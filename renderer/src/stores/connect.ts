import { create } from 'zustand';
import type { ConnectClient } from '../../../shared/schemas/owner-api';
import { api, messageOf, type ConnectView, type OwnerEvent } from '../api/client';

type SpendEvent = Extract<OwnerEvent, { event: 'spend' }>['data'];

/**
 * An agent just connected, waiting for its first request: the first spend request of that
 * agent created since the connection (by the server's clock: the new key's `created_at`),
 * as the event stream brings it and as it is decided.
 */
export interface ConnectWatch {
  client: ConnectClient;
  /** Requests created before this instant (ms) are not the first of this connection. */
  since: number;
  first: SpendEvent | null;
}

/** The Connect dialog of one agent: what the server answered, kept only while it is open. */
export interface ConnectDialogState {
  agentId: string;
  busy: boolean;
  error: string | null;
  /** Carries the key in plaintext: dropped when the dialog closes. */
  answer: ConnectView | null;
}

export interface ConnectState {
  dialog: ConnectDialogState | null;
  /** Per agent, the connection waiting for (or showing) its first request. */
  watches: Record<string, ConnectWatch>;
  open(agentId: string): void;
  connect(client: ConnectClient, writeConfig: boolean): Promise<void>;
  /** Closes the dialog; the key goes with it, the watch stays on the card. */
  close(): void;
  /** The card's "first request" line dismissed. */
  forget(agentId: string): void;
  apply(event: OwnerEvent): void;
}

export const useConnect = create<ConnectState>((set, get) => ({
  dialog: null,
  watches: {},
  open: (agentId) => set({ dialog: { agentId, busy: false, error: null, answer: null } }),
  async connect(client, writeConfig) {
    const dialog = get().dialog;
    if (!dialog || dialog.busy) return;
    const { agentId } = dialog;
    set({ dialog: { ...dialog, busy: true, error: null } });
    try {
      const answer = await api.call('connectAgent', {
        params: { id: agentId },
        body: { client, ...(writeConfig && { write_config: true }) },
      });
      // Server time where there is a new key; else now (this window runs beside the server).
      const since = answer.key ? Date.parse(answer.key.created_at) : Date.now();
      set((s) => ({
        dialog: s.dialog?.agentId === agentId ? { ...s.dialog, busy: false, answer } : s.dialog,
        watches: { ...s.watches, [agentId]: { client, since, first: null } },
      }));
    } catch (error) {
      set((s) => ({
        dialog:
          s.dialog?.agentId === agentId
            ? { ...s.dialog, busy: false, error: messageOf(error) }
            : s.dialog,
      }));
    }
  },
  close: () => set({ dialog: null }),
  forget: (agentId) =>
    set((s) => {
      const { [agentId]: _gone, ...watches } = s.watches;
      return { watches };
    }),
  apply(event) {
    if (event.event !== 'spend') return;
    const spend = event.data;
    const watch = get().watches[spend.agent_id];
    if (!watch) return;
    // The first request since connecting, and then that same request as it is decided.
    const isFirst = watch.first
      ? watch.first.id === spend.id
      : Date.parse(spend.created_at) >= watch.since;
    if (!isFirst) return;
    set((s) => ({ watches: { ...s.watches, [spend.agent_id]: { ...watch, first: spend } } }));
  },
}));
