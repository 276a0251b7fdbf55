import { useEffect } from 'react';
import { visible } from '../../../shared/text/visible';
import { DataTable } from '../components/data-table';
import { DismissableError } from '../components/dismissable-error';
import { SettingsForm } from '../components/settings-form';
import { useSessions } from '../stores/sessions';
import { useWallet } from '../stores/wallet';

const when = (iso: string) => new Date(iso).toLocaleString();

/** Settings: the workspace settings (editable), and the owner's window sessions. */
export function SettingsPage() {
  const settings = useWallet((s) => s.settings);
  const walletError = useWallet((s) => s.error);
  const dismissWallet = useWallet((s) => s.dismiss);
  const { sessions, error, load, revoke, dismiss } = useSessions();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section>
      <h2>Settings</h2>
      {walletError && <DismissableError message={walletError} onDismiss={dismissWallet} />}
      {settings && <SettingsForm settings={settings} />}
      <dl className="settings">
        <dt>Port</dt>
        <dd>
          {window.location.port || '80'} (set with <code>purser serve --port N</code> or{' '}
          <code>PURSER_PORT</code>; agents use it in <code>PURSER_URL</code>)
        </dd>
        <dt>Spending</dt>
        <dd>{settings?.frozen ? 'frozen (Unfreeze in the banner above)' : 'open'}</dd>
      </dl>
      <h3>Owner sessions</h3>
      <p>
        Every window logged in with a login link. A session ends after 12 hours without use; revoke
        any you do not recognise.
      </p>
      {error && <DismissableError message={error} onDismiss={dismiss} />}
      <DataTable
        label="Owner sessions"
        columns={['Session', 'Since', 'Last used', 'Ends unless used', '']}
      >
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
      </DataTable>
    </section>
  );
}
