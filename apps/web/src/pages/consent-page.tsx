import { DecisionDetails } from '../decision-details.tsx';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, type ConsentAnswer, type ConsentView, call, type Session } from '../api.ts';
import { type ClientSource, clientSourceText } from '../client-source.ts';
import { ConsentScopes } from './consent-scopes.tsx';
import { ScopeNarrowing } from './scope-narrowing.tsx';
import { SignInForm } from './sign-in-form.tsx';

type State =
  | { kind: 'loading' }
  | { kind: 'sign-in' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; session: Session; view: ConsentView };

/**
 * The browser step of the OAuth flow: sign in, pick the workspace, then Approve or Deny. The
 * workspace checks run on the server (the same pure decision the console previews).
 */
export function ConsentPage({ requestId }: { requestId: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (workspaceId?: string) => {
      try {
        const session = await call<Session>('GET', '/session');
        const query = workspaceId === undefined ? '' : `?workspace=${encodeURIComponent(workspaceId)}`;
        const view = await call<ConsentView>('GET', `/consent/${encodeURIComponent(requestId)}${query}`);
        // A scope denial goes straight back to the client when there is no other workspace to pick.
        if (view.decision.outcome === 'denied' && view.decision.redirectTo && view.workspaces.length === 1) {
          window.location.assign(view.decision.redirectTo);
          return;
        }
        setState({ kind: 'ready', session, view });
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) setState({ kind: 'sign-in' });
        else setState({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    },
    [requestId],
  );

  useEffect(() => {
    void load();
  }, [load]);

  if (state.kind === 'loading') return <p>Loading…</p>;
  if (state.kind === 'sign-in') return <SignInForm onSignedIn={() => void load()} />;
  if (state.kind === 'failed') return <ErrorPanel message={state.message} />;

  const { view, session } = state;
  const decide = async (decision: 'approve' | 'deny') => {
    setBusy(true);
    try {
      const result = await call<ConsentAnswer>('POST', `/consent/${encodeURIComponent(requestId)}`, {
        body: { workspaceId: view.workspaceId, decision },
        csrfToken: session.csrfToken,
      });
      window.location.assign(result.redirectTo);
    } catch (e) {
      setState({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      setBusy(false);
    }
  };

  // Approve and Deny wait for the chosen workspace's decision: a click before it arrived would decide
  // for the workspace shown before, and the load would then find the request already used.
  const switchTo = async (workspaceId: string) => {
    setBusy(true);
    await load(workspaceId);
    setBusy(false);
  };

  const chooser =
    view.workspaces.length > 1 ? (
      <label>
        Workspace
        <select value={view.workspaceId} disabled={busy} onChange={(event) => void switchTo(event.target.value)}>
          {view.workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
    ) : (
      <p>
        Workspace: <strong>{view.workspaces[0]?.name}</strong>
      </p>
    );

  if (view.decision.outcome === 'denied') {
    const decision = view.decision;
    const workspace = view.workspaces.find((w) => w.id === view.workspaceId);
    return (
      <section className="card" aria-labelledby="error-heading">
        <h1 id="error-heading">Authorization error</h1>
        {chooser}
        <p role="alert" className="error">
          {decision.message}
        </p>
        <DecisionDetails details={decision.details} labels={DETAIL_LABELS} />
        {decision.hint && <p className="hint">{decision.hint}</p>}
        {view.request.clientSource && (
          <p>
            Client metadata document of <bdi>{view.request.clientName}</bdi>:{' '}
            <ClientSourceText source={view.request.clientSource} />
          </p>
        )}
        {decision.reason === 'scopes_not_allowed' && workspace && (
          <>
            <ScopeNarrowing request={view.request} details={decision.details} workspace={workspace} />
            <div className="actions">
              <button type="button" className="secondary" onClick={() => void load(view.workspaceId)}>
                Check again
              </button>
            </div>
          </>
        )}
        {decision.redirectTo ? (
          <a href={decision.redirectTo}>Return to the application</a>
        ) : (
          <p>
            Nothing was sent back to the application. A workspace admin can change the MCP settings; then start again.
          </p>
        )}
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="consent-heading">
      <h1 id="consent-heading">
        Allow <bdi>{view.request.clientName}</bdi> to use Enginy?
      </h1>
      <dl>
        <dt>Application</dt>
        <dd>
          <bdi>{view.request.clientName}</bdi>
        </dd>
        <dt>Client ID</dt>
        <dd>
          <code>{view.request.clientId}</code>
        </dd>
        <dt>Redirect URI</dt>
        <dd>
          <code>{view.request.redirectUri}</code>
        </dd>
        {view.request.clientSource && (
          <>
            <dt>Client metadata document</dt>
            <dd>
              <ClientSourceText source={view.request.clientSource} />
            </dd>
          </>
        )}
      </dl>
      {chooser}
      <ConsentScopes granting={view.decision.scopes} alreadyGranted={view.request.alreadyGranted} />
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void decide('approve')}>
          Approve
        </button>
        <button type="button" disabled={busy} className="secondary" onClick={() => void decide('deny')}>
          Deny
        </button>
      </div>
    </section>
  );
}

// What the values behind a denial are, in words (keys come from packages/policy's decision details).
const DETAIL_LABELS: Record<string, string> = {
  sent: 'Redirect URI sent by the application',
  allowed: 'Allowed in this workspace',
  clientId: 'Client ID to add to Allowed OAuth client IDs',
  offending: 'Scopes outside the policy',
  ceiling: 'Workspace policy scopes',
};

/** Where the client's metadata document came from; unverified is a warning. */
function ClientSourceText({ source }: { source: ClientSource }) {
  const { text, warning } = clientSourceText(source);
  return (
    <span className={warning ? 'source-warning' : undefined} data-testid="client-source">
      {text}
    </span>
  );
}

function ErrorPanel({ message }: { message: string }) {
  return (
    <section className="card" aria-labelledby="error-heading">
      <h1 id="error-heading">Authorization error</h1>
      <p role="alert" className="error">
        {message}
      </p>
    </section>
  );
}
