// Generated and malformed input (fast-check) at every entry point of the real stack: the OAuth
// endpoints, the consent API, /mcp and every REST operation. Whatever arrives, the answer is a
// success or a 4xx with a clear JSON error — never a 5xx, never a hang, never a dead process.
import { issueApiKey } from '@enginy/db/queries/api-keys';
import { demoId, SEED_IDS } from '@enginy/db/seed';
import { newApiKey } from '@enginy/security/credentials';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectAlive } from '../src/alive.ts';
import { anyJson, CONTENT_TYPES, encode, nastyString, paramString, rawBody } from '../src/arbitraries.ts';
import { unclearError } from '../src/clear-error.ts';
import { type RawResponse, rawRequest } from '../src/http.ts';
import { callTool, MCP_HEADERS } from '../src/mcp.ts';
import type { Session } from '@enginy/testing/oauth-client';
import { oauthOf } from '../src/oauth.ts';
import { ADMIN, CALLBACK, useStack } from '../src/stack.ts';

// Runs per property; HARDENING_RUNS raises it for a longer local hunt.
const RUNS = Number(process.env.HARDENING_RUNS ?? 300);
const h = useStack({ TOKEN_RATE_LIMIT_PER_MINUTE: '1000000' });
let clientId: string;
let session: Session;
let accessToken: string;
let apiKeys: string[];
let toolNames: string[];
let operations: { method: string; path: string; params: string[]; bodyProps: string[] }[];

beforeAll(async () => {
  const { config } = h.stack;
  clientId = (await oauthOf(config).register()).client_id;
  session = await oauthOf(config).signIn(ADMIN);
  accessToken = (await oauthOf(config).authorizeAndRedeem(session, { clientId })).access_token;
  // Many keys with every scope: the per-key limits must not turn the run into a stream of 429s.
  apiKeys = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      issueApiKey(h.db, config.tokenHashKey, {
        key: newApiKey(),
        workspaceId: SEED_IDS.acme,
        name: `fuzz ${i}`,
        scopes: ['ALL'],
      }).then((k) => k.key),
    ),
  );
  const listed = await rawRequest(config.openapi.mcpUrl, {
    method: 'POST',
    headers: { ...MCP_HEADERS, authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  const tools = (JSON.parse(listed.text) as { result?: { tools: { name: string }[] } }).result?.tools;
  if (tools === undefined)
    throw new Error(
      `tools/list: ${listed.status} ${listed.text}\n${h.stack.apps.flatMap((app) => app.recent).join('\n')}`,
    );
  toolNames = tools.map((tool) => tool.name);
  const doc = JSON.parse((await rawRequest(`${config.openapi.url}/definitions.json`)).text) as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string }[];
          requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
        }
      >
    >;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      bodyProps: Object.keys(op.requestBody?.content['application/json']?.schema.properties ?? {}),
    })),
  );
});

// After every property: nothing crashed and both services are ready.
afterEach(async () => {
  await expectAlive(h.stack);
});

/** Fails the property with what came back, unless it is one of `ok` or a clear 4xx. */
async function expectClear(label: string, answer: RawResponse, ok: number[] = []): Promise<void> {
  if (ok.includes(answer.status)) return;
  const problem = await unclearError(answer.response());
  if (problem !== undefined) throw new Error(`${label}: ${problem}`);
}

const property = <T>(arbitrary: fc.Arbitrary<T>, run: (value: T) => Promise<void>, runs = RUNS) =>
  fc.assert(fc.asyncProperty(arbitrary, run), { numRuns: runs });

const AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'code_challenge',
  'code_challenge_method',
  'state',
  'scope',
  'resource',
  'nonce',
  'prompt',
  'request',
  'request_uri',
  'response_mode',
];
const TOKEN_PARAMS = [
  'grant_type',
  'code',
  'code_verifier',
  'redirect_uri',
  'client_id',
  'client_secret',
  'refresh_token',
  'scope',
  'resource',
  'token',
  'token_type_hint',
];

