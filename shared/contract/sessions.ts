/**
 * Owner sessions of the window (docs/trust-model.md): the login exchange, who-am-I, listing,
 * revoking and logging out; new login links for `purser login`; and the event stream.
 */
import {
  loggedOutView,
  loginLinkView,
  ownerSessionList,
  sessionGrantView,
  sessionLoginBody,
  sessionRevoked,
  sessionsRevoked,
  whoAmIView,
} from '../schemas/sessions';
import { idRoute, type OwnerRouteSpec } from './route';

export const sessionRoutes = {
  /** Swaps a login link's one-time code for a session token. */
  logIn: {
    method: 'POST',
    path: '/admin/v1/sessions',
    body: sessionLoginBody,
    response: sessionGrantView,
    public: true,
  },
  whoAmI: { method: 'GET', path: '/admin/v1/session', response: whoAmIView },
  listSessions: { method: 'GET', path: '/admin/v1/sessions', response: ownerSessionList },
  revokeSession: idRoute({
    method: 'POST',
    path: '/admin/v1/sessions/:id/revoke',
    response: sessionRevoked,
  }),
  revokeAllSessions: {
    method: 'POST',
    path: '/admin/v1/sessions/revoke-all',
    response: sessionsRevoked,
  },
  /** Ends the session this call was made with (the owner token has none). */
  logOut: { method: 'POST', path: '/admin/v1/logout', response: loggedOutView },
  createLoginLink: { method: 'POST', path: '/admin/v1/login-links', response: loginLinkView },
  /** Server-sent events, named and shaped as `ownerEvents` (events.ts) says: no JSON answer. */
  events: { method: 'GET', path: '/admin/v1/events' },
} as const satisfies Record<string, OwnerRouteSpec>;
