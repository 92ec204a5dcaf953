import { describe, expect, it } from 'vitest';
import { readBrowserEnv } from '../src/env.ts';

describe('readBrowserEnv: the programs the browser step runs', () => {
  it.each([
    ['nothing set', {}, { systemBrowser: 'xdg-open', chromiumPath: '/usr/bin/chromium' }],
    [
      '$BROWSER and CHROMIUM_PATH set',
      { BROWSER: '/opt/open-url', CHROMIUM_PATH: '/opt/chromium/chrome' },
      { systemBrowser: '/opt/open-url', chromiumPath: '/opt/chromium/chrome' },
    ],
  ])('%s', (_case, env, expected) => {
    expect(readBrowserEnv(env)).toEqual(expected);
  });
});
