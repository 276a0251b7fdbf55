import { LogOut } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { NOT_LOGGED_IN } from '../api/client';
import { codeFromHash, useSession, type SessionStatus } from '../stores/session';

const HOW_TO_LOG_IN =
  'For a new login link, run `purser login` in a terminal where Purser runs headless (`purser serve`).';
const HOW_TO_LOG_IN_DESKTOP = 'Choose “Log in again” for a new session of this window.';

function ended(why: Extract<SessionStatus, { state: 'ended' }>['why']): string {
  switch (why) {
    case 'logged_out':
      return 'You are logged out.';
    case 'bad_link':
      return 'This login link was already used or has expired (links work once, for ten minutes).';
    case 'ended':
      return 'Your owner session has ended: it was idle for 12 hours, it was revoked (`purser sessions revoke`), or Purser restarted.';
  }
}

/**
 * Shows the pages only while the window has a live owner session, and says plainly when it
 * has none or it ended, and how to get a new link: never a silent, stale page.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const status = useSession((s) => s.status);
  const start = useSession((s) => s.start);
  useEffect(() => {
    void start();
    // A login link opened in a tab that already shows the window changes only the hash.
    const onHash = () => {
      if (codeFromHash(window.location.hash) !== null) void start();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [start]);

  if (status.state === 'active') return <>{children}</>;
  if (status.state === 'logging_in') return <p className="empty">Logging in…</p>;
  const desktop = window.purser;
  return (
    <main>
      <header className="top">
        <h1>Purser</h1>
      </header>
      <section className="session-ended" role="alert">
        <h2>{status.state === 'none' ? 'Not logged in' : 'Session ended'}</h2>
        <p>{status.state === 'none' ? NOT_LOGGED_IN : ended(status.why)}</p>
        <p>{desktop ? HOW_TO_LOG_IN_DESKTOP : HOW_TO_LOG_IN}</p>
        {desktop && (
          <button type="button" onClick={() => desktop.logInAgain()}>
            Log in again
          </button>
        )}
      </section>
    </main>
  );
}

export function LogOutButton() {
  const logOut = useSession((s) => s.logOut);
  return (
    <button type="button" className="log-out secondary" onClick={() => void logOut()}>
      <LogOut aria-hidden="true" size={16} className="icon" />
      Log out
    </button>
  );
}
