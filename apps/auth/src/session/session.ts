import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findSession } from '@enginy/db/queries/users';
import { hashSecret, safeEqual } from '@enginy/security/tokens';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, NotSignedIn } from '../errors/classes.ts';

const isLoopbackHost = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

export const SESSION_COOKIE = 'enginy_session';
/** Where the browser reaches this service: the web app proxies /api/auth/* here (apps/web/vite.config.ts). */
export const WEB_AUTH_PATH = '/api/auth';

export interface SessionCookieAttributes {
  name: string;
  path: string;
  secure: boolean;
}

/**
 * The session cookie's name, Path and Secure for this deployment. Only the session, consent and
 * console APIs read it, all under /api/auth/ on the web app's origin.
 *
 * RFC 6265 §8.5: "Cookies do not provide isolation by port. If a cookie is readable by a service
 * running on one port, the cookie is also readable by a service running on another port of the same
 * server." On a laptop the web app shares localhost with Claude Code's callback listener (port 3118),
 * which received the cookie with every redirect while it had Path=/. So there it is scoped by Path to
 * /api/auth: no other listener's paths get it (this keeps it from being sent by accident; a hostile
 * local listener can still ask for it under /api/auth, and nothing stops that on a shared host).
 *
 * `__Host-` (RFC 6265bis §4.1.3.2) promises Secure, no Domain and *Path=/*, so it cannot be combined
 * with that scoping. It is used where the port problem does not arise: production over https on a
 * host of its own. Secure whenever the web app is served over https.
 */
export function sessionCookie(config: StackConfig): SessionCookieAttributes {
  const web = new URL(config.web.url);
  const secure = web.protocol === 'https:';
  if (config.nodeEnv === 'production' && secure && !isLoopbackHost(web.hostname)) {
    return { name: `__Host-${SESSION_COOKIE}`, path: '/', secure };
  }
  return { name: SESSION_COOKIE, path: WEB_AUTH_PATH, secure };
}

export function setSessionCookie(
  reply: FastifyReply,
  config: StackConfig,
  value: string,
  maxAge = config.session.ttlSeconds,
): void {
  const { name, path, secure } = sessionCookie(config);
  // HttpOnly: no script reads it; SameSite=Lax: not sent on cross-site POSTs.
  reply.setCookie(name, value, { httpOnly: true, sameSite: 'lax', path, secure, maxAge });
  // A cookie set before the scoping (Path=/, sent to every localhost port; 12 h at most) is ended.
  reply.setCookie(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0 });
}

export async function currentSession(request: FastifyRequest, db: Db, config: StackConfig) {
  const cookie = request.cookies[sessionCookie(config).name];
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
  if (typeof sent !== 'string' || !safeEqual(sent, expected))
    throw new Forbidden('Missing or wrong CSRF token; reload the page');
}
