import type { TSchema } from 'typebox';
import type { Operation } from '../operations/operation.ts';

export type JsonSchemaObject = {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties?: boolean;
};

type Schema = Record<string, unknown>;

/**
 * A schema as the OpenAPI 3.1 document shows it (@fastify/swagger's conversion, which tools have
 * always been read from): no `$id`, `$schema` or `definitions`, and a `const` as a one-value `enum`,
 * put where that conversion puts it. Only the JSON of it: TypeBox's own symbol keys stay behind.
 */
function documented(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(documented);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const key of Object.keys(schema)) out[key] = (schema as Schema)[key];
  for (const key of Object.keys(out)) {
    const value = out[key];
    if (key === '$id' || key === '$schema' || key === 'definitions') delete out[key];
    else if (key === 'const') {
      out.enum = [value];
      delete out.const;
    } else if (key === 'properties')
      out[key] = Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, documented(child)]));
    else out[key] = documented(value);
  }
  return out;
}

/**
 * A path or query parameter as the document lists it and the tool shows it: its schema without
 * `required` and `description` (the parameter carries those), then its description.
 */
function parameter(schema: unknown): Schema {
  const { required: _required, description, ...rest } = documented(schema) as Schema;
  return { ...rest, ...(description ? { description } : {}) };
}

/** The input of an operation's tool: `{ pathParams, query, body }`, each part present only when the operation has it. */
export function toolInputSchema(operation: Operation): JsonSchemaObject {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [key, schema] of [
    ['pathParams', operation.params],
    ['query', operation.querystring],
  ] as const) {
    const params = (schema as (TSchema & { properties?: Schema; required?: string[] }) | undefined)?.properties;
    if (params === undefined || Object.keys(params).length === 0) continue;
    // Every path parameter is required; a query parameter when its schema says so and it has no default
    // (a parameter with a default is optional to the caller, whatever the document says).
    const requiredParams = Object.keys(params).filter(
      (name) =>
        key === 'pathParams' ||
        ((schema as { required?: string[] }).required?.includes(name) &&
          (params[name] as Schema).default === undefined),
    );
    properties[key] = {
      type: 'object',
      properties: Object.fromEntries(Object.entries(params).map(([name, param]) => [name, parameter(param)])),
      ...(requiredParams.length > 0 ? { required: requiredParams } : {}),
      additionalProperties: false,
    };
    if (requiredParams.length > 0) required.push(key);
  }
  if (operation.body !== undefined) {
    properties.body = documented(operation.body);
    // Fastify requires a body when the route has a body schema, so the document marks it required.
    required.push('body');
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}
