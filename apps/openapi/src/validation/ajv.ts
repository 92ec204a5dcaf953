import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { EMAIL_PATTERN } from '../schemas/common.ts';

// Query strings, path parameters and headers arrive as text, so they are coerced to the schema's
// types ("25" → 25); JSON bodies are not: `"page": "2"` or `null` for a string is an error there,
// not a silent conversion.
const common: Options = {
  allErrors: false, // the first error only: a huge bad payload costs one error, not thousands
  useDefaults: true,
  removeAdditional: false,
  strict: false,
  discriminator: true,
  coerceTypes: false,
};

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats.default(ajv, ['uuid', 'date-time', 'date', 'uri']);
  // `format: email` means what the document's email `pattern` says, not a third definition.
  ajv.addFormat('email', new RegExp(EMAIL_PATTERN, 'u'));
  return ajv;
}

const body = makeAjv({});
const text = makeAjv({ coerceTypes: 'array' });

/** The one compiler of input schemas: one Ajv for bodies, one (coercing) for everything else. */
export function compileInput(schema: object, httpPart: string | undefined): ValidateFunction {
  return (httpPart === 'body' ? body : text).compile(schema);
}

/** The same compiler behind Fastify's, for every route that does not bring its compiled schemas. */
const validation: FastifyPluginAsync = async (app) => {
  app.setValidatorCompiler(({ schema, httpPart }) => compileInput(schema, httpPart));
};

export default fp(validation, { name: 'validation', fastify: '5.x' });
