// The web app's calls to the auth service, through the same-origin /api/auth proxy.
import type { ConsentAnswer as ConsentAnswerSchema, ConsentView as ConsentViewSchema } from '@enginy/contracts/consent';
import type { Session as SessionSchema } from '@enginy/contracts/session';
import type { Static } from 'typebox';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function call<T>(
  method: string,
  path: string,
  options: { body?: unknown; csrfToken?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.csrfToken !== undefined) headers['x-csrf-token'] = options.csrfToken;
  const response = await fetch(`/api/auth${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok)
    throw new ApiError(
      response.status,
      String(data.error ?? 'error'),
      String(data.error_description ?? `HTTP ${response.status}`),
    );
  return data as T;
}

// The answers of the session and consent API, derived from their schemas (@enginy/contracts).
export type Session = Static<typeof SessionSchema>;
export type ConsentView = Static<typeof ConsentViewSchema>;
export type ConsentAnswer = Static<typeof ConsentAnswerSchema>;
