import { useEffect, useState } from 'react';
import { LogOutButton, SessionGate } from './components/session-gate';
import { AgentsPage } from './pages/agents-page';
import { ApprovalsPage } from './pages/approvals-page';

type Route = { page: 'approvals'; id: string | null } | { page: 'agents' };

/** Hash routes, so that an approval_url (`/app/#/approvals/req_…`) opens its request. */
function parse(hash: string): Route {
  const [, page, id] = hash.replace(/^#/, '').split('/');
  if (page === 'agents') return { page: 'agents' };
  return { page: 'approvals', id: id && /^req_[0-9A-Za-z]{20}$/.test(id) ? id : null };
}

export function App() {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <SessionGate>
      <Pages route={route} />
    </SessionGate>
  );
}

function Pages({ route }: { route: Route }) {
  return (
    <main>
      <header className="top">
        <h1>Purser</h1>
        <nav>
          <a href="#/approvals" aria-current={route.page === 'approvals' ? 'page' : undefined}>
            Approvals
          </a>
          <a href="#/agents" aria-current={route.page === 'agents' ? 'page' : undefined}>
            Agents
          </a>
        </nav>
        <LogOutButton />
      </header>
      {route.page === 'approvals' ? <ApprovalsPage focusId={route.id} /> : <AgentsPage />}
    </main>
  );
}
