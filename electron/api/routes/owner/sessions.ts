import { ownerContract } from '../../../../shared/contract/owner';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { toIso } from '../../../core/clock';
import { PurserError } from '../../../core/errors';
import type { RouteContext, ZodApp } from '../../context';
import type { OwnerSession, OwnerSessions } from '../../owner-sessions';
import { SESSION_IDLE_MS } from '../../owner-sessions';
import { loginUrl } from '../../ui';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

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

/**
 * Owner sessions of the window (docs/trust-model.md): the login exchange, who-am-I,
 * listing, revoking and logging out; and new login links for `purser login`.
 */
export function ownerSessionRoutes(app: ZodApp, { sessions, baseUrl }: RouteContext): void {
  // Public by necessity: the caller has no credential yet, only the one-time code. The
  // code is 190 bits of randomness and works once, for ten minutes.
  app.post(
    ownerContract.logIn.path,
    {
      config: { public: ownerContract.logIn.public },
      schema: {
        hide: true,
        body: ownerContract.logIn.body,
        response: { 200: ownerContract.logIn.response, ...errors },
      },
    },
    async (request) => {
      const grant = sessions.redeem(request.body.code);
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
  );

  app.get(
    ownerContract.whoAmI.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.whoAmI.response } },
    },
    async (request) => ({
      kind: request.ownerSession ? ('session' as const) : ('owner_token' as const),
      session: request.ownerSession
        ? view(sessions, request.ownerSession, request.ownerSession)
        : null,
    }),
  );

  app.get(
    ownerContract.listSessions.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.listSessions.response } },
    },
    async (request) => ({
      sessions: sessions.list().map((s) => view(sessions, s, request.ownerSession)),
    }),
  );

  app.post(
    ownerContract.revokeSession.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.revokeSession.params,
        response: { 200: ownerContract.revokeSession.response, ...errors },
      },
    },
    async (request) => {
      if (!sessions.revoke(request.params.id))
        throw new PurserError('not_found', 'No such live session.');
      return { revoked: true as const, id: request.params.id };
    },
  );

  app.post(
    ownerContract.revokeAllSessions.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.revokeAllSessions.response } },
    },
    async () => ({ revoked: sessions.revokeAll() }),
  );

  /** Log out: ends the session this call was made with (the owner token has none). */
  app.post(
    ownerContract.logOut.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.logOut.response } },
    },
    async (request) => ({
      logged_out: request.ownerSession ? sessions.revoke(request.ownerSession.id) : false,
    }),
  );

  app.post(
    ownerContract.createLoginLink.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.createLoginLink.response } },
    },
    async () => ({ url: loginUrl(baseUrl(), sessions) }),
  );
}
