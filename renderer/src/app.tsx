import { useEffect, useState } from 'react';
import {
  BarChart3,
  BookText,
  Bot,
  Inbox,
  LayoutDashboard,
  Settings as SettingsIcon,
  Wallet as WalletIcon,
  type LucideIcon,
} from 'lucide-react';
import { LogOutButton, SessionGate } from './components/session-gate';
import { AgentsPage } from './pages/agents-page';
import { SettingsPage } from './pages/settings-page';
import { api } from './api/client';
import { PanicButton } from './components/panic-button';
import { WalletBanners } from './components/wallet-banners';
import { useApprovals } from './stores/approvals';
import { waitingCount } from './stores/approvals-state';
import { useWallet } from './stores/wallet';
import { useChain } from './stores/chain';
import { useAgents } from './stores/agents';
import { useConnect } from './stores/connect';
import { visible } from '../../shared/text/visible';
import { ApprovalsPage } from './pages/approvals-page';
import { WalletPage } from './pages/wallet-page';
import { LedgerPage } from './pages/ledger-page';
import { OverviewPage } from './pages/overview-page';
import { SpendingPage } from './pages/spending-page';
import { useOverview } from './stores/overview';
import { useSpending } from './stores/spending';

/** The pages in the navigation, in its order, each with its link's text. */
const PAGES = {
  overview: 'Overview',
  approvals: 'Approvals',
  agents: 'Agents',
  wallet: 'Wallet',
  ledger: 'Ledger',
  spending: 'Spending',
  settings: 'Settings',
} as const;
type Page = keyof typeof PAGES;
const isPage = (page: string | undefined): page is Page =>
  page !== undefined && Object.hasOwn(PAGES, page);

type Route =
  | { page: 'approvals'; id: string | null }
  | { page: Exclude<Page, 'approvals'> }
  | { page: 'not_found'; path: string };

/** An icon beside each page's name, to find it at a glance (lucide, docs/design.md). */
const ICONS: Record<Page, LucideIcon> = {
  overview: LayoutDashboard,
  approvals: Inbox,
  agents: Bot,
  wallet: WalletIcon,
  ledger: BookText,
  spending: BarChart3,
  settings: SettingsIcon,
};
function NavIcon({ page }: { page: Page }) {
  const Icon = ICONS[page];
  return <Icon aria-hidden="true" size={16} strokeWidth={2} className="icon" />;
}

/** Hash routes, so that an approval_url (`/app/#/approvals/req_…`) opens its request. */
export function parse(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const [, page, id, ...rest] = path.split('/');
  // The Overview is the first page. A login link's `#code=…` is swapped for a session and
  // removed by the session store (replaceState fires no hashchange): its page is the
  // Overview too, and the code is never shown.
  if (path === '' || path === '/' || path.startsWith('code=')) return { page: 'overview' };
  if (isPage(page) && page !== 'approvals' && id === undefined) return { page };
  if (page === 'approvals' && rest.length === 0) {
    if (id === undefined || id === '') return { page: 'approvals', id: null };
    if (/^req_[0-9A-Za-z]{20}$/.test(id)) return { page: 'approvals', id };
  }
  return { page: 'not_found', path };
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

/** One event stream for the whole window: each store takes what concerns it. */
function useLiveEvents() {
  useEffect(() => {
    void useWallet.getState().load();
    // What waits for the owner is counted in the navigation and the title on every page.
    void useApprovals.getState().load();
    return api.events(
      (event) => {
        useApprovals.getState().apply(event);
        useWallet.getState().apply(event);
        useChain.getState().apply(event);
        // A spend anywhere moves its agent's meter.
        useAgents.getState().apply(event);
        // An agent just connected from its card: its first request, live.
        useConnect.getState().apply(event);
        // Any of them may move a figure of the Overview.
        useOverview.getState().apply(event);
        // And of the Spending view, when its range is on screen.
        useSpending.getState().apply(event);
      },
      (state) => {
        useWallet.getState().setConnection(state);
        useChain.getState().setConnection(state);
        useAgents.getState().setConnection(state);
        useOverview.getState().setConnection(state);
        useSpending.getState().setConnection(state);
      },
    );
  }, []);
}

/**
 * What waits for the owner (spend requests, budget requests, receipts to review), as the
 * navigation and the window's title show it: the title reaches the taskbar and the
 * browser's tab, so a waiting request is seen without the window in front.
 */
function useWaitingCount(): number {
  const waiting = useApprovals((s) => waitingCount(s.queue));
  useEffect(() => {
    document.title = waiting > 0 ? `(${waiting}) Purser` : 'Purser';
  }, [waiting]);
  return waiting;
}

function Pages({ route }: { route: Route }) {
  useLiveEvents();
  const waiting = useWaitingCount();
  return (
    <main>
      <header className="top">
        <h1>Purser</h1>
        <nav aria-label="Pages">
          {Object.entries(PAGES).map(([page, text]) => (
            <a
              key={page}
              href={`#/${page}`}
              aria-current={route.page === page ? 'page' : undefined}
            >
              <NavIcon page={page as Page} />
              {text}
              {page === 'approvals' && waiting > 0 && (
                <span className="nav-count" aria-label={`${waiting} waiting`}>
                  {waiting}
                </span>
              )}
            </a>
          ))}
        </nav>
        <div className="top-actions">
          <PanicButton />
          <LogOutButton />
        </div>
      </header>
      <WalletBanners />
      {route.page === 'overview' && <OverviewPage />}
      {route.page === 'approvals' && <ApprovalsPage focusId={route.id} />}
      {route.page === 'agents' && <AgentsPage />}
      {route.page === 'wallet' && <WalletPage />}
      {route.page === 'ledger' && <LedgerPage />}
      {route.page === 'spending' && <SpendingPage />}
      {route.page === 'settings' && <SettingsPage />}
      {route.page === 'not_found' && (
        <section role="alert">
          <h2>Not found</h2>
          <p>
            There is no page <code>{visible(route.path)}</code> in Purser.{' '}
            <a href="#/overview">Go to the Overview</a>.
          </p>
        </section>
      )}
    </main>
  );
}