const authorizationHeader = fc.oneof(
  fc.constant(undefined),
  nastyString.map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
  nastyString.map((s) => `Basic ${s.replace(/[^\x21-\x7e]/g, '')}`),
  nastyString.map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, '')}`),
  fc.constantFrom('Basic', 'Basic ', 'Basic Og==', 'Basic %%%', 'Bearer', 'Digest x'),
);

describe('the OAuth endpoints under generated input', () => {
  it('GET /authorize: a clear 4xx, or a redirect only to the consent page or the registered redirect URI', async () => {
    const { config } = h.stack;
    const valid = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: CALLBACK,
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
      resource: config.openapi.mcpUrl,
    };
    await property(
      fc.tuple(paramString(AUTHORIZE_PARAMS, valid), fc.constantFrom('/authorize', '/oauth/authorize')),
      async ([query, path]) => {
        const answer = await rawRequest(`${config.auth.issuer}${path}?${query}`);
        if (answer.status === 302) {
          const location = String(answer.headers.location);
          if (!location.startsWith(`${config.web.url}/consent?request=`) && !location.startsWith(`${CALLBACK}?`))
            throw new Error(`${query}: redirected to ${location}`);
          return;
        }
        await expectClear(`/authorize?${query}`, answer);
      },
    );
  });

  it('POST /token: a clear 4xx whatever the body, content type and client authentication', async () => {
    const { config } = h.stack;
    const body = fc.oneof(
      paramString(TOKEN_PARAMS, { grant_type: 'authorization_code', client_id: clientId, redirect_uri: CALLBACK }),
      rawBody,
    );
    await property(
      fc.tuple(body, fc.constantFrom(...CONTENT_TYPES), authorizationHeader, fc.constantFrom('/token', '/oauth/token')),
      async ([payload, type, authorization, path]) => {
        const headers: Record<string, string> = { 'content-type': type, ...(authorization ? { authorization } : {}) };
        await expectClear(
          `/token ${type} ${payload.slice(0, 200)}`,
          await rawRequest(`${config.auth.issuer}${path}`, { method: 'POST', headers, body: payload }),
        );
      },
    );
  });

  it('POST /revoke: 200 (RFC 7009 §2.2: unknown tokens are not an error) or a clear 4xx', async () => {
    const { config } = h.stack;
    const body = fc.oneof(paramString(TOKEN_PARAMS, { client_id: clientId, token: accessToken }), rawBody);
    await property(
      fc.tuple(body, fc.constantFrom(...CONTENT_TYPES), authorizationHeader),
      async ([payload, type, authorization]) => {
        const headers: Record<string, string> = { 'content-type': type, ...(authorization ? { authorization } : {}) };
        await expectClear(
          `/revoke ${type} ${payload.slice(0, 200)}`,
          await rawRequest(`${config.auth.issuer}/revoke`, { method: 'POST', headers, body: payload }),
          [200],
        );
      },
    );
  });

  it('POST /register: 201 for acceptable metadata, otherwise a clear 4xx', async () => {
    const { config } = h.stack;
    const metadata = fc.record(
      {
        client_name: anyJson,
        redirect_uris: fc.oneof(
          fc.array(fc.oneof(nastyString, fc.constantFrom(CALLBACK, 'https://example.com/cb', 'com.example.app:/cb')), {
            maxLength: 5,
          }),
          anyJson,
        ),
        grant_types: fc.oneof(
          fc.subarray(['authorization_code', 'refresh_token', 'client_credentials', 'implicit']),
          anyJson,
        ),
        response_types: fc.oneof(fc.subarray(['code', 'token']), anyJson),
        token_endpoint_auth_method: fc.oneof(
          fc.constantFrom('none', 'client_secret_post', 'client_secret_basic', 'private_key_jwt'),
          anyJson,
        ),
        application_type: anyJson,
        scope: anyJson,
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      metadata.map((m) => JSON.stringify(m)),
      rawBody,
    );
    await property(
      fc.tuple(
        body,
        fc.constantFrom('application/json', 'application/json', ...CONTENT_TYPES),
        fc.constantFrom('/register', '/oauth/register'),
      ),
      async ([payload, type, path]) => {
        await expectClear(
          `/register ${type} ${payload.slice(0, 200)}`,
          await rawRequest(`${config.auth.issuer}${path}`, {
            method: 'POST',
            headers: { 'content-type': type },
            body: payload,
          }),
          [201],
        );
      },
    );
  });

  it('the aliases on the OpenAPI origin forward whatever arrives and answer as clearly', async () => {
    const { config } = h.stack;
    await property(
      fc.tuple(
        rawBody,
        fc.constantFrom(...CONTENT_TYPES),
        fc.constantFrom('/token', '/oauth/token', '/register', '/oauth/register'),
      ),
      async ([payload, type, path]) => {
        await expectClear(
          `${path} (alias) ${type} ${payload.slice(0, 200)}`,
          await rawRequest(`${config.openapi.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': type },
            body: payload,
          }),
          [201],
        );
      },
      Math.ceil(RUNS / 2),
    );
  });
});

