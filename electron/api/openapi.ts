/**
 * The OpenAPI document Purser serves at `GET /v1/openapi.json`, written for client
 * generators (openapi-generator, openapi-typescript, Kiota…): every operation has a stable
 * camelCase `operationId`, `servers` names the URL this Purser listens on, `?wait=` is an
 * integer, each object has one schema (no `…Input` twin), and the main request bodies carry
 * an example.
 *
 * Only the agent API (`/v1`) is described. The owner API (`/admin/v1`) has no document:
 * its routes are registered with `hide: true` (owner-routes.ts), so they are left out of
 * this one, and nothing else is served for them. Its contract is shared/contract/, from
 * which the window and the CLI are typed; it is not published to agents or web pages.
 *
 * The schemas are the zod schemas that validate the requests (shared/schemas/), turned
 * into JSON Schema by fastify-type-provider-zod; this file only adds what they cannot say.
 */
import fastifySwagger, {
  type FastifyDynamicSwaggerOptions,
  type SwaggerTransform,
  type SwaggerTransformObject,
} from '@fastify/swagger';
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { payoutCreateBody } from '../../shared/schemas/payouts';
import { faucetBody, spendCreateBody } from '../../shared/schemas/agent-api';
import { budgetRequestCreateBody } from '../../shared/schemas/budget-requests';
import { waitQuery } from '../../shared/schemas/common';
import { receiptCreateBody } from '../../shared/schemas/receipts';
import type { ZodApp } from './context';

/**
 * The `operationId` of each documented route, by method and path. They are what generated
 * clients name their methods, so they never change once published; they follow the
 * TypeScript client and the MCP tools (recordReceipt, payX402). A documented route that
 * is missing here fails the document (and test/integration/openapi.test.ts) loudly.
 */
const OPERATION_IDS: Readonly<Record<string, string>> = {
  'POST /v1/spend': 'createSpendRequest',
  'GET /v1/spend/:id': 'getSpendRequest',
  'POST /v1/spend/:id/cancel': 'cancelSpendRequest',
  'GET /v1/balance': 'getBalance',
  'GET /v1/policy': 'getPolicy',
  'POST /v1/sandbox/faucet': 'addSandboxFunds',
  'POST /v1/budget-requests': 'createBudgetRequest',
  'GET /v1/budget-requests': 'listBudgetRequests',
  'GET /v1/budget-requests/:id': 'getBudgetRequest',
  'POST /v1/receipts': 'recordReceipt',
  'POST /v1/x402/pay': 'payX402',
  'GET /v1/x402/payments/:id': 'getX402Payment',
  'POST /v1/pay': 'pay',
  'POST /v1/mpp/pay': 'payMpp',
  'GET /v1/mpp/payments/:id': 'getMppPayment',
  'POST /v1/crypto/payout-intents': 'createPayoutIntent',
  'GET /v1/crypto/payout-intents/:id': 'getPayoutIntent',
  'POST /v1/crypto/payout-intents/:id/cancel': 'cancelPayoutIntent',
};

/**
 * The Dino-compatible aliases (`/v1/spend-requests…`, routes/agent/spend.ts) are left out of
 * the document rather than marked `deprecated`. They are the same operations under a second
 * name, kept so an agent written for Dino works unchanged, and they are not going away,
 * which is what `deprecated` would tell a reader. In the document they would only make
 * generators emit every spend method twice (`createSpendRequest`, `createSpendRequest1`),
 * and nobody generates a client for the alias: a Dino agent brings its own.
 */
const isDinoAlias = (url: string) =>
  url === '/v1/spend-requests' || url.startsWith('/v1/spend-requests/');

/**
 * An example of each main request body, written into its schema (`examples`, as JSON Schema
 * 2020-12 and OpenAPI 3.1 have it). Not on the operation's media type: @fastify/swagger drops
 * every keyword beside a `$ref`, and the bodies are references to their components. The
 * OpenAPI test parses each example with its schema, so none can drift from what is valid.
 */
const BODY_EXAMPLES = new Map<unknown, Record<string, unknown>>([
  [
    spendCreateBody,
    {
      amount_cents: 1200,
      currency: 'usd',
      merchant_name: 'AWS',
      reason: 'GPU hour for the eval',
      category: 'compute',
      metadata: { job_id: 'eval-42' },
    },
  ],
  [
    budgetRequestCreateBody,
    {
      amount_cents: 50_000,
      purpose: 'Crawl and embed the Q3 filings, about 2,000 documents',
      category: 'compute',
    },
  ],
  [
    receiptCreateBody,
    {
      amount_micros: 10_000,
      host: 'api.example.com',
      rail: 'x402',
      network: 'eip155:8453',
      occurred_at: '2026-03-14T10:00:00Z',
    },
  ],
  [faucetBody, { amount_cents: 100_000 }],
  [
    payoutCreateBody,
    {
      recipient: 'rcp_0Tfz9mWq3KcP7eLx2Bn4',
      amount_cents: 25_000,
      reason: 'Invoice 2026-11 from the translation contractor',
      network: 'base',
    },
  ],
]);

type JsonSchema = Record<string, unknown>;
type Override = (ctx: { zodSchema: unknown; jsonSchema: JsonSchema }) => void;

/**
 * Schemas documented as what a client sends rather than as what zod reads. `?wait=` is
 * text on the wire, so its zod schema reads digits and turns them into a number (a pipe,
 * which zod describes by its input: a string with a pattern); a client sends an integer
 * from 0 to 60, and that is what its parameter must be typed as.
 */
