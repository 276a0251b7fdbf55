import { useState, type ReactNode } from 'react';
import { PERIODS, type Period } from '../../../shared/domain';
import { settingsPatch } from '../../../shared/schemas/owner-api';
import type { SettingsPatch, SettingsView } from '../api/client';
import { useWallet } from '../stores/wallet';
import { centsToDollars } from '../stores/policy-draft';

/** Every IANA zone the browser knows; the server checks the one chosen again. */
const ZONES: readonly string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

/** Whole cents from "12.34" or "12", without floats; undefined if it is not an amount. */
export function centsFromDollars(text: string): number | undefined {
  const m = /^\s*(\d{1,10})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/**
 * The workspace settings, editable: the time zone calendar windows use, how long a
 * request waits for the owner, the global cap, desktop notifications and start at login.
 * Checked with the API's own schema before it is sent; the API's answer has the last word.
 */
export function SettingsForm({ settings }: { settings: SettingsView }) {
  const { save, busy } = useWallet();
  const [zone, setZone] = useState(settings.time_zone);
  const [hours, setHours] = useState(String(settings.pending_expiry_hours));
  const [capOn, setCapOn] = useState(settings.global_cap !== null);
  const [cap, setCap] = useState(
    settings.global_cap ? centsToDollars(settings.global_cap.amount_cents) : '',
  );
  const [period, setPeriod] = useState<Period>(settings.global_cap?.period ?? 'monthly');
  const [notifications, setNotifications] = useState(settings.notifications);
  const [startAtLogin, setStartAtLogin] = useState(settings.start_at_login);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const capCents = capOn ? centsFromDollars(cap) : null;
    if (capOn && capCents === undefined)
      return setProblem('The global cap must be an amount in dollars, like 250 or 250.00.');
    const patch: SettingsPatch = {
      time_zone: zone,
      pending_expiry_hours: Number(hours),
      notifications,
      start_at_login: startAtLogin,
      global_cap:
        capCents === null || capCents === undefined ? null : { amount_cents: capCents, period },
    };
    const checked = settingsPatch.safeParse(patch);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return setProblem(
        issue?.path[0] === 'pending_expiry_hours'
          ? 'Requests must wait between a minute and 30 days (720 hours).'
          : `${issue?.path.join('.') ?? 'a field'}: ${issue?.message ?? 'is not valid'}`,
      );
    }
    setProblem(null);
    setSaved(false);
    void save(patch).then(() => setSaved(useWallet.getState().error === null));
  };

  return (
    <form className="settings-form" onSubmit={submit} aria-label="Workspace settings">
      <label>
        Time zone (calendar budget windows)
        <select value={zone} onChange={(e) => setZone(e.target.value)}>
          {(ZONES.includes(zone) ? ZONES : [zone, ...ZONES]).map((z) => (
            <option key={z}>{z}</option>
          ))}
        </select>
      </label>
      <label>
        Pending requests expire after (hours)
        <input inputMode="decimal" value={hours} onChange={(e) => setHours(e.target.value)} />
      </label>
      <fieldset>
        <legend>Global cap across all agents</legend>
        <Toggle checked={capOn} onChange={setCapOn}>
          Cap all spending
        </Toggle>
        {capOn && (
          <>
            <label>
              Amount ($)
              <input inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} />
            </label>
            <label>
              Cap period
              <select value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
                {PERIODS.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
          </>
        )}
      </fieldset>
      <Toggle checked={notifications} onChange={setNotifications}>
        Desktop notifications for new requests and alerts
      </Toggle>
      <Toggle checked={startAtLogin} onChange={setStartAtLogin}>
        Open the desktop app when I log in (desktop app only)
      </Toggle>
      {problem && (
        <p role="alert" className="form-problem">
          {problem}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Save settings
      </button>
      {saved && <p role="status">Saved.</p>}
    </form>
  );
}

/** An on/off setting: the checkbox, then what it turns on, the whole label clickable. */
function Toggle({
  checked,
  onChange,
  children,
}: {
  checked: boolean;
  onChange(checked: boolean): void;
  children: ReactNode;
}) {
  return (
    <label className="inline">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />{' '}
      {children}
    </label>
  );
}
