import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { requestUrl, toolName, toolsFromOperations } from '../../src/mcp/tool-catalogue.ts';
import { defineOperation, type Operation } from '../../src/operations/operation.ts';
import { compileOperation } from '../../src/validation/input-validators.ts';

describe('toolName', () => {
  it.each([
    ['Search contacts', 'POST', '/v1/contacts/search', 'search_contacts'],
    ['  Get inbox contact messages ', 'GET', '/x', 'get_inbox_contact_messages'],
    ['Add contacts to list (bulk)!', 'POST', '/x', 'add_contacts_to_list_bulk'],
    [undefined, 'GET', '/v1/contacts/{contactId}', 'get_v1_contacts_contactid'],
    ['', 'DELETE', '/v1/lists/{listId}', 'delete_v1_lists_listid'],
    ['x'.repeat(80), 'GET', '/x', 'x'.repeat(64)],
  ])('%j (%s %s) → %s', (summary, method, path, expected) => {
    expect(toolName(summary, method, path)).toBe(expected);
  });
});

const operation = (
  spec: Partial<Parameters<typeof defineOperation>[0]> & Pick<Operation, 'method' | 'path' | 'summary' | 'scope'>,
) =>
  compileOperation(
    defineOperation({
      description: 'An operation.',
      tag: 'Contacts',
      perMinute: 60,
      response: Type.Object({}),
      handler: async () => ({}),
      ...spec,
    } as Parameters<typeof defineOperation>[0]),
  );

describe('toolsFromOperations', () => {
  const contactId = Type.Object({ contactId: Type.String() });
  const tools = toolsFromOperations([
    operation({
      method: 'GET',
      path: '/v1/contacts/{contactId}',
      summary: 'Get contact',
      scope: 'CONTACTS_READ',
      params: contactId,
    }),
    operation({
      method: 'DELETE',
      path: '/v1/contacts/{contactId}',
      summary: 'Get contact',
      scope: 'CONTACTS_WRITE',
      params: contactId,
    }),
    operation({
      method: 'GET',
      path: '/v1/lists',
      summary: 'List lists',
      scope: 'LISTS_READ',
      querystring: Type.Object({ page: Type.Integer({ default: 1 }), q: Type.String() }),
    }),
    operation({
      method: 'POST',
      path: '/v1/lists',
      summary: 'Create list',
      scope: 'LISTS_WRITE',
      body: Type.Object({}),
    }),
  ]);

  it('makes one tool per operation, in document order, with unique names', () => {
    expect(tools.map((t) => t.name)).toEqual(['get_contact', 'get_contact_2', 'list_lists', 'create_list']);
  });

  it('shapes input as { pathParams, query, body } and treats defaulted parameters as optional', () => {
    expect(tools[0]?.inputSchema).toMatchObject({
      required: ['pathParams'],
      properties: { pathParams: { required: ['contactId'] } },
    });
    expect(tools[2]?.inputSchema.properties.query).toMatchObject({ required: ['q'] });
    expect(tools[3]?.inputSchema).toMatchObject({ required: ['body'], properties: { body: { type: 'object' } } });
  });

  it("takes the required scope from the operation's own and annotates by method", () => {
    expect(tools.map((t) => t.requiredScopes)).toEqual([
      ['CONTACTS_READ'],
      ['CONTACTS_WRITE'],
      ['LISTS_READ'],
      ['LISTS_WRITE'],
    ]);
    expect(tools[0]?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
    expect(tools[1]?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tools[3]?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
  });

  it('builds the request URL with encoded path parameters and the query', () => {
    expect(requestUrl(tools[0] as never, { contactId: 'a/b c' })).toBe('/v1/contacts/a%2Fb%20c');
    expect(requestUrl(tools[2] as never, {}, { page: 2, q: 'x y', skip: undefined })).toBe('/v1/lists?page=2&q=x+y');
  });

  // RFC 3986 §3.3 dot-segments: a path parameter is one segment, never a step up or a separator.
  it.each([
    ['a.b', '/v1/contacts/a%2Eb'],
    ['...', '/v1/contacts/%2E%2E%2E'],
    ['%2e%2e', '/v1/contacts/%252e%252e'],
    ['a/b', '/v1/contacts/a%2Fb'],
    ['../x', '/v1/contacts/%2E%2E%2Fx'],
    ['?q#f', '/v1/contacts/%3Fq%23f'],
  ])('encodes path parameter %j as one segment: %s', (value, url) => {
    expect(requestUrl(tools[0] as never, { contactId: value })).toBe(url);
  });

  it.each(['.', '..', '', null, undefined, ['..']])(
    'never builds a URL for path parameter %j (a dot-segment or nothing)',
    (value) => {
      expect(() => requestUrl(tools[0] as never, { contactId: value })).toThrow('contactId');
    },
  );
});
