import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { argumentCheck } from '../../src/mcp/tool-arguments.ts';
import { toolsFromOperations } from '../../src/mcp/tool-catalogue.ts';
import { defineOperation } from '../../src/operations/operation.ts';
import { compileOperation } from '../../src/validation/input-validators.ts';

// One operation with a path parameter, a one-value query parameter and a list-valued one.
const [tool] = toolsFromOperations([
  compileOperation(
    defineOperation({
      method: 'GET',
      path: '/v1/lists/{listId}/members',
      summary: 'List members',
      description: 'Members of a list.',
      tag: 'Lists',
      scope: 'LISTS_READ',
      perMinute: 60,
      params: Type.Object({ listId: Type.String() }),
      querystring: Type.Object({ page: Type.Optional(Type.Integer()), tag: Type.Optional(Type.Array(Type.String())) }),
      response: Type.Object({}),
      handler: async () => ({}),
    }),
  ),
]);
const check = argumentCheck(tool as NonNullable<typeof tool>);
const TEXT = 'must be a string, a number or a boolean: it is text in the request URL';

describe('argumentCheck', () => {
  it.each([
    [{ pathParams: { listId: 'l1' } }, undefined],
    [{ pathParams: { listId: 7 }, query: { page: '2', tag: ['a', 1, true] } }, undefined],
    [{ pathParams: { listId: 'l1' }, query: { page: null, tag: null, other: 'x' } }, undefined],
    [{ pathParams: { listId: { toString: 1 } } }, `pathParams.listId ${TEXT}`],
    [{ pathParams: { listId: ['l1'] } }, `pathParams.listId ${TEXT}`],
    [{ pathParams: { listId: 'l1' }, query: { page: [2] } }, `query.page ${TEXT}`],
    [{ pathParams: { listId: 'l1' }, query: { tag: ['a', { toString: 1 }] } }, `query.tag[1] ${TEXT}`],
    [{ pathParams: { listId: 'l1' }, query: { tag: [null] } }, `query.tag[0] ${TEXT}`],
    [{ pathParams: { listId: 'l1' }, query: { other: {} } }, `query.other ${TEXT}`],
    [{ pathParams: { listId: 'l1', extra: [] } }, `pathParams.extra ${TEXT}`],
    [{ pathParams: { listId: null } }, 'Missing path parameter: pathParams.listId'],
    [
      { pathParams: { listId: '..' } },
      'pathParams.listId may not be "." or "..": a path parameter is one path segment',
    ],
    [{ pathParams: 'l1' }, 'pathParams must be an object'],
    [{ pathParams: { listId: 'l1' }, body: {} }, 'Unknown argument: body (this tool takes pathParams, query)'],
  ])('%j → %s', (args, problem) => {
    expect(check(args)).toBe(problem);
  });
});
