import type { FastifySchemaValidationError, SchemaErrorDataVar } from 'fastify/types/schema.js';

export interface Problem {
  /** Where the problem is, as a person writes it: `steps[0].onTrue[1].subject`, `query.pageSize`. */
  path: string;
  message: string;
}

/** JSON Pointer (`/steps/0/subject`, RFC 6901) to the dotted/bracketed path people read. */
export function readablePath(pointer: string, prefix: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = prefix;
  for (const part of parts) path += /^\d+$/.test(part) ? `[${part}]` : path === '' ? part : `.${part}`;
  return path;
}

/** Ajv's first error as a Problem, pointing at the field itself (a missing one included). */
export function toProblem(error: FastifySchemaValidationError, context: SchemaErrorDataVar | undefined): Problem {
  const prefix = context === undefined || context === 'body' ? '' : context === 'querystring' ? 'query' : context;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return {
      path: readablePath(`${error.instancePath}/${String(params.missingProperty)}`, prefix),
      message: 'is required',
    };
  }
  if (error.keyword === 'additionalProperties') {
    return {
      path: readablePath(`${error.instancePath}/${String(params.additionalProperty)}`, prefix),
      message: 'is not a known field',
    };
  }
  if (error.keyword === 'discriminator') {
    // A oneOf chosen by a tag (e.g. a step's `type`): the tag itself is what is wrong.
    const value =
      params.tagValue === undefined ? 'is required' : `${JSON.stringify(params.tagValue)} is not an allowed value`;
    return { path: readablePath(`${error.instancePath}/${String(params.tag)}`, prefix), message: value };
  }
  const path =
    readablePath(error.instancePath, prefix) || (context === 'body' || context === undefined ? 'body' : prefix);
  const allowed = error.keyword === 'enum' ? `: ${(params.allowedValues as unknown[]).join(', ')}` : '';
  return { path, message: `${error.message ?? 'is invalid'}${allowed}` };
}

/**
 * A schema violation as the API states it: every problem, and a one-line message naming the first
 * (`steps[0].subject is required`). The error handler answers it as a 422 `validation_error`.
 */
export function validationProblems(
  errors: FastifySchemaValidationError[],
  context: SchemaErrorDataVar | undefined,
): { message: string; problems: Problem[] } {
  const problems = errors.map((error) => toProblem(error, context));
  const first = problems[0] ?? { path: 'body', message: 'is invalid' };
  return { message: `${first.path} ${first.message}`, problems };
}
