import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from './format.ts';

export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  /** Loads again now (after a change the page made). */
  reload: () => Promise<void>;
}

/**
 * Loads `load()` at once and then every `intervalMs` (0: once), while the page is shown. A failed
 * refresh keeps the last data and reports the error; `key` changes (workspace, filters) start over.
 */
export function usePoll<T>(load: () => Promise<T>, key: string, intervalMs = 0): Polled<T> {
  const [state, setState] = useState<{ key: string; data?: T; error?: string }>({ key });
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    try {
      const data = await loadRef.current();
      setState({ key, data });
    } catch (e) {
      setState((previous) => ({ key, data: previous.key === key ? previous.data : undefined, error: errorText(e) }));
    }
  }, [key]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await reload();
      if (!stopped && intervalMs > 0) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [reload, intervalMs]);

  const current = state.key === key ? state : { data: undefined, error: undefined };
  return { data: current.data, error: current.error, reload };
}
