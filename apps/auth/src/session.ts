import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findSession } from '@enginy/db/queries/oauth-sessions';
import { hashSecret, safeEqual } from '@enginy/security/tokens';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, NotSignedIn } from './errors.ts';

export const SESSION_COOKIE = 'enginy_session';
export const SESSION_TTL_SECONDS = 12 * 3600;

export function setSessionCookie(reply: FastifyReply, value: string, maxAge = SESSION_TTL_SECONDS): void {
  // HttpOnly: no script reads it; SameSite=Lax: not sent on cross-site POSTs; Path=/ (the web app's origin).
  reply.setCookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', path: '/', maxAge });
}

export async function currentSession(request: FastifyRequest, db: Db, config: StackConfig) {
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie === undefined || cookie === '') throw new NotSignedIn();
  const session = await findSession(db, hashSecret(config.tokenHashKey, cookie));
  if (session === undefined) throw new NotSignedIn();
  return { ...session, idHash: hashSecret(config.tokenHashKey, cookie) };
}

/** A state-changing browser request must come from the web app's own pages (login CSRF included). */
export function requireSameOrigin(request: FastifyRequest, config: StackConfig): void {
  if (request.headers.origin !== config.web.url) throw new Forbidden(`Requests must come from ${config.web.url}`);
}

/** The per-session CSRF token, sent back in a header by the consent page. */
export function requireCsrfToken(request: FastifyRequest, expected: string): void {
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !safeEqual(sent, expected)) throw new Forbidden('Missing or wrong CSRF token; reload the page');
}
