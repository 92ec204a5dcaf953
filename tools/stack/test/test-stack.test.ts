import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../src/test-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

describe('the stack on free ports with an embedded PostgreSQL', () => {
  it('brings every app to ready', async () => {
    for (const url of [
      `${stack.config.openapi.url}/readyz`,
      `${stack.config.auth.issuer}/readyz`,
      stack.config.web.url,
    ]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
    }
  });

  it('serves the web app with both services behind its proxy', async () => {
    const html = await (await fetch(stack.config.web.url)).text();
    expect(html).toContain('<div id="root">');
    const openapi = await fetch(`${stack.config.web.url}/api/openapi/readyz`);
    expect(await openapi.json()).toMatchObject({ service: 'openapi', status: 'ready' });
    const auth = await fetch(`${stack.config.web.url}/api/auth/readyz`);
    expect(await auth.json()).toMatchObject({ service: 'auth', status: 'ready' });
  });
});
