// Plain HTTP probes with a description of what came back, so a failure can say "HTML", "a framework
// 404" or "invalid JSON" instead of a stack trace.

export interface Probe {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
  headers: Headers;
}

const TIMEOUT_MS = 10_000;

export async function probe(url: string, init: RequestInit = {}): Promise<Probe> {
  const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text,
    json,
    headers: response.headers,
  };
}

/** "HTTP 404 with HTML (Cannot POST /token)", "HTTP 200 with invalid JSON", … */
export function describe(p: Probe): string {
  const framework = /Cannot (GET|POST) [^\s<]+/.exec(p.text)?.[0];
  const kind =
    p.json !== undefined
      ? 'JSON'
      : /<html|<!doctype|<body|<pre/i.test(p.text) || p.contentType.includes('html')
        ? 'HTML'
        : p.text.trim() === ''
          ? 'an empty body'
          : 'invalid JSON';
  return `HTTP ${p.status} with ${kind}${framework ? ` (${framework})` : ''}`;
}

/** Why a fetch did not even get an answer (connection refused, timeout). */
export function networkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
