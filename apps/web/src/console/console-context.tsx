import { createContext, useContext } from 'react';
import { ApiError, call, type Session } from '../api.ts';
import type { Workspace } from './types.ts';

/** What every console page knows: who is signed in, in which workspace, and how to call the API for it. */
export interface ConsoleContext {
  session: Session;
  workspace: Workspace;
  isAdmin: boolean;
  /** GET (or a read-only POST such as the preview) under /console/workspaces/:id. */
  read: <T>(path: string, body?: unknown) => Promise<T>;
  /** An admin's change: carries the session's CSRF token. */
  write: <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => Promise<T>;
}

const Context = createContext<ConsoleContext | undefined>(undefined);
export const ConsoleProvider = Context.Provider;

export function useConsole(): ConsoleContext {
  const value = useContext(Context);
  if (value === undefined) throw new Error('useConsole outside the console layout');
  return value;
}

/** `signedOut` runs when the session has ended (expired, or signed out in another tab): back to sign-in. */
export function consoleContext(session: Session, workspace: Workspace, signedOut: () => void): ConsoleContext {
  const base = `/console/workspaces/${encodeURIComponent(workspace.id)}`;
  const watch = async <T,>(request: Promise<T>): Promise<T> => {
    try {
      return await request;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signedOut();
      throw e;
    }
  };
  return {
    session,
    workspace,
    isAdmin: workspace.role === 'admin',
    read: (path, body) =>
      watch(call(body === undefined ? 'GET' : 'POST', `${base}${path}`, body === undefined ? {} : { body })),
    write: (method, path, body) => watch(call(method, `${base}${path}`, { body, csrfToken: session.csrfToken })),
  };
}
