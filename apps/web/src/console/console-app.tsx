import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, call, type Session } from '../api.ts';
import { SignInForm } from '../pages/sign-in-form.tsx';
import { Link, navigate, usePath } from '../router.tsx';
import { consoleContext, ConsoleProvider } from './console-context.tsx';
import { errorText } from './format.ts';
import { LabBanner } from './lab-banner.tsx';
import { ApiKeysPage } from './pages/api-keys-page.tsx';
import { AttemptsPage } from './pages/attempts-page.tsx';
import { ClientsPage } from './pages/clients-page.tsx';
import { ConnectPage } from './pages/connect-page.tsx';
import { ConnectionsPage } from './pages/connections-page.tsx';
import { MembersPage } from './pages/members-page.tsx';
import { LabPage } from './pages/lab-page.tsx';
import { FlowsPage } from './pages/flows-page.tsx';
import { PreviewPage } from './pages/preview-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';
import type { Workspace } from './types.ts';
import { InlineError, Loading } from './ui.tsx';

const PAGES: { path: string; title: string; render: () => ReactNode }[] = [
  { path: '/console/connect', title: 'Connect a client', render: () => <ConnectPage /> },
  { path: '/console/settings', title: 'MCP settings', render: () => <SettingsPage /> },
  { path: '/console/preview', title: 'Policy preview', render: () => <PreviewPage /> },
  { path: '/console/connections', title: 'Connections', render: () => <ConnectionsPage /> },
  { path: '/console/attempts', title: 'Authorization attempts', render: () => <AttemptsPage /> },
  { path: '/console/flows', title: 'Flows', render: () => <FlowsPage /> },
  { path: '/console/clients', title: 'OAuth clients', render: () => <ClientsPage /> },
  { path: '/console/api-keys', title: 'API keys', render: () => <ApiKeysPage /> },
  { path: '/console/members', title: 'Members', render: () => <MembersPage /> },
  { path: '/console/lab', title: 'Failure lab', render: () => <LabPage /> },
];

const WORKSPACE_KEY = 'enginy.console.workspace';

type State =
  | { kind: 'loading' }
  | { kind: 'sign-in' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; session: Session; workspaces: Workspace[] };

/** The console: sign-in when there is no session, then a left nav, a workspace switcher and the page. */
export function ConsoleApp({ path }: { path: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [workspaceId, setWorkspaceId] = useState<string | null>(() => window.localStorage.getItem(WORKSPACE_KEY));
  const page = PAGES.find((p) => p.path === path);
  // A link from elsewhere (the consent page) may name the workspace: ?workspace=<id> wins over the stored choice.
  const { search } = usePath();
  const linked = search.get('workspace');

  const load = useCallback(async () => {
    try {
      const session = await call<Session>('GET', '/session');
      const { workspaces } = await call<{ workspaces: Workspace[] }>('GET', '/console/workspaces');
      setState({ kind: 'ready', session, workspaces });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setState({ kind: 'sign-in' });
      else setState({ kind: 'failed', message: errorText(e) });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (page === undefined) navigate('/console/connect', { replace: true });
    else document.title = `${page.title} · Enginy console`;
  }, [page]);

  const workspace =
    state.kind === 'ready'
      ? (state.workspaces.find((w) => w.id === linked) ??
        state.workspaces.find((w) => w.id === workspaceId) ??
        state.workspaces[0])
      : undefined;

  // Remember a linked workspace as the choice, as if it had been picked in the switcher.
  useEffect(() => {
    if (workspace !== undefined && workspace.id === linked) {
      window.localStorage.setItem(WORKSPACE_KEY, workspace.id);
      setWorkspaceId(workspace.id);
    }
  }, [workspace, linked]);

  const signedOut = useCallback(() => setState({ kind: 'sign-in' }), []);
  const context = useMemo(
    () => (state.kind === 'ready' && workspace ? consoleContext(state.session, workspace, signedOut) : undefined),
    [state, workspace, signedOut],
  );

  if (state.kind !== 'ready') {
    return (
      <main className="page">
        {state.kind === 'loading' && <Loading what="the console" />}
        {state.kind === 'sign-in' && <SignInForm onSignedIn={() => void load()} />}
        {state.kind === 'failed' && <InlineError message={`The console could not load: ${state.message}`} />}
      </main>
    );
  }

  const signOut = async () => {
    try {
      await call('DELETE', '/session');
    } finally {
      setState({ kind: 'sign-in' });
    }
  };
  const choose = (id: string) => {
    window.localStorage.setItem(WORKSPACE_KEY, id);
    setWorkspaceId(id);
    // The switcher's choice wins from now on: drop a linked workspace from the address.
    if (linked !== null) {
      search.delete('workspace');
      navigate(`${path}${search.size > 0 ? `?${search}` : ''}`, { replace: true });
    }
  };

  return (
    <div className="console">
      <header className="topbar">
        <Link to="/" className="brand">
          Enginy console
        </Link>
        {state.workspaces.length > 0 && (
          <label className="switcher">
            Workspace
            <select value={workspace?.id} onChange={(e) => choose(e.target.value)}>
              {state.workspaces.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name} ({w.role})
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="who">
          Signed in as <strong>{state.session.user.email}</strong>
        </span>
        <button type="button" className="secondary small" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <div className="console-body">
        <nav aria-label="Console" className="sidenav">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <Link to={p.path} current={p.path === path}>
                  {p.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main className="console-main">
          {context === undefined ? (
            <InlineError message="You are not a member of any workspace." />
          ) : (
            page && (
              <ConsoleProvider value={context} key={context.workspace.id}>
                <LabBanner />
                {!context.isAdmin && (
                  <p className="notice" role="note">
                    You are a {context.workspace.role} of {context.workspace.name}: you can see everything here, only an
                    admin can change it.
                  </p>
                )}
                {page.render()}
              </ConsoleProvider>
            )
          )}
        </main>
      </div>
    </div>
  );
}
