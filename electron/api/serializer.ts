import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * `anyOf: [X, {type: "null"}]`, as Zod writes `.nullable()`, becomes `type: [X, "null"]`:
 * fast-json-stringify writes that directly, while an `anyOf` makes it validate each value
 * to pick a branch. `propertyNames` says nothing to a serializer and is dropped.
 */
function simplify(schema: unknown, definitions: JsonSchema = {}): unknown {
  if (Array.isArray(schema)) return schema.map((s) => simplify(s, definitions));
  if (!schema || typeof schema !== 'object') return schema;
  const node = schema as JsonSchema;
  // Our schemas are not recursive, so a reference can be written out in place.
  const defs = { ...definitions, ...((node.definitions as JsonSchema | undefined) ?? {}) };
  const ref =
    typeof node.$ref === 'string' ? /^#\/definitions\/(.+)$/.exec(node.$ref)?.[1] : undefined;
  if (ref !== undefined && defs[ref]) {
    const { $ref: _ref, definitions: _defs, ...siblings } = node;
    return simplify({ ...siblings, ...(defs[ref] as JsonSchema) }, defs);
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'propertyNames' && key !== 'definitions') out[key] = simplify(value, defs);
  }
  const anyOf = out.anyOf as JsonSchema[] | undefined;
  if (anyOf?.length === 2) {
    const nullIndex = anyOf.findIndex((s) => s.type === 'null' && Object.keys(s).length === 1);
    const other = anyOf[1 - nullIndex];
    if (nullIndex >= 0 && other && typeof other.type === 'string' && other.$ref === undefined) {
      const { anyOf: _drop, ...rest } = out;
      return { ...rest, ...other, type: [other.type, 'null'] };
    }
  }
  return out;
}

/**
 * Responses are written by fast-json-stringify from the JSON Schema of each route's Zod
 * response schema: fields a schema does not name never leave the server, and it costs a
 * fraction of encoding through Zod on every response. The Zod schemas stay the contract.
 */
export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  if (!(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
  const jsonSchema = simplify(
    z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }),
  );
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
};
