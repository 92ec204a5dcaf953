import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One PostgreSQL for the run, with a migrated, seeded template each file's stack clones (stack-fixture.ts).
    globalSetup: ['@enginy/db/testing/global-setup'],
    // One module graph for all files (isolate: false), not a fresh import of everything per file:
    // see apps/openapi/vitest.config.ts.
    isolate: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Each file starts a whole stack and a browser; one at a time is all two cores take.
    fileParallelism: false,
  },
});
