import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiError, sendError } from '../errors.ts';

type Segment = { kind: 0 | 1 | 2; text: string }; // 0 static, 1 parameter, 2 wildcard: the router's precedence

const parse = (url: string): Segment[] =>
  url
    .split('/')
    .slice(1)
    .map((text) => ({ kind: text === '*' ? 2 : text.startsWith(':') ? 1 : 0, text }));

/** How well `pattern` matches `path`: one rank per segment (lower is more specific), or undefined. */
function rank(pattern: Segment[], path: string[]): number[] | undefined {
  const ranks: number[] = [];
  for (const [index, segment] of pattern.entries()) {
    if (segment.kind === 2) return [...ranks, 2];
    const part = path[index];
    if (part === undefined || (segment.kind === 0 ? part !== segment.text : part === '')) return undefined;
    ranks.push(segment.kind);
  }
  return path.length === pattern.length ? ranks : undefined;
}

/** Whether a route ranked `ranks` beats one ranked `other`: the first segment where they differ decides. */
const moreSpecific = (ranks: number[], other: number[]) => {
  for (let index = 0; index < Math.min(ranks.length, other.length); index++)
    if (ranks[index] !== other[index]) return (ranks[index] as number) < (other[index] as number);
  return ranks.length > other.length;
};

/**
 * Which methods each path of the app answers, for 405 Method Not Allowed. A path belongs to its most
 * specific route, static segments before parameters, as Fastify's router and OpenAPI both decide
 * ("concrete paths are matched before their templated counterparts"): `/v1/companies/search` is
 * its own resource, never the company with id `search`.
 */
export class RouteMethods {
  readonly #routes = new Map<string, { segments: Segment[]; methods: Set<string> }>();

  record(url: string, methods: string | string[]): void {
    const route = this.#routes.get(url) ?? { segments: parse(url), methods: new Set<string>() };
    for (const method of [methods].flat()) route.methods.add(method);
    this.#routes.set(url, route);
  }

  /** The route pattern `path` belongs to and its methods, or undefined for a path no route has. */
  owner(path: string): { url: string; methods: string[] } | undefined {
    const parts = path.split('/').slice(1);
    let best: { url: string; ranks: number[]; methods: Set<string> } | undefined;
    for (const [url, { segments, methods }] of this.#routes) {
      const ranks = rank(segments, parts);
      if (ranks !== undefined && (best === undefined || moreSpecific(ranks, best.ranks)))
        best = { url, ranks, methods };
    }
    return best && { url: best.url, methods: [...best.methods].sort() };
  }

  /**
   * The methods a path lacks but a parameter route next to it has, e.g. GET on `/v1/companies/search`
   * (POST only) beside GET `/v1/companies/:companyId`: the router keeps one tree per method, so
   * without a route of its own the request would be taken for a company id.
   */
  shadowed(): { method: string; url: string }[] {
    const found: { method: string; url: string }[] = [];
    for (const [url, { segments, methods }] of this.#routes) {
      const sample = segments.map((segment) => (segment.kind === 0 ? segment.text : 'x'));
      for (const [other, route] of this.#routes) {
        // Wildcard routes (static files under /docs/*) are catch-alls by design.
        if (
          other === url ||
          route.segments.some((segment) => segment.kind === 2) ||
          rank(route.segments, sample) === undefined
        )
          continue;
        for (const method of route.methods) if (!methods.has(method)) found.push({ method, url });
      }
    }
    return found;
  }
}

/** RFC 9110 §15.5.6: a 405 "MUST generate an Allow header field" listing the target's methods. */
export function sendMethodNotAllowed(
  reply: FastifyReply,
  method: string,
  path: string,
  allowed: string[],
): FastifyReply {
  const allow = allowed.join(', ');
  return sendError(
    reply.header('allow', allow),
    apiError('method_not_allowed', `${method} is not allowed on ${path}; it allows ${allow}`),
  );
}

// The routes that only answer 405: not methods their path supports.
const refusals = new WeakSet<object>();

/** Every route added from now on is recorded: call it before any route is registered. */
export function recordRouteMethods(app: FastifyInstance): RouteMethods {
  const table = new RouteMethods();
  app.addHook('onRoute', (route) => {
    if (!refusals.has(route.handler)) table.record(route.url, route.method);
  });
  return table;
}

/** Last, after every route: each shadowed method gets a route of its own that answers 405. */
export function claimShadowedMethods(app: FastifyInstance, table: RouteMethods): void {
  for (const { method, url } of table.shadowed()) {
    const allowed = table.owner(url.replace(/:\w+/g, 'x'))?.methods ?? [];
    const handler = async (request: FastifyRequest, reply: FastifyReply) =>
      sendMethodNotAllowed(reply, request.method, request.url.split('?')[0] ?? url, allowed);
    refusals.add(handler);
    app.route({ method, url, schema: { hide: true }, handler });
  }
}
