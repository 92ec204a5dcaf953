import { useConsole } from './console-context.tsx';
import { type Polled, usePoll } from './use-poll.ts';

/**
 * GET `path` under the workspace (`/members`, `/attempts?outcome=denied`) while the page is shown,
 * again every `intervalMs` (0: once). The workspace and the path are the key: another filter in the
 * query starts over at loading. A failed refresh keeps the last answer and reports the error.
 */
export function useConsoleData<T>(path: string, intervalMs = 0): Polled<T> {
  const { read, workspace } = useConsole();
  return usePoll(() => read<T>(path), `${workspace.id} ${path}`, intervalMs);
}
