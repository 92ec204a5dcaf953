import { isDeepStrictEqual } from 'node:util';

type Node = Record<string, unknown>;
export type OpenApiDocument = Node & {
  paths: Record<string, Record<string, Node & { responses?: Record<string, Node> }>>;
  components?: Node;
};

const isObject = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const ERROR_RESPONSE = '#/components/responses/Error';
const schemaRef = (name: string) => `#/components/schemas/${name}`;

/**
 * The document as published at /definitions.json. @fastify/swagger renders each route's own schema
 * inline, which is what the MCP tool catalogue reads (a tool's input schema has to stand alone);
 * published, the same schemas are named and referenced:
 * - every titled schema (Contact, EmailStep, Error…) is `#/components/schemas/<title>`;
 * - a `discriminator` whose `oneOf` is all references maps each tag value to its schema;
 * - every error status is a reference to the one `Error` response, described by its codes.
 * Resolving the references gives back the inline document, `mapping` aside (a test checks it).
 */
export function publish(inline: OpenApiDocument): OpenApiDocument {
  const schemas: Record<string, unknown> = {};
  let errorResponse: Node | undefined;

  const paths = Object.fromEntries(
    Object.entries(inline.paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => {
          const responses = Object.fromEntries(
            Object.entries(operation.responses ?? {}).map(([status, response]) => {
              if (Number(status) < 400) return [status, response];
              const { description, ...shared } = response;
              errorResponse ??= shared;
              if (!isDeepStrictEqual(shared, errorResponse))
                throw new Error(
                  `${method.toUpperCase()} ${path} ${status}: an error response that is not the Error envelope`,
                );
              return [status, { $ref: ERROR_RESPONSE, description }];
            }),
          );
          return [method, name(schemas, { ...operation, responses })];
        }),
      ),
    ]),
  );
  const responses = errorResponse
    ? {
        Error: {
          description:
            'The error envelope: `status: "error"`, a stable `code` and a `message`; a 422 lists each problem in `details` with its path.',
          ...(name(schemas, errorResponse) as Node),
        },
      }
    : {};
  return {
    ...inline,
    paths: paths as OpenApiDocument['paths'],
    components: {
      ...inline.components,
      schemas: { ...(inline.components?.schemas as Node | undefined), ...schemas },
      responses,
    },
  };
}

/** `node` with its titled schemas moved into `schemas` (innermost first) and referenced. */
function name(schemas: Record<string, unknown>, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((item) => name(schemas, item));
  if (!isObject(node)) return node;
  const copy: Node = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, name(schemas, value)]));
  mapDiscriminator(schemas, copy);
  // A string `title` marks a schema (a property called `title` is an object: a schema, not a name).
  if (typeof copy.title !== 'string' || !('type' in copy || 'oneOf' in copy)) return copy;
  const title = copy.title;
  if (title in schemas && !isDeepStrictEqual(schemas[title], copy))
    throw new Error(`Two different schemas are titled ${title}`);
  schemas[title] = copy;
  return { $ref: schemaRef(title) };
}

/** `discriminator.mapping`: each branch's tag value (its `const`, or single `enum`) to its schema. */
function mapDiscriminator(schemas: Record<string, unknown>, schema: Node): void {
  const { discriminator, oneOf } = schema;
  if (!isObject(discriminator) || !Array.isArray(oneOf) || typeof discriminator.propertyName !== 'string') return;
  const mapping: Record<string, string> = {};
  for (const branch of oneOf) {
    const ref = isObject(branch) && typeof branch.$ref === 'string' ? branch.$ref : undefined;
    const target = ref === undefined ? undefined : schemas[ref.slice(schemaRef('').length)];
    const tag: unknown =
      isObject(target) && isObject(target.properties) ? target.properties[discriminator.propertyName] : undefined;
    const value = isObject(tag)
      ? (tag.const ?? (Array.isArray(tag.enum) && tag.enum.length === 1 ? tag.enum[0] : undefined))
      : undefined;
    if (ref === undefined || typeof value !== 'string') return; // an inline or untagged branch: no mapping can name it
    mapping[value] = ref;
  }
  schema.discriminator = { ...discriminator, mapping };
}
