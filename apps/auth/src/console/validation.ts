// Request validation for the console: the schemas of @enginy/contracts/console, checked by an Ajv of the
// console's own, and a failure rendered as the console's 422 naming the field and the value sent.
import { Ajv, type ErrorObject } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { ValidationFailed } from '../errors/classes.ts';

// Nothing is coerced ("true" is not a boolean, a repeated query parameter is a list, not its first
// value); the failing value is kept (`verbose`) for the answer; the first error only, so a huge bad
// payload costs one error. `errorMessage` (the ajv-errors convention) is read by the formatter below.
const ajv = new Ajv({
  allErrors: false,
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
  strict: false,
  verbose: true,
});

export const compileConsoleSchema: FastifySchemaCompiler<unknown> = ({ schema }) => ajv.compile(schema as object);

/** The words a schema gives for a failed keyword (`errorMessage`: one text, or one per keyword). */
function customMessage(schema: unknown, keyword: string): string | undefined {
  const custom = (schema as { errorMessage?: string | Record<string, string> } | undefined)?.errorMessage;
  if (typeof custom === 'string' || custom === undefined) return custom;
  return custom[keyword] ?? (keyword === 'required' ? custom.type : undefined);
}

/** `/allowedRedirectUris/2` → `allowedRedirectUris[2]`. */
function fieldOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
}

/** Fastify's schemaErrorFormatter for the console: Ajv's error as today's 422 body. */
export function consoleValidationError(errors: ErrorObject[]): ValidationFailed {
  // The first error only is collected; a union that fails adds its own error last, after its branches'.
  const error = errors[errors.length - 1] as ErrorObject;
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    const schema = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties?.[missing];
    return new ValidationFailed(
      fieldOf(`${error.instancePath}/${missing}`),
      null,
      customMessage(schema, 'required') ?? 'is required',
    );
  }
  const field = fieldOf(error.instancePath);
  const words = customMessage(error.parentSchema, error.keyword);
  // The body itself (not an object): named `body`, its value not echoed.
  if (field === '') return new ValidationFailed('body', null, words ?? 'expected a JSON object');
  if (words !== undefined) return new ValidationFailed(field, error.data, words);
  if (error.keyword === 'maxLength')
    return new ValidationFailed(field, error.data, `must be at most ${String(error.params.limit)} characters`);
  if (error.keyword === 'type' && error.params.type === 'string')
    return new ValidationFailed(field, error.data, 'must be a string');
  return new ValidationFailed(field, error.data, error.message ?? 'is invalid');
}
