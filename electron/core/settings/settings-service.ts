import type { Settings } from './settings-repository';
import { isValidTimeZone } from '../policy/windows';
import { PurserError } from '../errors';
import type { WalletDeps } from '../wallet-deps';

/** What SettingsService uses of the wallet: no more (wallet.ts wires it). */
export type SettingsServiceDeps = Pick<
  WalletDeps,
  'clock' | 'committer' | 'events' | 'ledger' | 'settings'
>;

/** The owner's workspace settings and the global freeze, each change ledgered. */
export class SettingsService {
  constructor(private readonly d: SettingsServiceDeps) {}

  get(): Settings {
    return this.d.settings.get();
  }

  update(patch: Partial<Omit<Settings, 'frozen'>>): Promise<Settings> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) {
        throw new PurserError(
          'invalid_request',
          `Unknown time zone "${patch.timeZone}"; use an IANA name such as Europe/Paris.`,
        );
      }
      const next = d.settings.update(patch);
      d.ledger.append(
        {
          type: 'settings.updated',
          actor: 'owner',
          data: {
            time_zone: patch.timeZone,
            pending_expiry_hours: patch.pendingExpiryHours,
            notifications: patch.notifications,
            start_at_login: patch.startAtLogin,
            global_cap:
              patch.globalCap === undefined
                ? undefined
                : patch.globalCap && {
                    amount_micros: patch.globalCap.amount.toString(),
                    period: patch.globalCap.period,
                    window: patch.globalCap.window,
                  },
          },
        },
        d.clock.now(),
      );
      tx.afterCommit(() => d.events.emit('settings', next));
      return next;
    });
  }

  /** The panic button: every agent's spend is declined until unfrozen. */
  setFrozen(frozen: boolean): Promise<Settings> {
    return this.d.committer.run((tx) => {
      const { d } = this;
      if (d.settings.get().frozen === frozen) return d.settings.get();
      const next = d.settings.update({ frozen });
      d.ledger.append(
        { type: frozen ? 'wallet.frozen' : 'wallet.unfrozen', actor: 'owner' },
        d.clock.now(),
      );
      // Every window (and the tray) hears of the freeze at once.
      tx.afterCommit(() => d.events.emit('settings', next));
      return next;
    });
  }
}
