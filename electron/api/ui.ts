import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './context';
import { SESSION_COOKIE, type OwnerSessions } from './owner-sessions';

/** A strict policy for the owner window: only our own scripts, only our own API. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Serves the built React window at /app/ (the desktop app loads it from here too, so the
 * window and the API share one origin and no CORS is ever needed). Every response says
 * it must not be framed or sniffed.
 */
export async function installUi(
  app: FastifyInstance,
  rendererDir: string | undefined,
  context: RouteContext,
): Promise<void> {
  installLogin(app, context);
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    if (request.url.startsWith('/app')) reply.header('Content-Security-Policy', CSP);
    done(null, payload);
  });
  if (rendererDir && existsSync(join(rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: rendererDir,
      prefix: '/app/',
      index: 'index.html',
      decorateReply: false,
    });
    app.get('/app', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'));
    return;
  }
  app.get('/app/*', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .code(503)
      .send('The Purser window is not built in this checkout. Run `npm run build`, then reload.\n'),
  );
}

/**
 * `GET /app/login?code=…` swaps a one-time code for the session cookie;
 * `POST /admin/v1/login-links` (owner token) mints a new link for `purser login`.
 */
function installLogin(app: FastifyInstance, { sessions, baseUrl }: RouteContext): void {
  app.get('/app/login', { schema: { hide: true } }, async (request, reply) => {
    const code = (request.query as Record<string, unknown>).code;
    const session =
      typeof code === 'string' && code.length < 100 ? sessions.redeem(code) : undefined;
    if (!session) {
      return reply
        .code(403)
        .type('text/plain; charset=utf-8')
        .send(
          'This login link was already used or has expired. Run `purser login` for a new one.\n',
        );
    }
    reply.header('Set-Cookie', `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`);
    reply.header('Cache-Control', 'no-store');
    return reply.redirect('/app/', 303);
  });
  app.post(
    '/admin/v1/login-links',
    { config: { owner: true }, schema: { hide: true } },
    async () => ({
      url: loginUrl(baseUrl(), sessions),
    }),
  );
}

export function loginUrl(base: string, sessions: OwnerSessions): string {
  return `${base}/app/login?code=${sessions.createCode()}`;
}

/** Where the built renderer lives in a checkout: out/renderer at the repository root. */
export function defaultRendererDir(): string {
  return join(import.meta.dirname ?? process.cwd(), '..', '..', 'out', 'renderer');
}
