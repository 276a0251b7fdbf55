import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Wallet } from '../core/wallet';
import { installAgentAuth, installOwnerAuth, requireDeclaredAccess } from './auth';
import type { RouteContext } from './context';
import { installErrorHandling, sendError } from './errors';
import { serializerCompiler } from './serializer';
import { installLocalhostGuards } from './security';
import { clientErrorHandler } from './client-errors';
import { assertWellFormedText, decodeUtf8 } from './text-guard';
import { assertExactNumbers } from './json-numbers';
import { PurserError } from '../core/errors';
import { OwnerSessions } from './owner-sessions';
import { mcpRoutes } from './mcp-route';
import { registerOpenApi } from './openapi';
import { registerOwnerRoutes } from './owner-routes';
import { defaultRendererDir, installUi } from './ui';
import { accountRoutes } from './routes/agent/account';
import { spendRoutes } from './routes/agent/spend';
import { ownerAgentHandlers } from './routes/owner/agents';
import { ownerConnectHandlers } from './routes/owner/connect';
import { defaultHome } from '../core/paths';
import { ownerFundingHandlers } from './routes/owner/funding';
import { ownerLedgerHandlers } from './routes/owner/ledger';
import { ownerApprovalHandlers } from './routes/owner/approvals';
import { ownerOverviewHandlers } from './routes/owner/overview';
import { ownerSpendingHandlers } from './routes/owner/spending';
import { ownerEventHandlers } from './routes/owner/events';
import { ownerReceiptHandlers } from './routes/owner/receipts';
import { budgetRequestRoutes } from './routes/agent/budget-requests';
import { receiptRoutes } from './routes/agent/receipts';
import { x402Routes } from './routes/agent/x402';
import { payoutRoutes } from './routes/agent/payouts';
import { mppRoutes, payRoute } from './routes/agent/mpp';
import { ownerChainHandlers } from './routes/owner/chain';
import { ownerRecipientHandlers } from './routes/owner/recipients';
import { ownerSessionHandlers } from './routes/owner/sessions';

export interface AppOptions {
  wallet: Wallet;
  /** The owner's secret: opens /admin routes. Never a spending key. */
  ownerToken: string;
  /** The port clients must name in `Host`; by default the one the server listens on. */
  port?: number;
  logger?: boolean;
  /** The built renderer to serve at /app/; by default out/renderer of this checkout. */
  rendererDir?: string;
  /** Login links and browser sessions for headless mode. */
  sessions?: OwnerSessions;
  /** The data folder; by default the default one. */
  home?: string;
  /** See RouteContext.clientEnv; by default process.env. */
  clientEnv?: NodeJS.ProcessEnv;
  /** The agent socket, when one is served. */
  agentSocket?: string;
}

/** Bodies larger than this are refused (413) before they are parsed. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the HTTP app (agent API, owner API, OpenAPI document) without listening: tests
 * use it through `inject()` or a real port, server.ts is the one place that listens.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // Errors of Node's HTTP parser (431, bad framing) get the envelope too.
    clientErrorHandler,
    // A request without Host reaches the localhost guard, which refuses it in the envelope,
    // instead of Node's bare 400 with an empty body.
    http: { requireHostHeader: false },
    forceCloseConnections: true,
    // Clients are local; a stalled one should not hold a socket for long.
    connectionTimeout: 120_000,
    requestTimeout: 120_000,
    // Errors the router raises before any route runs get the same envelope as the rest.
    frameworkErrors: (error, _request, reply) => {
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
        return sendError(reply, 'not_found', 'No such object.');
      return sendError(reply, 'invalid_request', 'The request URL could not be read.');
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // JSON only: a form post or a text/plain "simple request" from a web page is refused.
  // An empty JSON body means "no body" (curl -X POST with the header and nothing else);
  // prototype-poisoning keys are an error, as in Fastify's own parser.
  // Bodies are strict UTF-8 and every string in them well-formed Unicode without NUL
  // (text-guard.ts): what is answered, stored, hashed and read back is one string. Every
  // number is the value written, never one JSON.parse rounded (json-numbers.ts).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['text/plain', 'application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = decodeUtf8(body as Buffer);
    } catch (error) {
      return done(error as Error, undefined);
    }
    if (text.trim() === '') return done(null, {});
    return parseJson(request, text, (error, parsed) => {
      if (error) return done(isJson(text) ? poisoned() : error, undefined);
      try {
        assertWellFormedText(parsed);
        assertExactNumbers(text);
      } catch (bad) {
        return done(bad as Error, undefined);
      }
      done(null, parsed);
    });
  });

  let listening: number | undefined;
  const port = () => {
    if (options.port !== undefined) return options.port;
    if (listening === undefined) {
      const address = app.server.address();
      listening = address && typeof address === 'object' ? address.port : undefined;
    }
    return listening;
  };
  const baseUrl = () => `http://127.0.0.1:${port() ?? 8402}`;

  // A POST with no body at all is an empty object: routes whose fields are all optional
  // (the faucet, issuing a key) need nothing, and the others say which fields are missing.
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.method === 'POST' && (request.body === undefined || request.body === null))
      request.body = {};
    done();
  });
  installErrorHandling(app);
  requireDeclaredAccess(app);
  installLocalhostGuards(app, port);
  installAgentAuth(app, options.wallet);
  const sessions = options.sessions ?? new OwnerSessions();
  installOwnerAuth(app, options.ownerToken, sessions);

  await registerOpenApi(app, baseUrl);

  const context: RouteContext = {
    wallet: options.wallet,
    baseUrl,
    sessions,
    home: options.home ?? defaultHome(),
    clientEnv: options.clientEnv ?? process.env,
    ...(options.agentSocket !== undefined && { agentSocket: options.agentSocket }),
  };
  spendRoutes(app, context);
  accountRoutes(app, context);
  budgetRequestRoutes(app, context);
  receiptRoutes(app, context);
  x402Routes(app, context);
  payoutRoutes(app, context);
  mppRoutes(app, context);
  payRoute(app, context);
  mcpRoutes(app, port);
  // Every owner route, from the contract; a route without a handler does not compile.
  registerOwnerRoutes(app, {
    ...ownerAgentHandlers(context),
    ...ownerConnectHandlers(context),
    ...ownerFundingHandlers(context),
    ...ownerLedgerHandlers(context),
    ...ownerApprovalHandlers(context),
    ...ownerOverviewHandlers(context),
    ...ownerSpendingHandlers(context),
    ...ownerEventHandlers(context),
    ...ownerReceiptHandlers(context),
    ...ownerChainHandlers(context),
    ...ownerRecipientHandlers(context),
    ...ownerSessionHandlers(context),
  });

  app.get('/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await installUi(app, options.rendererDir ?? defaultRendererDir());

  await app.ready();
  return app;
}

/** Whether `text` is JSON at all; JSON.parse makes `__proto__` an own key, so this is safe. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The parser refused valid JSON: it has a key that could poison a prototype. Say so. */
const poisoned = () =>
  new PurserError(
    'invalid_request',
    'The body has a "__proto__" or "constructor.prototype" key, which Purser refuses.',
  );
