import { describe, expect, it } from 'vitest';
import { maskUrl } from '../src/logger.ts';

describe('maskUrl', () => {
  it.each([
    ['/token', '/token'],
    ['/authorize?client_id=abc&state=xyz', '/authorize?client_id=abc&state=xyz'],
    ['/cb?code=secret-code&state=s', '/cb?code=***&state=s'],
    ['/mcp?access_token=eat_123', '/mcp?access_token=***'],
    [
      '/x?refresh_token=a&client_secret=b&password=c&api_key=d',
      '/x?refresh_token=***&client_secret=***&password=***&api_key=***',
    ],
  ])('%s → %s', (url, expected) => {
    expect(decodeURIComponent(maskUrl(url))).toBe(expected);
  });
});
