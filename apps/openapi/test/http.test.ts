import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.ts';
import { ACME } from './helpers/seed-ids.ts';

// Over a real socket, with real HTTP clients: what inject cannot show (concurrent connections,
// headers as a client receives them).
let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});
afterAll(() => h.close());

describe('over HTTP', () => {
  it('ten concurrent retries of one send create one message and all get the same answer', async () => {
    const key = await h.key(['MESSAGING_WRITE']);
    const body = JSON.stringify({
      contactId: ACME.contact(20),
      senderIdentityId: ACME.identity(2),
      type: 'LINKEDIN',
      message: 'Hello!',
      requestId: 'http-concurrent-1',
    });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${base}/v1/inbox/messages`, {
          method: 'POST',
          headers: { 'x-api-key': key, 'content-type': 'application/json' },
          body,
        }),
      ),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    const stored = await h.t.db
      .selectFrom('messages')
      .select('id')
      .where('request_id', '=', 'http-concurrent-1')
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('a 429 carries Retry-After and the X-RateLimit headers', async () => {
    const key = await h.key(['ACTIONS_WRITE']);
    // POST /v1/actions allows 20 a minute; these are valid requests that each start an action.
    const send = () =>
      fetch(`${base}/v1/actions`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'VERIFY_LEAD_EMAIL', contactIds: [ACME.contact(30)] }),
      });
    for (let i = 0; i < 20; i++) expect((await send()).status).toBe(202);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('20');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 'error', code: 'rate_limited' });
  });

  it('a body in another media type is a 415, and a broken JSON body a 400', async () => {
    const key = await h.key(['LISTS_WRITE']);
    const xml = await fetch(`${base}/v1/lists`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/xml' },
      body: '<list/>',
    });
    expect(xml.status).toBe(415);
    expect(((await xml.json()) as { code: string }).code).toBe('unsupported_media_type');
    const text = await fetch(`${base}/v1/lists`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'text/plain' },
      body: 'name',
    });
    expect(text.status).toBe(415);
    const broken = await fetch(`${base}/v1/lists`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { code: string }).code).toBe('invalid_json');
  });
});
