// The web app's calls to the auth service, through the same-origin /api/auth proxy.
import type { ClientSource } from './client-source.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function call<T>(method: string, path: string, options: { body?: unknown; csrfToken?: string } = {}): Promise<T> {
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
  if (!response.ok) throw new ApiError(response.status, String(data.error ?? 'error'), String(data.error_description ?? `HTTP ${response.status}`));
  return data as T;
}

export interface Session {
  user: { email: string; name: string };
  csrfToken: string;
}

export interface ConsentView {
  request: {
    id: string;
    clientId: string;
    clientName: string;
    redirectUri: string;
    requestedScopes: string[];
    /** Client ID metadata document clients: where the metadata came from; null for registered clients. */
    clientSource?: ClientSource | null;
  };
  workspaces: { id: string; name: string; role: string }[];
  workspaceId: string;
  decision:
    | { outcome: 'allowed'; scopes: string[] }
    | { outcome: 'denied'; reason: string; message: string; hint: string | null; details: Record<string, unknown>; redirectTo: string | null };
}
