import { z } from 'zod';

/** `POST /admin/v1/sessions`: swap a login link's one-time code for a session token. */
export const sessionLoginBody = z.strictObject({ code: z.string().min(1).max(100) });

export const ownerSessionView = z.object({
  id: z.string(),
  object: z.literal('owner_session'),
  label: z.string(),
  created_at: z.string(),
  last_used_at: z.string(),
  /** When it ends unless used again (idle timeout). */
  expires_at: z.string(),
  /** The session this call was made with. */
  current: z.boolean(),
});
export type OwnerSessionView = z.infer<typeof ownerSessionView>;

export const sessionGrantView = z.object({
  token: z.string(),
  session: ownerSessionView,
  idle_timeout_seconds: z.number().int(),
});
export type SessionGrantView = z.infer<typeof sessionGrantView>;

/** `GET /admin/v1/session`: who is calling. */
export const whoAmIView = z.object({
  kind: z.enum(['owner_token', 'session']),
  session: ownerSessionView.nullable(),
});
export type WhoAmIView = z.infer<typeof whoAmIView>;

export const ownerSessionList = z.object({ sessions: z.array(ownerSessionView) });

/** `POST /admin/v1/sessions/:id/revoke`: that session has ended. */
export const sessionRevoked = z.object({ revoked: z.literal(true), id: z.string() });

/** `POST /admin/v1/sessions/revoke-all`: how many sessions ended. */
export const sessionsRevoked = z.object({ revoked: z.number().int() });

/** `POST /admin/v1/logout`: false when the call was made with the owner token (no session). */
export const loggedOutView = z.object({ logged_out: z.boolean() });

/** `POST /admin/v1/login-links`: a one-time link that logs a browser into the window. */
export const loginLinkView = z.object({ url: z.string() });
