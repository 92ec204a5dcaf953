import { defineConfig } from 'vitest/config';

// The web app's unit tests (pure helpers of the pages), without vite.config.ts: that one builds the
// app and proxies the services, and loads the stack's config, which unit tests do not need.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'] },
});
