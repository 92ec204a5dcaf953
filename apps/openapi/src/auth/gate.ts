import { missingScopes } from '@enginy/policy/scopes';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { apiError } from '../errors.ts';
import type { CredentialResolver, Principal } from './principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the gate on every operation that declares a scope; null on public routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The scope an operation requires; routes without one are public (health, docs). */
    scope?: string;
  }
}

export interface GateOptions {
  resolvers: CredentialResolver[];
}

/** The credential the request carries, as a principal; 401 when there is none or it is invalid. */
export async function authenticate(
  resolvers: readonly CredentialResolver[],
  request: FastifyRequest,
): Promise<Principal> {
  for (const resolver of resolvers) {
    const principal = await resolver.resolve(request.headers);
    if (principal) return principal;
  }
  const how = resolvers.flatMap((resolver) => (resolver.presented ? [resolver.presented] : [])).join(' or ');
  throw apiError('unauthenticated', `Authentication required: send ${how}`);
}

/** 403 unless the principal's scopes allow `scope` (WRITE includes READ; ALL allows everything). */
export function authorize(principal: Principal, scope: string): void {
  const missing = missingScopes(principal.scopes, [scope]);
  if (missing.length > 0) {
    throw apiError('insufficient_scope', `Missing required scope: ${missing.join(', ')}`, {
      requiredScopes: missing,
      grantedScopes: principal.scopes,
    });
  }
}

/**
 * The REST scope gate: each operation's route declares `config.scope`, and before anything else
 * runs the request is authenticated (a principal) and authorized (the scope). A tool call is
 * checked once, by the MCP adapter (mcp/run-tool.ts), with the same policy function.
 */
const gate: FastifyPluginAsync<GateOptions> = async (app, options) => {
  const resolvers = [...options.resolvers];
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) return;
    const principal = await authenticate(resolvers, request);
    authorize(principal, scope);
    request.principal = principal;
  });
};

export default fp(gate, { name: 'auth-gate', fastify: '5.x' });

/** The principal of an operation behind the gate (always set there). */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error(`${request.routeOptions.url} has no scope, so no principal`);
  return request.principal;
}
