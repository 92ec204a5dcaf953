import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Each file starts a whole stack and a browser; one at a time is all two cores take.
    fileParallelism: false,
  },
});