describe('the sign-in and consent API under generated input', () => {
  it('POST /session and GET/POST /consent/:id: a clear 4xx for any id and body', async () => {
    const { config } = h.stack;
    const pending = await oauthOf(config).startAuthorization({ clientId, challenge: 'a'.repeat(43) });
    const id = fc.oneof(fc.constant(pending), nastyString.map(encode), fc.uuid().map(String));
    const consentBody = fc.oneof(
      fc
        .record(
          {
            workspaceId: fc.oneof(anyJson, fc.constantFrom(SEED_IDS.acme, SEED_IDS.globex)),
            decision: fc.oneof(anyJson, fc.constantFrom('approve', 'deny')),
          },
          { requiredKeys: [] },
        )
        .map((b) => JSON.stringify(b)),
      rawBody,
    );
    const request = fc.oneof(
      fc.tuple(fc.constant('session' as const), fc.constant(''), rawBody, fc.constantFrom(...CONTENT_TYPES)),
      fc.tuple(
        fc.constantFrom('consent-get' as const, 'consent-post' as const),
        id,
        consentBody,
        fc.constantFrom('application/json', ...CONTENT_TYPES),
      ),
    );
    await property(request, async ([kind, requestId, payload, type]) => {
      const headers = {
        'content-type': type,
        origin: config.web.url,
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
      };
      const answer =
        kind === 'session'
          ? await rawRequest(`${config.auth.issuer}/session`, { method: 'POST', headers, body: payload })
          : await rawRequest(
              `${config.auth.issuer}/consent/${requestId}`,
              kind === 'consent-get' ? { headers } : { method: 'POST', headers, body: payload },
            );
      // 200: the one real pending request, shown or decided (deny/approve with a valid workspace).
      await expectClear(`${kind} ${requestId} ${type} ${payload.slice(0, 200)}`, answer, [200]);
    });
  });
});

