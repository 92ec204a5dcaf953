import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 180_000,
    // Each file starts a whole stack (the fault files kill parts of theirs): one at a time is all two cores take.
    fileParallelism: false,
  },
});
