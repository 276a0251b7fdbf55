import { toIso } from '../../../core/clock';
import { PurserError } from '../../../core/errors';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';
import type { OwnerSession, OwnerSessions } from '../../owner-sessions';
import { SESSION_IDLE_MS } from '../../owner-sessions';
import { loginUrl } from '../../ui';

function view(sessions: OwnerSessions, s: OwnerSession, current: OwnerSession | null) {
  return {
    id: s.id,
    object: 'owner_session' as const,
    label: s.label,
    created_at: toIso(s.createdAt),
    last_used_at: toIso(s.lastUsedAt),
    expires_at: toIso(sessions.expiresAt(s)),
    current: current?.id === s.id,
  };
}

type SessionRoutes =
  | 'logIn'
  | 'whoAmI'
  | 'listSessions'
  | 'revokeSession'
  | 'revokeAllSessions'
  | 'logOut'
  | 'createLoginLink';

/**
 * Owner sessions of the window (docs/trust-model.md): the login exchange, who-am-I,
 * listing, revoking and logging out; and new login links for `purser login`.
 */
export function ownerSessionHandlers({
  sessions,
  baseUrl,
}: RouteContext): OwnerHandlerGroup<SessionRoutes> {
  return {
    // Public by necessity (the contract says so): the caller has no credential yet, only
    // the one-time code. The code is 190 bits of randomness and works once, for ten minutes.
    logIn: ({ body }) => {
      const grant = sessions.redeem(body.code);
      if (!grant) {
        throw new PurserError(
          'invalid_api_key',
          'This login link was already used or has expired. Run `purser login` for a new one.',
        );
      }
      return {
        token: grant.token,
        session: view(sessions, grant.session, grant.session),
        idle_timeout_seconds: SESSION_IDLE_MS / 1000,
      };
    },
    whoAmI: ({ request }) => ({
      kind: request.ownerSession ? ('session' as const) : ('owner_token' as const),
      session: request.ownerSession
        ? view(sessions, request.ownerSession, request.ownerSession)
        : null,
    }),
    listSessions: ({ request }) => ({
      sessions: sessions.list().map((s) => view(sessions, s, request.ownerSession)),
    }),
    revokeSession: ({ params }) => {
      if (!sessions.revoke(params.id)) throw new PurserError('not_found', 'No such live session.');
      return { revoked: true as const, id: params.id };
    },
    revokeAllSessions: () => ({ revoked: sessions.revokeAll() }),
    /** Log out: ends the session this call was made with (the owner token has none). */
    logOut: ({ request }) => ({
      logged_out: request.ownerSession ? sessions.revoke(request.ownerSession.id) : false,
    }),
    createLoginLink: () => ({ url: loginUrl(baseUrl(), sessions) }),
  };
}
