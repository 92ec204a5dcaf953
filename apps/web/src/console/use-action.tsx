import { type ReactNode, useState } from 'react';
import { errorText } from './format.ts';
import { InlineError } from './ui.tsx';

export interface Action {
  busy: boolean;
  /**
   * Says `doing`, runs `action` and says what it returns; then `after` (a reload of the page's list).
   * A failure says why instead, through `failed` ("Not revoked: …").
   */
  run: (
    doing: string,
    action: () => Promise<string>,
    options?: { failed?: (reason: string) => string; after?: () => Promise<void> },
  ) => Promise<void>;
  /** Forgets what the last action said. */
  clear: () => void;
  /** What the last action said: in a live region, and its failure as an alert. */
  report: ReactNode;
  /** Says why a change was not even tried (a form the page refuses before sending). */
  fail: (message: string) => void;
}

/** A page's changes (create, revoke, remove): one at a time, each said in words as it goes. */
export function useAction(): Action {
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const run: Action['run'] = async (doing, action, { failed = (reason: string) => reason, after } = {}) => {
    setBusy(true);
    setError(undefined);
    setStatus(doing);
    try {
      setStatus(await action());
      await after?.();
    } catch (e) {
      setStatus('');
      setError(failed(errorText(e)));
    } finally {
      setBusy(false);
    }
  };

  const clear = () => {
    setStatus('');
    setError(undefined);
  };

  const report = (
    <>
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
      <InlineError message={error} />
    </>
  );
  return { busy, run, clear, fail: setError, report };
}
