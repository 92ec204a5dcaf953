import { randomBytes } from 'node:crypto';
import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { createSession, deleteSession } from '@enginy/db/queries/oauth-sessions';
import { findUserByEmail } from '@enginy/db/queries/workspaces';
import { hashPassword, verifyPassword } from '@enginy/security/passwords';
import { hashSecret, newSecret } from '@enginy/security/tokens';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidRequest, OAuthError } from '../errors.ts';
import { currentSession, requireSameOrigin, SESSION_TTL_SECONDS, setSessionCookie } from '../session.ts';

// Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
const DUMMY_HASH = hashPassword('not-a-real-password');

/** The web app's sign-in: email + password → an HttpOnly session cookie (stored hashed). */
export async function sessionRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  // Brute-force limit per address and account: every browser reaches this through the web app's
  // proxy (one address), so a per-address limit alone would lock out everyone at once.
  const signInLimit = {
    max: 10,
    timeWindow: '1 minute',
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => `${request.ip}|${String((request.body as { email?: unknown } | undefined)?.email ?? '').trim().toLowerCase()}`,
  };
  app.post('/session', { config: { rateLimit: signInLimit } }, async (request, reply) => {
    requireSameOrigin(request, config);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body.email !== 'string' || typeof body.password !== 'string' || body.email.length > 320 || body.password.length > 1024) {
      throw new InvalidRequest('email and password are required');
    }
    const user = await findUserByEmail(db, body.email);
    const ok = await verifyPassword(user?.password_hash ?? (await DUMMY_HASH), body.password);
    if (user === undefined || !ok) throw new OAuthError('invalid_credentials', 401, 'Wrong email or password');
    const cookie = newSecret('ess_');
    const csrfToken = randomBytes(24).toString('base64url');
    await createSession(db, { idHash: hashSecret(config.tokenHashKey, cookie), userId: user.id, csrfToken, expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000) });
    setSessionCookie(reply, config, cookie);
    return reply.header('cache-control', 'no-store').send({ user: { email: user.email, name: user.name }, csrfToken });
  });

  app.get('/session', async (request, reply) => {
    const session = await currentSession(request, db, config);
    return reply.header('cache-control', 'no-store').send({ user: { email: session.email, name: session.name }, csrfToken: session.csrfToken });
  });

  app.delete('/session', async (request, reply) => {
    requireSameOrigin(request, config);
    const session = await currentSession(request, db, config);
    await deleteSession(db, session.idHash);
    setSessionCookie(reply, config, '', 0);
    return reply.code(204).send();
  });
}
