// Every page test starts from an empty document and the real fetch: what one test rendered or stubbed
// never leaks into the next.
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// What /enginy-config.js sets before the app runs (server/runtime-config.ts).
window.enginy = { mcpUrl: 'http://localhost:3001/mcp' };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
  window.history.replaceState(null, '', '/');
  window.localStorage.clear();
});
