import { Ajv } from 'ajv';
import { readablePath } from '../validation/problems.ts';
import { type GeneratedTool, unfitPathParams } from './tool-catalogue.ts';

/** Says what is wrong with a call's arguments before its operation sees them, or nothing. */
export type ArgumentCheck = (args: Record<string, unknown>) => string | undefined;

// A path or query parameter is text in the operation's request URL, and so in a tool call's input
// (RFC 3986 §3.3 "path segments", §3.4 "the query component"): a JSON string, number or boolean has
// one text form, an object none (`String({ toString: 1 })` throws, `String({})` is "[object
// Object]"). null is left out, as before, so that it reads as absent. The values themselves are the
// operation's schemas to judge.
const TEXT = { type: ['string', 'number', 'boolean'] };
const ABSENT_OR_TEXT = { type: ['string', 'number', 'boolean', 'null'] };
const TEXT_FORM = 'must be a string, a number or a boolean: it is text in the request URL';

// One small schema per tool, compiled once when the catalogue is built: the call path pays one
// compiled-schema check. The first error only, as the REST routes' Ajv reports it.
const ajv = new Ajv({ allErrors: false, strict: false });

/** The tool's own parameters as text: one value each, a list of values where the operation takes an array. */
function textSchema(tool: GeneratedTool): object {
  const part = (key: 'pathParams' | 'query') => {
    const params = (tool.inputSchema.properties[key] as { properties?: Record<string, { type?: unknown }> })
      ?.properties;
    return {
      type: 'object',
      properties: Object.fromEntries(
        Object.entries(params ?? {}).map(([name, schema]) => [
          name,
          schema.type === 'array' ? { type: ['array', 'null'], items: TEXT } : ABSENT_OR_TEXT,
        ]),
      ),
      // A query name the operation does not take still goes into the URL (for the route to refuse): text too.
      additionalProperties: ABSENT_OR_TEXT,
    };
  };
  return { type: 'object', properties: { pathParams: part('pathParams'), query: part('query') } };
}

/** The check of one tool's arguments, compiled once from its input schema. */
export function argumentCheck(tool: GeneratedTool): ArgumentCheck {
  const taken = Object.keys(tool.inputSchema.properties);
  const asText = ajv.compile(textSchema(tool));
  return (args) => {
    for (const part of ['pathParams', 'query'] as const) {
      const value = args[part];
      if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value)))
        return `${part} must be an object`;
    }
    const unknown = Object.keys(args).filter((key) => !taken.includes(key));
    if (unknown.length > 0)
      return `Unknown argument${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (this tool takes ${taken.join(', ') || 'no arguments'})`;
    if (!asText(args)) return `${readablePath(asText.errors?.[0]?.instancePath ?? '', '')} ${TEXT_FORM}`;
    const { missing, dotSegments } = unfitPathParams(tool, args.pathParams as Record<string, unknown> | undefined);
    if (missing.length > 0)
      return `Missing path parameter${missing.length > 1 ? 's' : ''}: ${missing.map((name) => `pathParams.${name}`).join(', ')}`;
    // RFC 3986 §3.3: 'The path segments "." and "..", also known as dot-segments, are defined for
    // relative reference within the path name hierarchy', and §5.2.4 removes them: the call would run
    // another operation than this tool's (`/v1/lists/../contacts` is `POST /v1/contacts`).
    if (dotSegments.length > 0)
      return `${dotSegments.map((name) => `pathParams.${name}`).join(', ')} may not be "." or "..": a path parameter is one path segment`;
    return undefined;
  };
}
