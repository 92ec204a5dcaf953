import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@enginy/db/testing/global-setup'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
