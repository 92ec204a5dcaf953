// Per-address limits through the stack's real proxy hops: the web app's Vite proxy (sign-in) and the
// OpenAPI service's OAuth aliases (registration) forward the caller's address in X-Forwarded-For, and
// the auth service believes it from them only. Callers are distinct loopback source addresses.
import { describe, expect, it } from 'vitest';
import { rawRequest } from '../src/http.ts';
import { CALLBACK, MEMBER, useStack } from '../src/stack.ts';

const h = useStack({}, ['openapi', 'auth', 'web']);

function signInThroughWeb(from: string, password: string, headers: Record<string, string> = {}) {
  const { config } = h.stack;
  return rawRequest(`${config.web.url}/api/auth/session`, {
    method: 'POST',
    localAddress: from,
    headers: { 'content-type': 'application/json', origin: config.web.url, ...headers },
    body: JSON.stringify({ email: MEMBER.email, password }),
  });
}

function registerThroughAlias(from: string, name: string) {
  return rawRequest(`${h.stack.config.openapi.url}/register`, {
    method: 'POST',
    localAddress: from,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: name, redirect_uris: [CALLBACK], token_endpoint_auth_method: 'none' }),
  });
}

describe('sign-in through the web proxy', () => {
  it("10 wrong guesses from one browser slow that browser; the member's right password from another browser signs in, with a cookie scoped to /api/auth", async () => {
    for (let i = 0; i < 10; i++) expect((await signInThroughWeb('127.0.0.9', `wrong-${i}`)).status).toBe(401);
    const slowed = await signInThroughWeb('127.0.0.9', MEMBER.password);
    expect(slowed.status).toBe(429);
    expect(slowed.headers['retry-after']).toBe('1');
    const member = await signInThroughWeb('127.0.0.10', MEMBER.password);
    expect(member.status).toBe(200);
    expect(member.headers['set-cookie']?.[0]).toMatch(
      /^enginy_session=ess_[^;]+; Max-Age=43200; Path=\/api\/auth; HttpOnly; SameSite=Lax$/,
    );
  });

  it('an X-Forwarded-For sent by the browser is dropped by the proxy: one browser cannot pose as many', async () => {
    for (let i = 0; i < 10; i++)
      expect(
        (await signInThroughWeb('127.0.0.11', `wrong-${i}`, { 'x-forwarded-for': `127.0.5.${i + 1}` })).status,
      ).toBe(401);
    expect((await signInThroughWeb('127.0.0.11', MEMBER.password, { 'x-forwarded-for': '127.0.5.99' })).status).toBe(
      429,
    );
  });
});

describe('registration through the OpenAPI alias', () => {
  it('is counted per caller address: one caller at the 60-a-minute limit does not stop another, and identical registrations from two callers get two client IDs', async () => {
    for (let i = 0; i < 60; i++) expect((await registerThroughAlias('127.0.0.21', `burst ${i}`)).status).toBe(201);
    expect((await registerThroughAlias('127.0.0.21', 'burst 60')).status).toBe(429);
    const first = await registerThroughAlias('127.0.0.22', 'Claude Code (enginy)');
    const second = await registerThroughAlias('127.0.0.23', 'Claude Code (enginy)');
    expect([first.status, second.status]).toEqual([201, 201]);
    const id = (answer: { text: string }) => (JSON.parse(answer.text) as { client_id: string }).client_id;
    expect(id(first)).not.toBe(id(second));
  });
});
