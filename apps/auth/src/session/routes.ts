import { randomBytes } from 'node:crypto';
import { createSession, deleteSession, findUserByEmail } from '@enginy/db/queries/users';
import { hashPassword, PasswordHashingBusy, verifyPassword } from '@enginy/security/passwords';
import { hashSecret, newSecret } from '@enginy/security/tokens';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { InvalidCredentials, InvalidRequest, TemporarilyUnavailable, TooManyRequests } from '../errors/classes.ts';
import type { AppPluginOptions } from '../plugin-options.ts';
import { currentSession, requireSameOrigin, setSessionCookie } from './session.ts';
import { sharedSignInBackoff } from './shared-sign-in-backoff.ts';
import { createSignInBackoff } from './sign-in-backoff.ts';
import { sourceAddress } from '../source-address.ts';

// Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
const DUMMY_HASH = hashPassword('not-a-real-password');

const SignInBody = Type.Object({ email: Type.String(), password: Type.String() });
const signInBodyError = () => new InvalidRequest('email and password are required');

/** The web app's sign-in: email + password → an HttpOnly session cookie (stored hashed). */
export const sessionRoutes: FastifyPluginAsync<AppPluginOptions> = async (plugin, { config, db, sharedStore }) => {
  const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // Backoff per caller address and per account instead of a lockout (see sign-in-backoff.ts). The
  // address is the browser's: the web app's proxy forwards it (app.ts believes it from that proxy only).
  // With Redis configured every replica counts in the same place, else in this process.
  const backoff = sharedStore.redis
    ? sharedSignInBackoff(sharedStore.redis, createSignInBackoff(), app.log)
    : createSignInBackoff();

  const signIn = {
    schema: { body: SignInBody },
    schemaErrorFormatter: signInBodyError,
    // Before the body is looked at: a sign-in from another origin (login CSRF) is refused whatever it sends.
    preValidation: async (request: FastifyRequest) => requireSameOrigin(request, config),
  };
  app.post('/session', signIn, async (request, reply) => {
    const body = request.body;
    // Lengths in UTF-16 code units: nothing longer is a real address or password, and hashing costs time.
    if (body.email.length > 320 || body.password.length > 1024) throw signInBodyError();
    const address = sourceAddress(request.ip);
    const account = body.email.trim().toLowerCase();
    const waitMs = await backoff.admit(address, account);
    if (waitMs > 0) {
      // RFC 6585 §4: 429 "MAY include a Retry-After header indicating how long to wait" (TooManyRequests sends it).
      throw new TooManyRequests(Math.ceil(waitMs / 1000));
    }
    let ok: boolean;
    let user: Awaited<ReturnType<typeof findUserByEmail>>;
    try {
      user = await findUserByEmail(db, body.email);
      ok = await verifyPassword(user?.password_hash ?? (await DUMMY_HASH), body.password);
    } catch (error) {
      await backoff.withdraw(address, account);
      if (!(error instanceof PasswordHashingBusy)) throw error;
      // RFC 9110 §15.6.4: 503 for "a temporary overload"; "The server MAY send a Retry-After header field".
      throw new TemporarilyUnavailable('Too many sign-ins at once; try again in a moment', {
        retryAfterSeconds: error.retryAfterSeconds,
      });
    }
    if (user === undefined || !ok) throw new InvalidCredentials();
    await backoff.succeeded(address, account);
    const cookie = newSecret('ess_');
    const csrfToken = randomBytes(24).toString('base64url');
    await createSession(db, {
      idHash: hashSecret(config.tokenHashKey, cookie),
      userId: user.id,
      csrfToken,
      expiresAt: new Date(Date.now() + config.session.ttlSeconds * 1000),
    });
    setSessionCookie(reply, config, cookie);
    return reply.header('cache-control', 'no-store').send({ user: { email: user.email, name: user.name }, csrfToken });
  });

  app.get('/session', async (request, reply) => {
    const session = await currentSession(request, db, config);
    return reply
      .header('cache-control', 'no-store')
      .send({ user: { email: session.email, name: session.name }, csrfToken: session.csrfToken });
  });

  app.delete('/session', async (request, reply) => {
    requireSameOrigin(request, config);
    const session = await currentSession(request, db, config);
    await deleteSession(db, session.idHash);
    setSessionCookie(reply, config, '', 0);
    return reply.code(204).send();
  });
};
