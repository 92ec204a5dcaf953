// Every page test starts from an empty document and the real fetch: what one test rendered or stubbed
// never leaks into the next.
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
  window.history.replaceState(null, '', '/');
  window.localStorage.clear();
});