describe('the MCP endpoint under generated input', () => {
  it('POST /mcp: malformed JSON-RPC, batches, wrong content types and accepts get a JSON-RPC answer or a clear 4xx', async () => {
    const { config } = h.stack;
    const params = fc.oneof(
      anyJson,
      fc.record(
        {
          name: fc.oneof(fc.constantFrom(...toolNames), nastyString),
          arguments: fc.oneof(
            anyJson,
            fc.record({ pathParams: anyJson, query: anyJson, body: anyJson }, { requiredKeys: [] }),
          ),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          protocolVersion: fc.oneof(nastyString, fc.constantFrom('2025-06-18', '2025-03-26')),
          capabilities: anyJson,
          clientInfo: anyJson,
        },
        { requiredKeys: [] },
      ),
    );
    const message = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record(
          {
            jsonrpc: fc.oneof(fc.constant('2.0'), anyJson),
            // A small pool too, so that a batch's requests share ids often.
            id: fc.oneof(
              fc.integer({ min: 0, max: 3 }),
              fc.integer(),
              nastyString,
              fc.constant(null),
              fc.double(),
              anyJson,
            ),
            method: fc.oneof(
              fc.constantFrom(
                'initialize',
                'tools/list',
                'tools/call',
                'ping',
                'notifications/initialized',
                'notifications/cancelled',
                'resources/list',
                'prompts/get',
                'logging/setLevel',
                'completion/complete',
              ),
              nastyString,
            ),
            params,
          },
          { requiredKeys: ['jsonrpc', 'method'] },
        ),
      },
      { weight: 1, arbitrary: anyJson },
    );
    const body = fc.oneof(
      { weight: 3, arbitrary: message.map((m) => JSON.stringify(m)) },
      { weight: 2, arbitrary: fc.array(message, { maxLength: 40 }).map((batch) => JSON.stringify(batch)) },
      { weight: 1, arbitrary: rawBody },
    );
    const accept = fc.constantFrom(
      MCP_HEADERS.accept,
      MCP_HEADERS.accept,
      'application/json',
      'text/event-stream',
      '*/*',
      '',
    );
    const type = fc.constantFrom('application/json', 'application/json', ...CONTENT_TYPES);
    const version = fc.constantFrom(undefined, '2025-06-18', '2025-03-26', '1999-01-01', '');
    await property(fc.tuple(body, accept, type, version), async ([payload, acceptHeader, contentType, protocol]) => {
      const headers: Record<string, string> = {
        'content-type': contentType,
        accept: acceptHeader,
        authorization: `Bearer ${accessToken}`,
        ...(protocol === undefined ? {} : { 'mcp-protocol-version': protocol }),
      };
      const answer = await rawRequest(config.openapi.mcpUrl, { method: 'POST', headers, body: payload });
      const label = `/mcp ${contentType} accept=${acceptHeader} ${payload.slice(0, 300)}`;
      if (answer.status === 202) return;
      if (answer.status === 200) {
        const replies = ([] as unknown[]).concat(JSON.parse(answer.text));
        const malformed = replies.find(
          (r) =>
            typeof r !== 'object' ||
            r === null ||
            (r as { jsonrpc?: unknown }).jsonrpc !== '2.0' ||
            !('result' in r || 'error' in r),
        );
        if (malformed !== undefined) throw new Error(`${label}: not a JSON-RPC response: ${answer.text.slice(0, 300)}`);
        return;
      }
      await expectClear(label, answer);
    });
  });

  it('POST /mcp: a batch of well-formed messages gets one answer per request, or a clear 4xx (ids that collide, cancellations)', async () => {
    const { config } = h.stack;
    const id = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', '0'));
    const request = fc.record({
      jsonrpc: fc.constant('2.0'),
      id,
      method: fc.constantFrom('tools/list', 'tools/call', 'ping', 'resources/list'),
      params: fc.oneof(fc.constant({}), fc.record({ name: fc.constantFrom(...toolNames), arguments: fc.constant({}) })),
    });
    const notification = fc.oneof(
      fc.record({
        jsonrpc: fc.constant('2.0'),
        method: fc.constant('notifications/cancelled'),
        params: fc.record({ requestId: id, reason: fc.constant('generated') }),
      }),
      fc.constant({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    );
    const message = fc.oneof({ weight: 3, arbitrary: request }, { weight: 1, arbitrary: notification });
    await property(fc.array(message, { minLength: 1, maxLength: 6 }), async (batch) => {
      const payload = JSON.stringify(batch);
      const answer = await rawRequest(config.openapi.mcpUrl, {
        method: 'POST',
        headers: { ...MCP_HEADERS, authorization: `Bearer ${accessToken}` },
        body: payload,
        timeoutMs: 5_000,
      });
      const ids = batch.flatMap((sent) => ('id' in sent ? [sent.id] : []));
      if (answer.status === 202 && ids.length === 0) return;
      if (answer.status !== 200) return expectClear(`/mcp ${payload}`, answer);
      const replies = ([] as { id: unknown }[]).concat(JSON.parse(answer.text));
      expect(
        replies.map((reply) => reply.id),
        payload,
      ).toEqual(ids);
    });
  });

  it('POST /mcp: a bad or absent bearer token is a 401 with the challenge, whatever the JSON-RPC body', async () => {
    const { config } = h.stack;
    const authorization = fc.oneof(
      fc.constant(undefined),
      nastyString.map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, '')}`),
      nastyString.map((s) => s.replace(/[^\x20-\x7e]/g, '')),
    );
    await property(
      // Plain JSON: a body with prototype keys is refused (400) before the token is looked at, which is fine.
      fc.tuple(
        authorization,
        fc
          .jsonValue({ maxDepth: 3 })
          .map((value) => JSON.stringify(value) ?? 'null')
          .filter((json) => !/__proto__|constructor/.test(json)),
      ),
      async ([auth, payload]) => {
        const headers: Record<string, string> = {
          ...MCP_HEADERS,
          ...(auth === undefined ? {} : { authorization: auth }),
        };
        const answer = await rawRequest(config.openapi.mcpUrl, { method: 'POST', headers, body: payload });
        if (answer.status !== 401 || !String(answer.headers['www-authenticate']).includes('resource_metadata='))
          throw new Error(`${auth}: ${answer.status} ${answer.text.slice(0, 200)}`);
        await expectClear(`/mcp with ${auth}`, answer);
      },
      Math.ceil(RUNS / 2),
    );
  });
});

describe('MCP path parameters (RFC 3986 §3.3 dot-segments)', () => {
  // Seen in review: add_contacts_to_list with listId ".." ran POST /v1/contacts. With get_campaign,
  // campaignId "." would run list_campaigns (GET /v1/campaigns), a read the same token may make.
  it("`..`, `.`, `%2e%2e`, `a/b` and `../campaigns` in a path parameter never run another operation than the tool's", async () => {
    const { config } = h.stack;
    const token = (await oauthOf(config).authorizeAndRedeem(session, { scope: 'CAMPAIGNS_READ' })).access_token;
    const getCampaign = async (campaignId: string) => {
      const result = await callTool(config, token, 'get_campaign', { pathParams: { campaignId } });
      // Refused before any route ("pathParams.campaignId may not be..."), or refused by get_campaign's
      // own route (not a uuid); another operation would have answered with data, or not named it.
      expect(result.isError, `${JSON.stringify(campaignId)}: ${result.content[0]?.text}`).toBe(true);
      expect(result.content[0]?.text, JSON.stringify(campaignId)).toContain('campaignId');
    };
    for (const campaignId of ['..', '.', '%2e%2e', '%2E.', 'a/b', '../campaigns', '..%2fcampaigns', './'])
      await getCampaign(campaignId);
    const pieces = fc.constantFrom('.', '..', '%2e', '%2E', '/', '%2f', '\\', 'campaigns', 'a');
    // At most 100 runs: get_campaign takes 120 calls a minute per connection.
    await property(
      fc.array(pieces, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')),
      getCampaign,
      Math.min(100, RUNS),
    );
  });
});

describe('the REST API under generated input', () => {
  it('every /v1 operation: a success or a clear 4xx for generated path parameters, queries and bodies', async () => {
    const { config } = h.stack;
    const pathValue = fc.oneof(
      fc.constantFrom(demoId('acme', 4, 1), demoId('acme', 5, 0), demoId('acme', 6, 0), demoId('globex', 4, 0)),
      nastyString.map(encode),
      fc.uuid().map(String),
    );
    const request = fc.tuple(
      fc.constantFrom(...operations),
      fc.array(pathValue, { minLength: 3, maxLength: 3 }),
      paramString(['page', 'pageSize', 'search', 'archived', 'senderIdentityId', 'status', 'sort']),
      fc.oneof(
        fc
          .dictionary(
            fc.constantFrom(
              'contactIds',
              'filters',
              'name',
              'steps',
              'message',
              'type',
              'requestId',
              'page',
              'pageSize',
              'firstName',
              'email',
              'domain',
              'status',
              'action',
              'senderIdentityId',
              'contactId',
            ),
            anyJson,
          )
          .map((b) => JSON.stringify(b)),
        rawBody,
      ),
      fc.constantFrom('application/json', 'application/json', 'application/json', ...CONTENT_TYPES),
      fc.nat(),
    );
    await property(
      request,
      async ([op, values, query, payload, type, keyIndex]) => {
        let i = 0;
        const path = op.path.replace(/\{[^}]+\}/g, () => values[i++] ?? 'x');
        const headers: Record<string, string> = { 'x-api-key': apiKeys[keyIndex % apiKeys.length] as string };
        const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
        if (hasBody) headers['content-type'] = type;
        const answer = await rawRequest(`${config.openapi.url}${path}?${query}`, {
          method: op.method,
          headers,
          ...(hasBody ? { body: payload } : {}),
        });
        await expectClear(
          `${op.method} ${path}?${query} ${hasBody ? `${type} ${payload.slice(0, 200)}` : ''}`,
          answer,
          [200, 201, 202],
        );
      },
      RUNS * 2,
    );
  });
});

describe('huge bodies', () => {
  it('a body past the limit is a 413 with a clear error on every endpoint, and the process lives on', async () => {
    const { config } = h.stack;
    const resets: string[] = [];
    const targets: { url: string; type: string; headers?: Record<string, string> }[] = [
      { url: `${config.auth.issuer}/token`, type: 'application/x-www-form-urlencoded' },
      { url: `${config.auth.issuer}/register`, type: 'application/json' },
      { url: `${config.auth.issuer}/revoke`, type: 'application/x-www-form-urlencoded' },
      {
        url: config.openapi.mcpUrl,
        type: 'application/json',
        headers: { accept: MCP_HEADERS.accept, authorization: `Bearer ${accessToken}` },
      },
      {
        url: `${config.openapi.url}/v1/contacts/search`,
        type: 'application/json',
        headers: { 'x-api-key': apiKeys[0] as string },
      },
      { url: `${config.openapi.url}/token`, type: 'application/x-www-form-urlencoded' },
    ];
    await property(
      fc.tuple(fc.constantFrom(...targets), fc.constantFrom(1.1, 3, 12), fc.constantFrom('json', 'form', 'bytes')),
      async ([target, megabytes, shape]) => {
        const size = Math.floor(megabytes * 1024 * 1024);
        const body =
          shape === 'json'
            ? `{"a":"${'x'.repeat(size)}"}`
            : shape === 'form'
              ? `a=${'x'.repeat(size)}`
              : Buffer.alloc(size, 0xff);
        let answer: RawResponse;
        try {
          answer = await rawRequest(target.url, {
            method: 'POST',
            headers: { 'content-type': target.type, ...target.headers },
            body,
            timeoutMs: 30_000,
          });
        } catch (error) {
          // A server that closes with the rest of the body unread gets the connection reset, and the
          // client, still sending, never sees the 413.
          resets.push(`${target.url} ${megabytes} MB ${shape}: ${(error as Error).message}`);
          return;
        }
        if (answer.status !== 413)
          throw new Error(`${target.url} ${megabytes} MB: ${answer.status} ${answer.text.slice(0, 200)}`);
        await expectClear(`${target.url} ${megabytes} MB`, answer);
      },
      24,
    );
    expect(resets).toEqual([]);
  });
});

it('the services are still ready after all of it', async () => {
  await expectAlive(h.stack);
  expect(h.stack.apps.every((app) => app.child.exitCode === null)).toBe(true);
});
