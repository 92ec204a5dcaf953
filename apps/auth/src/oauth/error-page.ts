import type { FastifyReply, FastifyRequest } from 'fastify';
import { noteAnswer } from '../flows/answer-note.ts';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** Headers for every page a browser renders from this service: never framed, never cached. */
export function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer');
}

/**
 * An authorization error shown to the person in the browser instead of redirecting (RFC 6749
 * §4.1.2.1: "the authorization server SHOULD inform the resource owner of the error and MUST NOT
 * automatically redirect the user-agent to the invalid redirection URI"). JSON for non-browser callers.
 */
export function sendErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
  details: Record<string, string> = {},
) {
  noteAnswer(request, error, message); // for the console's flows (flows/record-steps.ts)
  pageHeaders(reply).code(status);
  if (!(request.headers.accept ?? '').includes('text/html'))
    return reply.send({ error, error_description: message, ...details });
  const rows = Object.entries(details)
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd><code>${escapeHtml(value)}</code></dd>`)
    .join('');
  return reply
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorization error · Enginy Local</title>` +
        `<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{word-break:break-all}</style></head>` +
        `<body><main><h1>Authorization error</h1><p role="alert">${escapeHtml(message)}</p><dl>${rows}</dl>` +
        `<p>Nothing was sent back to the application. Fix the client or the workspace settings and start again.</p></main></body></html>`,
    );
}
