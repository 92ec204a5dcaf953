// Tools are made from the operation registry, the way Enginy's hosted MCP server makes them from
// its OpenAPI document: one tool per operation, input `{ pathParams, query, body }` in the form the
// document shows each part (tool-input-schema.ts), and the operation's own scope.
import { type HttpMethod, statedDescription } from '../operations/operation.ts';
import type { CompiledOperation } from '../validation/input-validators.ts';
import { type JsonSchemaObject, toolInputSchema } from './tool-input-schema.ts';

export interface GeneratedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchemaObject;
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
  requiredScopes: string[];
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/v1/contacts/{contactId}`. */
  path: string;
  /** What a call runs: the operation's handler, behind its compiled input schemas. */
  compiled: CompiledOperation;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
const MAX_NAME = 64; // MCP clients (Claude among them) cap tool names at 64 characters

/**
 * The naming rule, deterministic and documented: the operation's summary in snake_case
 * ("Search contacts" → `search_contacts`); without a summary, method + path
 * (`get_v1_contacts_contactid`). A name already taken gets `_2`, `_3`, … in document order.
 */
export function toolName(summary: string | undefined, method: string, path: string): string {
  const base = summary?.trim() ? summary : `${method} ${path}`;
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_NAME);
  return name === '' ? `${method.toLowerCase()}_operation` : name;
}

/**
 * Every operation as a tool, in the document's order: paths as they were first defined, and each
 * path's methods as GET, POST, PATCH, PUT, DELETE.
 */
export function toolsFromOperations(operations: readonly CompiledOperation[]): GeneratedTool[] {
  const paths = [...new Set(operations.map(({ operation }) => operation.path))];
  const ordered = paths.flatMap((path) =>
    METHODS.flatMap((method) =>
      operations.filter(({ operation }) => operation.path === path && operation.method === method),
    ),
  );
  const taken = new Set<string>();
  return ordered.map((compiled) => {
    const { operation } = compiled;
    const { method, path, summary } = operation;
    let name = toolName(summary, method, path);
    for (let suffix = 2; taken.has(name); suffix++)
      name = `${toolName(summary, method, path).slice(0, MAX_NAME - String(suffix).length - 1)}_${suffix}`;
    taken.add(name);
    const title = summary.trim() || `${method} ${path}`;
    return {
      name,
      title,
      description: [statedDescription(operation).trim() || title, `\`${method} ${path}\``].join('\n\n'),
      inputSchema: toolInputSchema(operation),
      annotations: {
        title,
        readOnlyHint: method === 'GET',
        destructiveHint: method === 'DELETE',
        idempotentHint: method === 'GET' || method === 'PUT' || method === 'DELETE',
        openWorldHint: false,
      },
      requiredScopes: [operation.scope],
      method,
      path,
      compiled,
    };
  });
}

/**
 * The path parameters that cannot be one path segment: absent (or null), empty, `.` or `..`; the
 * last two are dot-segments, removed when the path is resolved (RFC 3986 §5.2.4), also as `%2e`
 * (the WHATWG URL parser's too), so no encoding keeps them in their place.
 */
export function unfitPathParams(
  tool: GeneratedTool,
  pathParams: Record<string, unknown> = {},
): { missing: string[]; dotSegments: string[] } {
  const names = [...tool.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
  const value = (name: string) =>
    pathParams[name] === undefined || pathParams[name] === null ? '' : String(pathParams[name]);
  return {
    missing: names.filter((name) => value(name) === ''),
    dotSegments: names.filter((name) => value(name) === '.' || value(name) === '..'),
  };
}

/**
 * A path parameter as exactly one segment: `/`, `?`, `#` and `%` encoded by encodeURIComponent, and
 * `.` too. A lone `%2E` or `%2E%2E` is still a dot-segment to a URL parser: those values are refused
 * before this, by `unfitPathParams`.
 */
function segment(value: unknown): string {
  return encodeURIComponent(String(value)).replaceAll('.', '%2E');
}

/**
 * The concrete URL of a tool call: path parameters substituted (each one segment), query appended.
 * Throws for a parameter `unfitPathParams` names: such a call must be refused before it gets here.
 */
export function requestUrl(
  tool: GeneratedTool,
  pathParams: Record<string, unknown> = {},
  query: Record<string, unknown> = {},
): string {
  const unfit = unfitPathParams(tool, pathParams);
  const names = [...unfit.missing, ...unfit.dotSegments];
  if (names.length > 0) throw new Error(`${tool.name}: path parameter ${names.join(', ')} is not one path segment`);
  const path = tool.path.replace(/\{([^}]+)\}/g, (_match, name: string) => segment(pathParams[name]));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const qs = search.toString();
  return qs === '' ? path : `${path}?${qs}`;
}
