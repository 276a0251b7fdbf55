import { create } from 'zustand';
import type { RecipientView } from '../../../shared/schemas/payouts';
import { api, messageOf } from '../api/client';
import { runAction, type ActionState } from './run-action';

interface RecipientsState extends ActionState {
  recipients: RecipientView[];
  error: string | null;
  load(): Promise<void>;
  add(name: string, address: string): Promise<boolean>;
  archive(id: string): Promise<void>;
  dismiss(): void;
}

/** The owner's address book of payout recipients (docs/payouts.md), as the Wallet page shows it. */
export const useRecipients = create<RecipientsState>((set, get) => ({
  recipients: [],
  error: null,
  busy: null,
  actionError: null,
  async load() {
    try {
      const { recipients } = await api.call('listRecipients');
      set({ recipients, error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },
  async add(name, address) {
    let saved = false;
    await runAction(
      set,
      'add',
      async () => {
        await api.call('addRecipient', { body: { name, address } });
        saved = true;
      },
      () => get().load(),
    );
    return saved;
  },
  archive: (id) =>
    runAction(
      set,
      `archive:${id}`,
      () => api.call('archiveRecipient', { params: { id } }),
      () => get().load(),
    ),
  dismiss: () => set({ actionError: null }),
}));
