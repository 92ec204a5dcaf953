import type { TestStack } from '@enginy/stack/test-stack';
import { expect } from 'vitest';

/** Every app process is still running, and the two services answer /readyz with 200 at once. */
export async function expectAlive(stack: TestStack): Promise<void> {
  for (const app of stack.apps) expect(app.child.exitCode, `${app.name} exited: ${app.recent.join('\n')}`).toBeNull();
  for (const base of [stack.config.openapi.url, stack.config.auth.issuer]) {
    const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) });
    expect(ready.status, `${base}/readyz`).toBe(200);
  }
}
