import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/types';
import type { Period, WindowKind } from '../../../shared/domain';
import { microsFromString, type Micros } from '../../../shared/money';
import { isValidTimeZone } from '../policy/windows';

export interface GlobalCap {
  amount: Micros;
  period: Period;
  window: WindowKind;
}

export interface Settings {
  timeZone: string;
  frozen: boolean;
  globalCap: GlobalCap | null;
  pendingExpiryHours: number;
  /** Desktop notifications for new requests and alerts (the desktop app reads it). */
  notifications: boolean;
  /** The desktop app opens at login (opt-in; the desktop app applies it). */
  startAtLogin: boolean;
}

interface StoredCap {
  amount_micros: string;
  period: Period;
  window: WindowKind;
}

/** A zone the time arithmetic knows, or UTC: a bad zone must never make windows NaN. */
function validZoneOr(zone: string): string {
  return isValidTimeZone(zone) ? zone : 'UTC';
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Workspace settings in a key/value table of JSON values. Read on every decision, so the
 * parsed form is cached and the cache is replaced only by writes through this class (a
 * rolled-back write restores it through `reload`).
 */
export class SettingsRepository {
  private readonly all: Statement<[], { key: string; value: string }>;
  private readonly put: Statement<[string, string]>;
  private readonly zoneSet: Statement<[], unknown>;
  private cached: Settings | null = null;

  constructor(db: Db) {
    this.all = db.prepare('SELECT key, value FROM settings');
    this.zoneSet = db.prepare("SELECT 1 FROM settings WHERE key = 'time_zone'");
    this.put = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  /** Whether a time zone was ever written (a first run pins the system's). */
  hasTimeZone(): boolean {
    return this.zoneSet.get() !== undefined;
  }

  get(): Settings {
    if (!this.cached) this.cached = this.load();
    return this.cached;
  }

  /** Forget the cache; the next read comes from disk (after a rollback, say). */
  reload(): void {
    this.cached = null;
  }

  update(patch: Partial<Settings>): Settings {
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next: Settings = { ...this.get(), ...defined };
    if (patch.timeZone !== undefined) this.put.run('time_zone', JSON.stringify(next.timeZone));
    if (patch.frozen !== undefined) this.put.run('frozen', JSON.stringify(next.frozen));
    if (patch.pendingExpiryHours !== undefined) {
      this.put.run('pending_expiry_hours', JSON.stringify(next.pendingExpiryHours));
    }
    if (patch.notifications !== undefined)
      this.put.run('notifications', JSON.stringify(next.notifications));
    if (patch.startAtLogin !== undefined)
      this.put.run('start_at_login', JSON.stringify(next.startAtLogin));
    if (patch.globalCap !== undefined) {
      const cap: StoredCap | null = next.globalCap && {
        amount_micros: next.globalCap.amount.toString(),
        period: next.globalCap.period,
        window: next.globalCap.window,
      };
      this.put.run('global_cap', JSON.stringify(cap));
    }
    this.cached = next;
    return next;
  }

  private load(): Settings {
    const values = new Map<string, unknown>();
    for (const row of this.all.all()) values.set(row.key, JSON.parse(row.value));
    const cap = values.get('global_cap') as StoredCap | null | undefined;
    return {
      timeZone: validZoneOr((values.get('time_zone') as string | undefined) ?? systemTimeZone()),
      frozen: (values.get('frozen') as boolean | undefined) ?? false,
      pendingExpiryHours: (values.get('pending_expiry_hours') as number | undefined) ?? 24,
      notifications: (values.get('notifications') as boolean | undefined) ?? true,
      startAtLogin: (values.get('start_at_login') as boolean | undefined) ?? false,
      globalCap: cap
        ? { amount: microsFromString(cap.amount_micros), period: cap.period, window: cap.window }
        : null,
    };
  }
}
