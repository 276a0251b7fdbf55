import { useEffect } from 'react';
import { visible } from '../../../shared/text/visible';
import { DismissableError } from '../components/dismissable-error';
import { useSessions } from '../stores/sessions';
import { useWallet } from '../stores/wallet';

const when = (iso: string) => new Date(iso).toLocaleString();

/** Settings: the workspace settings as they stand, and the owner's window sessions. */
export function SettingsPage() {
  const settings = useWallet((s) => s.settings);
  const { sessions, error, load, revoke, dismiss } = useSessions();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section>
      <h2>Settings</h2>
      {settings && (
        <dl className="settings">
          <dt>Time zone (calendar windows)</dt>
          <dd>{settings.time_zone}</dd>
          <dt>Pending requests expire after</dt>
          <dd>{settings.pending_expiry_hours} hours</dd>
          <dt>Spending</dt>
          <dd>{settings.frozen ? 'frozen' : 'open'}</dd>
        </dl>
      )}
      <h3>Owner sessions</h3>
      <p>
        Every window logged in with a login link. A session ends after 12 hours without use; revoke
        any you do not recognise.
      </p>
      {error && <DismissableError message={error} onDismiss={dismiss} />}
      <table aria-label="Owner sessions">
        <thead>
          <tr>
            <th>Session</th>
            <th>Since</th>
            <th>Last used</th>
            <th>Ends unless used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-session-id={s.id}>
              <td>
                {visible(s.label)} <code>{s.id}</code>
              </td>
              <td>{when(s.created_at)}</td>
              <td>{when(s.last_used_at)}</td>
              <td>{when(s.expires_at)}</td>
              <td>
                {s.current ? (
                  'this window'
                ) : (
                  <button type="button" onClick={() => void revoke(s.id)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
