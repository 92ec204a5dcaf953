// Tools are generated from the service's own OpenAPI document, the way Enginy's hosted MCP server
// does it: one tool per operation, input `{ pathParams, query, body }`, scope from the operation's
// `x-required-scope` (routes/operation.ts writes it from the scope the gate enforces).

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
}

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type JsonSchemaObject = {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties?: boolean;
};

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
  description?: string;
}
interface OpenApiOperation {
  summary?: string;
  description?: string;
  /** The scope the operation requires, as routes/operation.ts states it. */
  'x-required-scope'?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> };
}
export interface OpenApiDocument {
  paths?: Record<string, Partial<Record<string, OpenApiOperation>>>;
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

/** Every GET/POST/PATCH/PUT/DELETE operation of the document as a tool, in document order. */
export function toolsFromOpenApi(doc: OpenApiDocument): GeneratedTool[] {
  const taken = new Set<string>();
  const tools: GeneratedTool[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method.toLowerCase()];
      if (operation === undefined) continue;
      let name = toolName(operation.summary, method, path);
      for (let suffix = 2; taken.has(name); suffix++)
        name = `${toolName(operation.summary, method, path).slice(0, MAX_NAME - String(suffix).length - 1)}_${suffix}`;
      taken.add(name);
      const requiredScope = operation['x-required-scope'];
      const title = operation.summary?.trim() || `${method} ${path}`;
      tools.push({
        name,
        title,
        description: [operation.description?.trim() || title, `\`${method} ${path}\``].join('\n\n'),
        inputSchema: inputSchema(operation),
        annotations: {
          title,
          readOnlyHint: method === 'GET',
          destructiveHint: method === 'DELETE',
          idempotentHint: method === 'GET' || method === 'PUT' || method === 'DELETE',
          openWorldHint: false,
        },
        requiredScopes: requiredScope === undefined ? [] : [requiredScope],
        method,
        path,
      });
    }
  }
  return tools;
}

/** `{ pathParams, query, body }`, each part present only when the operation has it. */
function inputSchema(operation: OpenApiOperation): JsonSchemaObject {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const location of ['path', 'query'] as const) {
    const params = (operation.parameters ?? []).filter((param) => param.in === location);
    if (params.length === 0) continue;
    const key = location === 'path' ? 'pathParams' : 'query';
    // A parameter with a default is optional to the caller, whatever the document says.
    const requiredParams = params
      .filter((param) => param.required && (location === 'path' || param.schema?.default === undefined))
      .map((param) => param.name);
    properties[key] = {
      type: 'object',
      properties: Object.fromEntries(
        params.map((param) => [
          param.name,
          { ...param.schema, ...(param.description ? { description: param.description } : {}) },
        ]),
      ),
      ...(requiredParams.length > 0 ? { required: requiredParams } : {}),
      additionalProperties: false,
    };
    if (requiredParams.length > 0) required.push(key);
  }
  const body = operation.requestBody?.content?.['application/json']?.schema;
  if (body !== undefined) {
    properties.body = body;
    if (operation.requestBody?.required) required.push('body');
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

/**
 * The path parameters that cannot be one path segment: absent (or null), empty, `.` or `..`; the
 * last two are dot-segments, removed when the path is resolved (RFC 3986 §5.2.4), also as `%2e`
 * (the WHATWG URL parser inject uses), so no encoding keeps them in their place.
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
