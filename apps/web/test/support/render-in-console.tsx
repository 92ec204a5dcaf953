// A console page rendered as the console layout renders it: inside the context of a signed-in user
// in the seeded workspace, as its admin or as a plain member, calling the API through `fetch`.
import { render } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { ConsoleProvider, consoleContext } from '../../src/console/console-context.tsx';
import { ADMIN_SESSION, MEMBER_SESSION, WORKSPACE } from './fixtures.ts';

export function renderInConsole(page: ReactElement, { as = 'admin' }: { as?: 'admin' | 'member' } = {}) {
  const session = as === 'admin' ? ADMIN_SESSION : MEMBER_SESSION;
  const signedOut = vi.fn();
  const context = consoleContext(session, { ...WORKSPACE, role: as }, signedOut);
  const user = userEvent.setup();
  const view = render(<ConsoleProvider value={context}>{page}</ConsoleProvider>);
  return { ...view, user, signedOut };
}

/** The browser's confirm() answers these, in turn (happy-dom has no dialogs); the stub records each question. */
export function answerConfirmations(...answers: boolean[]) {
  const confirm = vi.fn((_question?: string) => answers.shift() ?? false);
  vi.stubGlobal('confirm', confirm);
  return confirm;
}
