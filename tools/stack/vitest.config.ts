import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file starts whole stacks; two at once is all two cores take.
    fileParallelism: false,
  },
});
