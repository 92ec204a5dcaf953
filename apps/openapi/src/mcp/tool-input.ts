import { type ApiError, apiError } from '../errors.ts';
import type { InputParts } from '../validation/input-validators.ts';
import { type GeneratedTool, requestUrl } from './tool-catalogue.ts';

// Fastify's router (find-my-way) takes a path parameter of at most 100 characters: a longer one is
// refused as a 414 before any route runs (the app's frameworkErrors words it).
const MAX_PARAM_LENGTH = 100;

/** An input refused before validation, with the status the REST route answers it with. */
export interface RefusedInput {
  error: ApiError;
  status: number;
}

/**
 * A tool call's arguments (already checked by tool-arguments.ts) as the parts its operation
 * validates, in the form the REST route receives them: path and query values as the text a URL
 * carries (a query name given more than once as a list), the body as JSON, a copy of the caller's.
 */
export function toolInput(tool: GeneratedTool, args: Record<string, unknown>): InputParts | RefusedInput {
  const {
    pathParams = {},
    query = {},
    body,
  } = args as {
    pathParams?: Record<string, unknown>;
    query?: Record<string, unknown>;
    body?: unknown;
  };
  const params: Record<string, string> = {};
  for (const match of tool.path.matchAll(/\{([^}]+)\}/g)) {
    const name = match[1] as string;
    params[name] = String(pathParams[name]);
  }
  if (Object.values(params).some((value) => value.length > MAX_PARAM_LENGTH)) {
    const path = requestUrl(tool, pathParams);
    return { error: apiError('bad_request', `'${path}' is exceeding the max param length`), status: 414 };
  }
  const text: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values = (Array.isArray(value) ? value : [value]).map(String);
    if (values.length === 0) continue;
    text[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return { params, query: text, body: body === undefined ? undefined : JSON.parse(JSON.stringify(body)) };
}
