/**
 * Where a click on a notification or the tray takes the owner's window: a hash route of the
 * window (renderer/src/app.tsx parses the same routes), checked before it is loaded.
 */
import { APP_PATH } from './window-options';

/** A route of the owner's window: `#/overview`, `#/approvals/req_…`, `#/agents`, `#/ledger`, … */
export type AppRoute = `#/${string}`;

const SPEND_ID = /^req_[0-9A-Za-z]{20}$/;
const PAGES = new Set([
  'overview',
  'approvals',
  'agents',
  'wallet',
  'ledger',
  'spending',
  'settings',
]);

/**
 * The route that opens a request: a spend request opens on its own; anything else opens
 * the approvals list, where pending budget requests are shown (the window has no route of
 * its own for one budget request yet).
 */
export function requestRoute(id: string): AppRoute {
  return SPEND_ID.test(id) ? `#/approvals/${id}` : '#/approvals';
}

/**
 * `route` if it is one the window knows, else undefined. Only these ever reach loadURL,
 * so no text from elsewhere can steer the window (a login code, `#code=…`, is never a
 * route: only a login link from the wallet carries one).
 */
export function parseAppRoute(route: string): AppRoute | undefined {
  const match = /^#\/([a-z]+)(?:\/([^/]*))?$/.exec(route);
  if (!match) return undefined;
  const [, page, id] = match;
  if (!page || !PAGES.has(page)) return undefined;
  if (id === undefined || id === '') return `#/${page}`;
  return page === 'approvals' && SPEND_ID.test(id) ? `#/approvals/${id}` : undefined;
}

/** The full address of a route of the window on the wallet's origin. */
export function appUrl(appOrigin: string, route: AppRoute): string {
  return `${appOrigin}${APP_PATH}${route}`;
}

/** Whether `url` still carries a one-time login code (the page swaps it for a session). */
export function isLoginUrl(url: string): boolean {
  try {
    return new URL(url).hash.startsWith('#code=');
  } catch {
    return false;
  }
}

/**
 * A new window opens on a login link, and the page replaces the link's code with
 * `#/overview` as it logs in. A route asked for meanwhile (the owner clicked a
 * notification) is loaded once the code is gone, so that it does not race the login: the
 * route to load now, given the window's current address, or undefined to keep waiting.
 */
export function routeToApply(
  currentUrl: string,
  pending: AppRoute | undefined,
): AppRoute | undefined {
  if (pending === undefined || isLoginUrl(currentUrl)) return undefined;
  return pending;
}
