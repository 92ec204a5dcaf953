import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One module graph for all files (isolate: false), not a fresh import of everything per file:
    // see apps/openapi/vitest.config.ts.
    isolate: false,
  },
});
