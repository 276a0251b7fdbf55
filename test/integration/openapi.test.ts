/**
 * `GET /v1/openapi.json` is fit for client generators: an operationId per operation,
 * `servers` naming this Purser, `?wait=` an integer, one schema per object, each path once
 * (no Dino aliases), and examples that the schemas accept.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { oneSchemaPerObject } from '../../electron/api/openapi';
import { faucetBody, spendCreateBody } from '../../shared/schemas/agent-api';
import { budgetRequestCreateBody } from '../../shared/schemas/budget-requests';
import { receiptCreateBody } from '../../shared/schemas/receipts';
import { startTestServer } from '../helpers/server';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: Record<string, unknown>;
}
interface Operation {
  operationId?: string;
  deprecated?: boolean;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}
interface OpenApiDocument {
  openapi: string;
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

const SCHEMAS = '#/components/schemas/';

async function servedDocument() {
  const t = await startTestServer();
  const r = await t.raw('/v1/openapi.json');
  expect(r.status).toBe(200);
  return { t, doc: r.body as unknown as OpenApiDocument };
}

function operations(doc: OpenApiDocument) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
}

function refsIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') into.push(child);
      else refsIn(child, into);
    }
  }
  return into;
}

describe('GET /v1/openapi.json for client generators', () => {
  it('gives every operation a stable camelCase operationId, each once', async () => {
    const { doc } = await servedDocument();
    const ids = Object.fromEntries(
      operations(doc).map(({ path, method, operation }) => [
        `${method.toUpperCase()} ${path}`,
        operation.operationId,
      ]),
    );
    // Published names: generated clients call them, so a change here breaks them.
    expect(ids).toEqual({
      'POST /v1/spend': 'createSpendRequest',
      'GET /v1/spend/{id}': 'getSpendRequest',
      'POST /v1/spend/{id}/cancel': 'cancelSpendRequest',
      'GET /v1/balance': 'getBalance',
      'GET /v1/policy': 'getPolicy',
      'POST /v1/sandbox/faucet': 'addSandboxFunds',
      'POST /v1/budget-requests': 'createBudgetRequest',
      'GET /v1/budget-requests': 'listBudgetRequests',
      'GET /v1/budget-requests/{id}': 'getBudgetRequest',
      'POST /v1/receipts': 'recordReceipt',
      'POST /v1/x402/pay': 'payX402',
      'GET /v1/x402/payments/{id}': 'getX402Payment',
      'POST /v1/pay': 'pay',
      'POST /v1/mpp/pay': 'payMpp',
      'GET /v1/mpp/payments/{id}': 'getMppPayment',
      'POST /v1/crypto/payout-intents': 'createPayoutIntent',
      'GET /v1/crypto/payout-intents/{id}': 'getPayoutIntent',
      'POST /v1/crypto/payout-intents/{id}/cancel': 'cancelPayoutIntent',
    });
    const values = Object.values(ids);
    for (const id of values) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(values).size).toBe(values.length);
  });

  it('names the URL this Purser listens on as its server', async () => {
    const { t, doc } = await servedDocument();
    expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(doc.servers?.map((s) => s.url)).toEqual([t.url]);
  });

  it('types ?wait= as an integer from 0 to 60', async () => {
    const { doc } = await servedDocument();
    const waits = operations(doc).flatMap(({ operation }) =>
      (operation.parameters ?? []).filter((p) => p.in === 'query' && p.name === 'wait'),
    );
    expect(waits.length).toBe(3); // spend requests, budget requests, payout intents
    for (const wait of waits) {
      expect(wait.required).toBe(false);
      expect(wait.schema).toEqual({ type: 'integer', minimum: 0, maximum: 60 });
    }
  });

  it('has one schema per object: no …Input twins, no orphans, every reference resolves', async () => {
    const { doc } = await servedDocument();
    const names = Object.keys(doc.components.schemas);
    expect(names.filter((name) => name.endsWith('Input'))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['SpendCreate', 'SpendRequest', 'Error']));
    const refs = refsIn(doc);
    for (const ref of refs) {
      expect(ref.startsWith(SCHEMAS), ref).toBe(true);
      expect(names, ref).toContain(ref.slice(SCHEMAS.length));
    }
    const referenced = new Set(refs.map((ref) => ref.slice(SCHEMAS.length)));
    expect(names.filter((name) => !referenced.has(name))).toEqual([]);
    // Request bodies as zod reads them: a strict object, its limits.
    const body = doc.paths['/v1/spend']?.post?.requestBody?.content['application/json'];
    expect(body?.schema.$ref).toBe(`${SCHEMAS}SpendCreate`);
    expect(doc.components.schemas.SpendCreate).toMatchObject({
      additionalProperties: false,
      required: ['amount_cents', 'currency', 'merchant_name', 'reason'],
    });
  });

  it('lists every path once: no Dino aliases, no two paths that differ only in names', async () => {
    const { doc } = await servedDocument();
    const paths = Object.keys(doc.paths);
    expect(paths.filter((p) => p.startsWith('/v1/spend-requests'))).toEqual([]);
    expect(paths.every((p) => p.startsWith('/v1/'))).toBe(true);
    const shapes = paths.map((p) => p.replace(/\{[^}]+\}/g, '{}'));
    expect(new Set(shapes).size).toBe(paths.length);
    const routes = operations(doc).map(({ path, method }) => `${method} ${path}`);
    expect(new Set(routes).size).toBe(routes.length);
    expect(operations(doc).some(({ operation }) => operation.deprecated)).toBe(false);
  });

  it('the aliases it leaves out still answer', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const r = await t.agent(key, 'POST', '/v1/spend-requests', {
      amount_cents: 100,
      currency: 'usd',
      merchant_name: 'AWS',
      reason: 'alias check',
    });
    expect(r.status).toBe(200);
    expect((await t.agent(key, 'GET', `/v1/spend-requests/${String(r.body.id)}`)).status).toBe(200);
  });

  it('gives the main request bodies an example their schema accepts', async () => {
    const { doc } = await servedDocument();
    const bodies: Array<[string, string, z.ZodType]> = [
      ['/v1/spend', 'SpendCreate', spendCreateBody],
      ['/v1/budget-requests', 'BudgetRequestCreate', budgetRequestCreateBody],
      ['/v1/receipts', 'ReceiptCreate', receiptCreateBody],
      ['/v1/sandbox/faucet', 'FaucetRequest', faucetBody],
    ];
    for (const [path, name, schema] of bodies) {
      const ref = doc.paths[path]?.post?.requestBody?.content['application/json']?.schema.$ref;
      expect(ref).toBe(`${SCHEMAS}${name}`);
      const examples = doc.components.schemas[name]?.examples as unknown[] | undefined;
      expect(examples?.length, name).toBeGreaterThan(0);
      for (const example of examples ?? []) {
        const parsed = schema.safeParse(example);
        expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
  });
});

describe('oneSchemaPerObject', () => {
  const ref = (name: string) => ({ $ref: `${SCHEMAS}${name}` });

  it('keeps the variant each operation uses, under the object’s name', () => {
    const doc = oneSchemaPerObject({
      paths: { '/a': { post: { body: ref('AInput'), answer: ref('B') } } },
      components: {
        schemas: {
          AInput: { type: 'object', properties: { n: ref('NInput') } },
          NInput: { type: 'integer' },
          A: { type: 'object', additionalProperties: false },
          N: { type: 'integer' },
          BInput: { type: 'object' },
          B: { type: 'object', additionalProperties: false },
          Unused: { type: 'string' },
        },
      },
    });
    expect(doc.paths).toEqual({ '/a': { post: { body: ref('A'), answer: ref('B') } } });
    expect(doc.components?.schemas).toEqual({
      A: { type: 'object', properties: { n: ref('N') } },
      N: { type: 'integer' },
      B: { type: 'object', additionalProperties: false },
    });
  });

  it('keeps both variants of an object sent and answered in two shapes, one if they agree', () => {
    const doc = oneSchemaPerObject({
      paths: {
        '/a': { post: { body: [ref('AInput'), ref('SInput')], answer: [ref('A'), ref('S')] } },
      },
      components: {
        schemas: {
          AInput: { type: 'object' },
          A: { type: 'object', required: ['id'] },
          SInput: { type: 'string' },
          S: { type: 'string' },
        },
      },
    });
    expect(Object.keys(doc.components?.schemas ?? {}).sort()).toEqual(['A', 'AInput', 'S']);
    expect(doc.paths).toEqual({
      '/a': { post: { body: [ref('AInput'), ref('S')], answer: [ref('A'), ref('S')] } },
    });
  });
});