const DOCUMENTED_AS = new Map<unknown, JsonSchema>([
  [
    waitQuery.shape.wait,
    {
      type: 'integer',
      minimum: 0,
      maximum: 60,
      description:
        'Hold the call up to this many seconds while the object is still pending; it returns as soon as it is decided.',
    },
  ],
]);

const isUnion = (schema: unknown) =>
  schema instanceof z.core.$ZodType && schema._zod.def.type === 'union';

/**
 * zod's `override` hook (z.toJSONSchema), given to the library for the routes and the
 * components alike: the parameters documented as sent, the examples. Giving one replaces
 * the library's own, which does three things: drops the empty branches an unrepresentable
 * member leaves in a union (kept below), and, in output schemas only, writes z.date() as a
 * date-time string and z.undefined() as null (not needed: the agent schemas have neither,
 * and the hook is not told the direction).
 */
const override: Override = ({ zodSchema, jsonSchema }) => {
  if (isUnion(zodSchema) && Array.isArray(jsonSchema.anyOf)) {
    jsonSchema.anyOf = (jsonSchema.anyOf as JsonSchema[]).filter((s) => Object.keys(s).length > 0);
  }
  const documented = DOCUMENTED_AS.get(zodSchema);
  if (documented) {
    for (const key of Object.keys(jsonSchema)) Reflect.deleteProperty(jsonSchema, key);
    Object.assign(jsonSchema, documented);
  }
  const example = BODY_EXAMPLES.get(zodSchema);
  if (example) jsonSchema.examples = [example];
};

const zodToJsonConfig = { override } as const;
const routeSchemas = createJsonSchemaTransform({ zodToJsonConfig });
const componentSchemas = createJsonSchemaTransformObject({ zodToJsonConfig });

/** Each route: its schemas from zod, then its operationId; the aliases hidden. */
const transform: SwaggerTransform = (input) => {
  if (isDinoAlias(input.url)) return { url: input.url, schema: { hide: true } };
  const result = routeSchemas(input as Parameters<typeof routeSchemas>[0]);
  const schema = result.schema as JsonSchema | undefined;
  if (!schema || schema.hide) return result;
  const method = String(input.route.method);
  const operationId = OPERATION_IDS[`${method} ${input.url}`];
  if (!operationId) {
    throw new Error(
      `${method} ${input.url} has no operationId: add one to OPERATION_IDS in electron/api/openapi.ts.`,
    );
  }
  return { url: result.url, schema: { ...schema, operationId } };
};

const SCHEMAS = '#/components/schemas/';
const INPUT = 'Input';

/** The names of the components `value` refers to. */
function refsIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMAS))
        into.push(child.slice(SCHEMAS.length));
      else refsIn(child, into);
    }
  }
  return into;
}

/** `value` with its references to components renamed. */
function renamed<T>(value: T, names: ReadonlyMap<string, string>): T {
  return JSON.parse(JSON.stringify(value), (key, child: unknown) =>
    key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMAS)
      ? SCHEMAS + (names.get(child.slice(SCHEMAS.length)) ?? child.slice(SCHEMAS.length))
      : child,
  ) as T;
}

interface Document {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, JsonSchema> } & Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * One schema per object. fastify-type-provider-zod 7 writes every schema with an id twice,
 * as zod reads it (`SpendCreateInput`) and as zod writes it (`SpendCreate`), whichever way
 * it is used, and has no option to do otherwise (turkerdev/fastify-type-provider-zod#214).
 * Every object here travels one way (a request body in, an answer out), so the document
 * keeps the variant its operations refer to, under the object's own name: request bodies
 * as zod reads them, answers as zod writes them. An object both sent and answered, in two
 * different shapes, would keep both (`X` and `XInput`), as it must.
 */
export function oneSchemaPerObject(document: Document): Document {
  const schemas = document.components?.schemas ?? {};
  const used = new Set<string>();
  const pending = refsIn(document.paths);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (used.has(name) || !(name in schemas)) continue;
    used.add(name);
    refsIn(schemas[name], pending);
  }
  const names = new Map<string, string>();
  const inputs = [...used].filter((name) => name.endsWith(INPUT));
  for (const name of inputs) {
    const plain = name.slice(0, -INPUT.length);
    if (!used.has(plain)) names.set(name, plain);
  }
  for (const name of inputs) {
    const plain = name.slice(0, -INPUT.length);
    if (names.has(name) || !used.has(plain)) continue;
    const same = JSON.stringify(renamed(schemas[name], names)) === JSON.stringify(schemas[plain]);
    if (same) names.set(name, plain);
  }
  const kept: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (used.has(name)) kept[names.get(name) ?? name] = renamed(schema, names);
  }
  return {
    ...document,
    paths: renamed(document.paths ?? {}, names),
    components: { ...document.components, schemas: kept },
  };
}

/**
 * Registers @fastify/swagger for the agent API (before the routes, which it collects as
 * they are added). `baseUrl` is the server's own URL, read when the document is first
 * built, on the first request for it, so once the server listens.
 */
export async function registerOpenApi(app: ZodApp, baseUrl: () => string): Promise<void> {
  const transformObject: SwaggerTransformObject = (input) =>
    ({
      ...oneSchemaPerObject(componentSchemas(input) as Document),
      servers: [{ url: baseUrl(), description: 'This Purser: it listens on 127.0.0.1 only' }],
    }) as ReturnType<SwaggerTransformObject>;
  const options: FastifyDynamicSwaggerOptions = {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Purser agent API',
        version: '1',
        description:
          'The localhost spend API of Purser. Authenticate with "Authorization: Bearer psk_…". Amounts are integer cents (and micro-dollars where noted).',
      },
      components: { securitySchemes: { spendingKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ spendingKey: [] }],
    },
    transform,
    transformObject,
  };
  await app.register(fastifySwagger, options);
}
