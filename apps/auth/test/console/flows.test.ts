import { randomUUID } from 'node:crypto';
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { switchAllLabOff, switchLabOn } from '@enginy/db/queries/failure-lab';
import { recordFlowStep } from '@enginy/db/queries/flow-steps';
import { pkcePair } from '@enginy/testing/oauth-client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredJob } from '../../src/jobs/purge-expired.ts';
import { ACME, type Console, GLOBEX, startConsole } from './harness.ts';

let c: Console;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());

type Step = {
  step: string;
  sent: Record<string, unknown>;
  status: number;
  error: string | null;
  fix: string | null;
  scenarios: string[];
};
type Flow = {
  id: string;
  client: { id: string; name: string };
  outcome: string;
  stoppedAt: { step: string; reason: string; message: string; fix: string | null } | null;
  steps: Step[];
};

async function flows(workspaceId: string, query = ''): Promise<Flow[]> {
  const response = await c.call('GET', `/console/workspaces/${workspaceId}/flows${query}`, c.admin);
  expect(response.statusCode).toBe(200);
  return response.json().flows;
}

const flowOf = async (clientId: string, workspaceId: string = ACME) =>
  (await flows(workspaceId, `?clientId=${encodeURIComponent(clientId)}`))[0] as Flow;

describe('flows', () => {
  it('shows one connection from discovery to its revocation, in order, without a code, token or verifier', async () => {
    const ua = { 'user-agent': `flow-test/${randomUUID()}` };
    const discovery = await c.app.inject({
      method: 'GET',
      url: '/.well-known/oauth-authorization-server',
      headers: ua,
    });
    expect(discovery.statusCode).toBe(200);
    const registered = await c.app.inject({
      method: 'POST',
      url: '/register',
      headers: ua,
      payload: { client_name: 'Flow client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' },
    });
    expect(registered.statusCode).toBe(201);
    const clientId = registered.json().client_id;
    const pkce = pkcePair();
    const requestId = await c.oauth.startAuthorization({
      clientId,
      challenge: pkce.challenge,
      scope: 'WORKSPACE_READ',
    });
    expect((await c.oauth.consentView(c.admin, requestId, ACME)).decision.outcome).toBe('allowed');
    const code = (await c.oauth.approve(c.admin, requestId, ACME)).searchParams.get('code') as string;
    const tokens = await c.oauth.redeem(clientId, code, pkce.verifier);
    expect((await flowOf(clientId)).outcome).toBe('connected');
    const refreshed = await c.oauth.refresh(clientId, tokens.refresh_token);
    const stray = await c.oauth.token({}); // a request naming no client or grant joins no flow
    expect(stray.statusCode).toBe(401);
    const revoke = await c.app.inject({
      method: 'POST',
      url: '/revoke',
      payload: `token=${refreshed.refresh_token}&client_id=${encodeURIComponent(clientId)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(revoke.statusCode).toBe(200);

    const flow = await flowOf(clientId);
    expect(flow).toMatchObject({ id: requestId, client: { id: clientId, name: 'Flow client' }, outcome: 'revoked' });
    expect(flow.steps.map((s) => s.step)).toEqual([
      'discovery',
      'register',
      'authorize',
      'sign-in',
      'consent',
      'token',
      'refresh',
      'revoke',
    ]);
    const [found, register, authorize, , consent, token, refresh] = flow.steps as Step[];
    expect(found).toMatchObject({ status: 200, userAgent: ua['user-agent'] });
    expect(register).toMatchObject({
      status: 201,
      sent: { client_name: 'Flow client', redirect_uris: [REDIRECT_URI] },
    });
    expect(authorize).toMatchObject({
      status: 302,
      error: null,
      sent: {
        client_id: clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'WORKSPACE_READ',
        resource: c.config.openapi.mcpUrl,
        code_challenge_method: 'S256',
        response_type: 'code',
      },
    });
    expect(consent).toMatchObject({ status: 200, error: null, sent: { decision: 'approve' } });
    expect(token).toMatchObject({ status: 200, sent: { grant_type: 'authorization_code', client_id: clientId } });
    expect(refresh).toMatchObject({ status: 200, sent: { grant_type: 'refresh_token' } });
    for (const step of flow.steps) expect(step.scenarios).toEqual([]);

    // Nothing secret travels: not the code, a token, the verifier, nor the challenge.
    const json = JSON.stringify(await flows(ACME));
    for (const secret of [
      code,
      tokens.access_token,
      tokens.refresh_token,
      refreshed.access_token,
      refreshed.refresh_token,
      pkce.verifier,
      pkce.challenge,
    ])
      expect(json).not.toContain(secret);
  });

  it('shows where a flow stopped and the fix: a redirect URI the workspace does not allow', async () => {
    const sent = 'http://127.0.0.1:3118/callback';
    const clientId = (await c.oauth.register({ client_name: 'Stopped client', redirect_uris: [REDIRECT_URI, sent] }))
      .client_id;
    const requestId = await c.oauth.startAuthorization({
      clientId,
      redirectUri: sent,
      challenge: pkcePair().challenge,
    });
    const view = await c.oauth.consentView(c.admin, requestId, ACME);
    expect(view.decision.outcome).toBe('denied');

    const flow = await flowOf(clientId);
    expect(flow.outcome).toBe('stopped');
    expect(flow.steps.map((s) => s.step)).toEqual(['register', 'authorize', 'sign-in', 'consent']);
    expect(flow.stoppedAt).toEqual({
      step: 'consent',
      reason: 'redirect_uri_not_allowed',
      message: 'redirect_uri is not allowed',
      fix: view.decision.outcome === 'denied' ? view.decision.hint : null,
    });
    expect(flow.stoppedAt?.fix).toContain(sent);
  });

  it('stops a flow at the token exchange with the reason the attempts list gives', async () => {
    const clientId = (await c.oauth.register({ client_name: 'PKCE client' })).client_id;
    const { code } = await c.oauth.approvedCode(c.admin, ACME, { clientId });
    const answer = await c.oauth.token({
      grant_type: 'authorization_code',
      code,
      code_verifier: pkcePair().verifier,
      redirect_uri: REDIRECT_URI,
      client_id: clientId,
    });
    expect(answer.statusCode).toBe(400);
    const flow = await flowOf(clientId);
    expect(flow.steps.map((s) => s.step)).toEqual(['register', 'authorize', 'consent', 'token']);
    expect(flow.stoppedAt).toMatchObject({
      step: 'token',
      reason: 'token_exchange_failed',
      message: 'The token exchange failed after the consent screen (details say why)',
      fix: 'PKCE verification failed: code_verifier does not match code_challenge',
    });
    expect(JSON.stringify(flow)).not.toContain(code);
  });

  it("keeps each workspace's flows its own, and filters by client and outcome", async () => {
    const clientId = (await c.oauth.register({ client_name: 'Globex client' })).client_id;
    const requestId = await c.oauth.startAuthorization({ clientId, challenge: pkcePair().challenge });
    // Viewed for acme first, then approved for globex: the flow is globex's, not acme's.
    await c.oauth.consentView(c.admin, requestId, ACME);
    await c.oauth.approve(c.admin, requestId, GLOBEX);
    expect((await flowOf(clientId, GLOBEX)).id).toBe(requestId);
    expect(await flows(ACME, `?clientId=${encodeURIComponent(clientId)}`)).toEqual([]);
    expect((await flows(ACME)).map((f) => f.id)).not.toContain(requestId);

    // /authorize refused before sign-in for a client nobody pre-registered: in nobody's list.
    const stranger = await c.app.inject({
      method: 'GET',
      url: `/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent('http://localhost:9/cb')}&code_challenge=${pkcePair().challenge}&code_challenge_method=S256`,
    });
    expect(stranger.statusCode).toBe(400);
    expect((await flows(GLOBEX, `?clientId=${encodeURIComponent(clientId)}`)).map((f) => f.id)).toEqual([requestId]);

    // A member reads the flows; a workspace the caller is not in, or no workspace at all: 404.
    expect((await c.call('GET', `/console/workspaces/${ACME}/flows`, c.member)).statusCode).toBe(200);
    expect((await c.call('GET', `/console/workspaces/${GLOBEX}/flows`, c.member)).statusCode).toBe(404);
    expect((await c.call('GET', `/console/workspaces/${randomUUID()}/flows`, c.member)).statusCode).toBe(404);
    expect((await c.call('GET', '/console/workspaces/not-an-id/flows', c.member)).statusCode).toBe(404);
    expect((await c.call('GET', `/console/workspaces/${ACME}/flows`, undefined)).statusCode).toBe(401);

    const stopped = await flows(ACME, '?outcome=stopped');
    expect(stopped.length).toBeGreaterThan(0);
    for (const flow of stopped) expect(flow.outcome).toBe('stopped');
    expect((await flows(ACME, '?outcome=revoked')).every((f) => f.outcome === 'revoked')).toBe(true);
    expect(await flows(ACME, '?limit=1')).toHaveLength(1);
    const all = await flows(ACME);
    const times = all.map((f) => Date.parse((f as unknown as { startedAt: string }).startedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const bad = await c.call('GET', `/console/workspaces/${ACME}/flows?outcome=maybe`, c.member);
    expect(bad.statusCode).toBe(422);
    expect((await c.call('GET', `/console/workspaces/${ACME}/flows?limit=0`, c.member)).statusCode).toBe(422);
  });

  it("takes no one's unauthenticated requests into a flow, except a refusal of the workspace's own pre-registered client", async () => {
    const clientId = (await c.oauth.register({ client_name: 'Victim client' })).client_id;
    await c.oauth.approvedCode(c.admin, ACME, { clientId });
    // Anyone may name the client at /authorize and /token: nothing of it reaches a workspace's flows.
    await c.app.inject({
      method: 'GET',
      url: `/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent('https://evil.example/fix')}`,
    });
    await c.oauth.token({
      grant_type: 'authorization_code',
      code: 'evil.example code',
      client_id: clientId,
      redirect_uri: 'https://evil.example/fix',
    });
    const listed = JSON.stringify([...(await flows(ACME)), ...(await flows(GLOBEX))]);
    expect(listed).toContain(clientId);
    expect(listed).not.toContain('evil.example');

    const own = (
      await c.call('POST', `/console/workspaces/${ACME}/clients`, c.admin, {
        name: 'Acme CI',
        redirectUris: [REDIRECT_URI],
      })
    ).json();
    const refused = await c.app.inject({
      method: 'GET',
      url: `/authorize?response_type=code&client_id=${own.clientId}&redirect_uri=${encodeURIComponent('http://localhost:9999/cb')}`,
      headers: { accept: 'text/html' },
    });
    expect(refused.statusCode).toBe(400);
    const flow = await flowOf(own.clientId);
    expect(flow).toMatchObject({ client: { id: own.clientId, name: 'Acme CI' }, outcome: 'stopped' });
    expect(flow.steps.map((s) => s.step)).toEqual(['authorize']);
    expect(flow.stoppedAt).toMatchObject({
      step: 'authorize',
      reason: 'redirect_uri_not_registered',
      message: 'redirect_uri is not registered for this client',
    });
    expect(await flows(GLOBEX, `?clientId=${encodeURIComponent(own.clientId)}`)).toEqual([]);
  });

  it('bounds what a caller sends, and keeps steps 90 days', async () => {
    const long = 'x'.repeat(5_000);
    const registered = await c.app.inject({
      method: 'POST',
      url: '/register',
      payload: { client_name: 'Long client', redirect_uris: [REDIRECT_URI], scope: long },
    });
    expect(registered.statusCode).toBe(201);
    const step = await c.t.db
      .selectFrom('flow_steps')
      .select('sent')
      .where('client_id', '=', registered.json().client_id)
      .executeTakeFirstOrThrow();
    expect(String(step.sent.scope).length).toBeLessThan(600);
    expect(step.sent.scope).toContain('(4488 more characters)');

    const requestId = randomUUID();
    await recordFlowStep(c.t.db, { step: 'sign-in', requestId, workspaceId: ACME, sent: {}, status: 200 });
    const old = () => c.t.db.selectFrom('flow_steps').select('id').where('request_id', '=', requestId).execute();
    await c.t.db
      .updateTable('flow_steps')
      .set({ at: sql`now() - interval '91 days'` } as never)
      .where('request_id', '=', requestId)
      .execute();
    expect(await old()).toHaveLength(1);
    // AUDIT_RETENTION_DAYS=365 keeps it; the default 90 days does not.
    await purgeExpiredJob(c.t.db, c.app.log, { ...c.config, audit: { retentionDays: 365 } }).runOnce();
    expect(await old()).toHaveLength(1);
    await purgeExpiredJob(c.t.db, c.app.log, c.config).runOnce();
    expect(await old()).toEqual([]);
    expect((await flows(ACME)).length).toBeGreaterThan(0); // the recent ones stay
  });

  it('names the failure-lab scenarios each step ran under: global ones everywhere, a workspace one where the step names that workspace', async () => {
    await switchLabOn(c.t.db, {
      scenario: 'refresh-no-grace',
      workspaceId: null,
      options: {},
      remaining: null,
      by: 'test',
    });
    await switchLabOn(c.t.db, {
      scenario: 'expire-access',
      workspaceId: ACME,
      options: { seconds: 600 },
      remaining: null,
      by: 'test',
    });
    try {
      const registered = await c.app.inject({
        method: 'POST',
        url: '/register',
        payload: { client_name: 'Lab flow client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' },
      });
      const clientId = registered.json().client_id;
      const pkce = pkcePair();
      const requestId = await c.oauth.startAuthorization({
        clientId,
        challenge: pkce.challenge,
        scope: 'WORKSPACE_READ',
      });
      const code = (await c.oauth.approve(c.admin, requestId, ACME)).searchParams.get('code') as string;
      await c.oauth.redeem(clientId, code, pkce.verifier);
      const steps = (await flowOf(clientId)).steps;
      const of = (name: string) => steps.find((step) => step.step === name)?.scenarios;
      expect(of('register')).toEqual(['refresh-no-grace']); // before sign-in: no workspace, global only
      expect(of('token')?.sort()).toEqual(['expire-access', 'refresh-no-grace']);
    } finally {
      await switchAllLabOff(c.t.db);
    }
  });
});
