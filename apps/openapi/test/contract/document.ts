import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// The served document as a third party reads it: references resolved, schemas checked by an Ajv
// of the test's own (JSON Schema 2020-12, OpenAPI 3.1's dialect) with ajv-formats' lenient "fast"
// formats, the reading most tools have. Nothing here comes from the app's own validation code.

export type Schema = Record<string, unknown>;
export type Parameter = { name: string; in: string; required?: boolean; schema: Schema };
export type Operation = {
  description: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Schema }> }>;
};
export type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};

export interface DocumentedOperation {
  method: string;
  path: string;
  op: Operation;
  params: Parameter[];
  query: Parameter[];
  body: Schema | undefined;
}

/** `node` with every `$ref` replaced by what it points at (the document has no cycles). */
export function inline(doc: OpenApi, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => inline(doc, item));
  if (typeof node !== 'object' || node === null) return node;
  const { $ref, ...rest } = node as Schema;
  const own = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, inline(doc, value)]));
  if (typeof $ref !== 'string') return own;
  const [kind, name] = $ref.replace('#/components/', '').split('/');
  const target = doc.components[kind as string]?.[name as string];
  if (target === undefined) throw new Error(`unresolved ${$ref}`);
  return { ...(inline(doc, target) as Schema), ...own };
}

export function operationsOf(doc: OpenApi): DocumentedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, raw]) => {
      const op = inline(doc, raw) as Operation;
      const parameters = op.parameters ?? [];
      return {
        method: method.toUpperCase(),
        path,
        op,
        params: parameters.filter((p) => p.in === 'path'),
        query: parameters.filter((p) => p.in === 'query'),
        body: op.requestBody?.content['application/json']?.schema,
      };
    }),
  );
}

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
addFormats.default(ajv, { mode: 'fast' });
const compiled = new WeakMap<Schema, ValidateFunction>();

/** Whether `value` is valid by `schema` as the document states it. */
export function documentAccepts(schema: Schema, value: unknown): boolean {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate(value);
}

/** Why `value` is not valid by `schema`, or undefined when it is. */
export function documentProblem(schema: Schema, value: unknown): string | undefined {
  if (documentAccepts(schema, value)) return undefined;
  return ajv.errorsText(compiled.get(schema)?.errors);
}
