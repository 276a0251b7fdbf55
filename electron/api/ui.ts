import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OwnerSessions } from './owner-sessions';

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

/** The cookie older versions logged in with; cleared wherever a browser still sends it. */
const LEGACY_COOKIE = 'purser_session';

/**
 * Serves the built React window at /app/ (the desktop app loads it from here too, so the
 * window and the API share one origin and no CORS is ever needed). Every response says
 * it must not be framed or sniffed. The window may be built after the server started
 * (`npm run build` in another terminal): whether it exists is looked up per request.
 */
export async function installUi(
  app: FastifyInstance,
  rendererDir: string | undefined,
): Promise<void> {
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    if (request.url.startsWith('/app')) {
      reply.header('Content-Security-Policy', CSP);
      // A session cookie from an older Purser would still be sent to every local port.
      if (request.headers.cookie?.includes(`${LEGACY_COOKIE}=`))
        reply.header('Set-Cookie', `${LEGACY_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`);
    }
    done(null, payload);
  });
  const indexFile = rendererDir ? join(rendererDir, 'index.html') : undefined;
  const notBuilt = (reply: FastifyReply) =>
    reply
      .type('text/plain; charset=utf-8')
      .code(503)
      .send(
        'The Purser window is not built in this checkout yet. Run `npm run build` (npm start does it for you), then reload this page.\n',
      );
  app.get('/app', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'));
  if (!rendererDir || !indexFile) {
    app.get('/app/*', { schema: { hide: true } }, async (_request, reply) => notBuilt(reply));
    return;
  }
  await app.register(async (scope) => {
    scope.addHook('onRequest', (_request, reply, done) => {
      if (existsSync(indexFile)) return done();
      notBuilt(reply);
    });
    await scope.register(fastifyStatic, {
      root: rendererDir,
      prefix: '/app/',
      index: 'index.html',
      decorateReply: false,
    });
  });
}

/**
 * A one-time login link. The code rides in the fragment, which browsers never send to
 * any server (nor in a Referer); the page swaps it for a session token
 * (`POST /admin/v1/sessions`) and removes it from the address bar.
 */
export function loginUrl(base: string, sessions: OwnerSessions, label?: string): string {
  return `${base}/app/#code=${sessions.createCode(label)}`;
}

/**
 * Where the built renderer lives in a checkout: out/renderer at the package's root (found
 * from the package root, since this module also runs bundled into out/cli/chunks/).
 */
export function defaultRendererDir(): string {
  return join(packageRoot(), 'out', 'renderer');
}
