import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.ts';

// The router refuses these before any route runs; the answer must still be the API's error envelope.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('a path the router cannot decode', () => {
  it.each([
    ['a lone surrogate', '/v1/lists/%ED%A0%80/contacts'],
    ['an overlong encoding', '/v1/contacts/%C0%AF'],
    ['a truncated escape', '/v1/contacts/%E2%82'],
  ])('%s is a 400 in the error envelope', async (_name, url) => {
    const key = await h.key(['ALL']);
    const response = await h.call('GET', url, { key });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      status: 'error',
      code: 'bad_request',
      message: expect.stringContaining('is not a valid url component'),
    });
  });
});
