import type { ValidateFunction } from 'ajv';
import type { SchemaErrorDataVar } from 'fastify/types/schema.js';
import { type ApiError, apiError } from '../errors.ts';
import type { Operation } from '../operations/operation.ts';
import { compileInput } from './ajv.ts';
import { validationProblems } from './problems.ts';

/** An operation's input schemas, compiled once: Fastify validates its route with these, MCP its tool calls. */
export interface InputValidators {
  params?: ValidateFunction;
  querystring?: ValidateFunction;
  body?: ValidateFunction;
}

/** An operation of the registry with its input schemas compiled, once, for both adapters. */
export interface CompiledOperation {
  operation: Operation;
  validators: InputValidators;
}

export function compileOperation(operation: Operation): CompiledOperation {
  const validators: InputValidators = {
    ...(operation.params ? { params: compileInput(operation.params, 'params') } : {}),
    ...(operation.querystring ? { querystring: compileInput(operation.querystring, 'querystring') } : {}),
    ...(operation.body ? { body: compileInput(operation.body, 'body') } : {}),
  };
  return { operation, validators };
}

/** The parts of an input, under the names a Fastify request gives them. */
export interface InputParts {
  params: unknown;
  query: unknown;
  body: unknown;
}

// Fastify's order (params, body, query), its context names, and its call: an absent part is
// validated as null, with the parts as parent so that Ajv may replace a part (coercion, defaults).
const ORDER = [
  ['params', 'params'],
  ['body', 'body'],
  ['querystring', 'query'],
] as const satisfies readonly [keyof InputValidators & SchemaErrorDataVar, keyof InputParts][];

/**
 * Validates `input` in place (defaults filled in, text coerced) as Fastify validates a request with
 * the same compiled schemas: the first failing part's error, worded by the error handler's rules.
 */
export function validateInput(validators: InputValidators, input: InputParts): ApiError | undefined {
  for (const [context, part] of ORDER) {
    const validate = validators[context];
    if (validate === undefined) continue;
    if (
      validate(input[part] ?? null, {
        parentData: input,
        parentDataProperty: part,
      } as unknown as Parameters<ValidateFunction>[1])
    )
      continue;
    const errors = (validate.errors ?? []) as Parameters<typeof validationProblems>[0];
    const { message, problems } = validationProblems(errors, context);
    return apiError('validation_error', message, problems);
  }
  return undefined;
}
