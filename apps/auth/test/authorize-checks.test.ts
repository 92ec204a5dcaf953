import { describe, expect, it } from 'vitest';
import { InvalidClient, InvalidRequest, InvalidTarget, UnsupportedResponseType } from '../src/errors/classes.ts';
import { refusalAnswer } from '../src/oauth/authorize/answer-refusal.ts';
import { AUTHORIZE_CHECKS, firstRefusal } from '../src/oauth/authorize/checks.ts';
import type { AuthorizeContext } from '../src/oauth/authorize/context.ts';
import type { AuthorizeStage } from '../src/oauth/authorize/stages.ts';

// GET /authorize is an ordered list of checks, each tagged with how far the request is trusted when
// it runs; one answer decides between the error page and the redirect (RFC 6749 §4.1.2.1, RFC 9700 §4.18).
describe('the /authorize check list', () => {
  it('runs in RFC order: the query, the client, its redirect URI, then the request', () => {
    expect(AUTHORIZE_CHECKS.map(({ name, stage }) => `${stage}: ${name}`)).toEqual([
      'parameters: check-parameters',
      'client: check-client',
      'client: lab forget-client',
      'client: lab issuer-moved',
      'redirect_uri: check-redirect-uri',
      'request: check-response-type',
      'request: check-pkce',
      'request: check-resource',
    ]);
  });

  it('stops at the first refusal and names its stage; a failure that is no OAuth verdict is thrown on', async () => {
    const ran: string[] = [];
    const check = (name: string, stage: AuthorizeStage, outcome?: Error) => ({
      name,
      stage,
      run: () => {
        ran.push(name);
        if (outcome !== undefined) throw outcome;
      },
    });
    const ctx = {} as AuthorizeContext;
    const refused = new InvalidClient('Unknown client_id x');
    expect(
      await firstRefusal(ctx, [check('a', 'parameters'), check('b', 'client', refused), check('c', 'request')]),
    ).toEqual({ stage: 'client', error: refused });
    expect(ran).toEqual(['a', 'b']);
    expect(await firstRefusal(ctx, [check('d', 'request')])).toBeUndefined();
    const outage = new Error('database down');
    await expect(firstRefusal(ctx, [check('e', 'client', outage)])).rejects.toBe(outage);
  });
});

describe('a refused authorization request is answered', () => {
  const loopback = 'http://127.0.0.1:3118/callback'; // trusted unattended (packages/policy)
  const web = 'https://app.example/callback'; // the user must see it first (RFC 9700 §4.18)
  it.each([
    // Before the client and its redirect URI are good, never a redirect (RFC 6749 §4.1.2.1), whatever
    // the code and the URI.
    ['parameters', new InvalidRequest('state is repeated'), loopback, 'page'],
    ['client', new InvalidClient('Unknown client_id x'), loopback, 'page'],
    ['redirect_uri', new InvalidRequest('redirect_uri is not registered for this client'), loopback, 'page'],
    ['request', new InvalidRequest('x'), undefined, 'page'],
    // After: back to a trusted redirect URI when the code may be carried there.
    ['request', new UnsupportedResponseType('token'), loopback, 'redirect'],
    ['request', new InvalidRequest('code_challenge (PKCE, S256) is required'), loopback, 'redirect'],
    ['request', new InvalidTarget('resource must be …'), loopback, 'redirect'],
    ['request', new InvalidTarget('resource must be …'), web, 'page'],
    ['request', new InvalidClient('x'), loopback, 'page'],
  ] as const)('at stage %s, %s to %s: %s', (stage, error, redirectUri, answer) => {
    expect(refusalAnswer({ stage, error }, redirectUri)).toBe(answer);
  });
});
