// The auth service as the console's pages reach it (`fetch('/api/auth/...')`), stood in for with
// recorded answers. Each answer is checked against its schema in @enginy/contracts, by type and when
// recorded, so a contract change breaks the test that recorded the old shape; the real service is
// exercised end to end by tests/e2e.
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { vi } from 'vitest';
import { WORKSPACE } from './fixtures.ts';

export interface Reply {
  status: number;
  body: unknown;
}

/** What a page sent: the path below the workspace for console calls (`/members`), else the whole path. */
export interface SentRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
  csrfToken: string | null;
}

/** A request that is never answered: the page stays loading. */
export const NO_ANSWER = Symbol('no answer');

type Answer = Reply | typeof NO_ANSWER;
/** One answer every time, answers in turn (the last one repeats), or an answer made from the request. */
export type Route = Answer | Answer[] | ((request: SentRequest) => Answer);

/** A 2xx answer whose body must be valid under `schema`. */
export function answer<S extends TSchema>(schema: S, body: Static<S>, status = 200): Reply {
  if (!Value.Check(schema, body)) {
    const problems = [...Value.Errors(schema, body)].map((e) => `${e.instancePath} ${e.message}`);
    throw new Error(`A recorded answer does not match its contract: ${problems.join('; ')}`);
  }
  return { status, body };
}

/** 204 No Content: what the console answers a revoke or a delete. */
export const NO_CONTENT: Reply = { status: 204, body: null };

/** An error as the auth service renders it (apps/auth/src/errors/service-error.ts, `ServiceError.body`). */
export function refusal(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}

const CONSOLE = `/console/workspaces/${WORKSPACE.id}`;

/**
 * Stubs the global fetch with `routes`, keyed `METHOD /path` (with or without its query). A request
 * nobody recorded fails the way a network error does, and is kept in `unanswered`.
 */
export function fakeAuthApi(routes: Record<string, Route>) {
  const requests: SentRequest[] = [];
  const unanswered: string[] = [];
  const served = new Map<string, number>();

  const reply = (key: string, route: Route, request: SentRequest): Answer => {
    if (typeof route === 'function') return route(request);
    if (!Array.isArray(route)) return route;
    const n = served.get(key) ?? 0;
    served.set(key, n + 1);
    return route[Math.min(n, route.length - 1)] as Answer;
  };

  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://localhost');
    if (!url.pathname.startsWith('/api/auth/')) throw new TypeError(`Not the auth service: ${url.pathname}`);
    const full = url.pathname.slice('/api/auth'.length);
    const path = full.startsWith(`${CONSOLE}/`) ? full.slice(CONSOLE.length) : full;
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    const request: SentRequest = {
      method,
      path,
      search: url.searchParams,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      csrfToken: headers.get('x-csrf-token'),
    };
    requests.push(request);
    const key = [`${method} ${path}${url.search}`, `${method} ${path}`].find((k) => k in routes);
    if (key === undefined) {
      unanswered.push(`${method} ${path}${url.search}`);
      throw new TypeError(`No recorded answer for ${method} ${path}${url.search}`);
    }
    const answered = reply(key, routes[key] as Route, request);
    if (answered === NO_ANSWER) return new Promise<Response>(() => {});
    if (answered.body === null) return new Response(null, { status: answered.status });
    return new Response(JSON.stringify(answered.body), {
      status: answered.status,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);

  return {
    requests,
    unanswered,
    /** The requests sent as `METHOD /path`, in order. */
    sent: (method: string) => requests.filter((r) => r.method === method).map((r) => `${r.method} ${r.path}`),
  };
}
