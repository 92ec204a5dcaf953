import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { DecisionDetails } from '../../decision-details.tsx';
import { type AuthorizationDecision, decideAuthorization } from '@enginy/policy/authorization';
import { useState } from 'react';
import { useConsole } from '../console-context.tsx';
import { DETAIL_LABELS } from '../detail-labels.ts';
import { errorText } from '../format.ts';
import { ScopePicker } from '../scope-picker.tsx';
import type { McpSettings } from '../types.ts';
import { InlineError, Loading, ScopeList } from '../ui.tsx';
import { usePoll } from '../use-poll.ts';

/**
 * The decision the browser step would make for a client ID, redirect URI and scopes, computed live
 * in the page by packages/policy's decideAuthorization (the code the server runs), against the
 * workspace's saved settings; "Ask the server" gets the server's own answer to compare.
 */
export function PreviewPage() {
  const { read, workspace } = useConsole();
  const settings = usePoll(() => read<McpSettings>('/mcp-settings'), `settings:${workspace.id}`, 5_000);
  const [clientId, setClientId] = useState('');
  const [redirectUri, setRedirectUri] = useState(CLAUDE_CODE_REDIRECT_URI);
  const [scopes, setScopes] = useState<string[]>([]);
  const [server, setServer] = useState<{ decision?: AuthorizationDecision; error?: string; asked?: string }>({});

  if (settings.error && settings.data === undefined)
    return <InlineError message={`Could not read the MCP settings: ${settings.error}`} />;
  if (settings.data === undefined) return <Loading what="the MCP settings" />;

  const inputs = JSON.stringify({ clientId, redirectUri, scopes });
  const ready = clientId !== '' && redirectUri !== '';
  const decision = ready
    ? decideAuthorization(settings.data, {
        clientId,
        redirectUri,
        scope: scopes.length === 0 ? undefined : scopes.join(' '),
      })
    : undefined;

  const ask = async () => {
    try {
      const answer = await read<{ decision: AuthorizationDecision }>('/preview', { clientId, redirectUri, scopes });
      setServer({ decision: answer.decision, asked: inputs });
    } catch (e) {
      setServer({ error: errorText(e), asked: inputs });
    }
  };
  const serverCurrent = server.asked === inputs ? server : {};

  return (
    <section aria-labelledby="preview-title">
      <h1 id="preview-title">Policy preview</h1>
      <p className="lead">
        What happens when a client asks {workspace.name} for authorization, decided in this page by the same code the
        server runs, against the saved settings.
      </p>
      <form className="stack preview-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          Client ID
          <input
            value={clientId}
            onChange={(e) => setClientId(e.target.value)}
            placeholder="the client_id the client sends"
          />
        </label>
        <label>
          Redirect URI
          <input value={redirectUri} onChange={(e) => setRedirectUri(e.target.value)} />
        </label>
        <ScopePicker
          legend="Requested scopes (none ticked: the client requests none and gets the policy ceiling)"
          value={scopes}
          onChange={setScopes}
        />
      </form>

      <h2 id="decision-heading">Decision</h2>
      <div role="status" aria-live="polite" aria-labelledby="decision-heading" className="decision-box">
        {decision === undefined ? (
          <p className="muted">Enter a client ID and a redirect URI.</p>
        ) : (
          <DecisionView decision={decision} />
        )}
      </div>
      {decision !== undefined && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void ask()}>
            Ask the server
          </button>
        </div>
      )}
      <InlineError message={serverCurrent.error && `The server did not answer: ${serverCurrent.error}`} />
      {serverCurrent.decision && (
        <section aria-label="Server decision" className="server-decision">
          <p>
            The server decides:{' '}
            <strong>{serverCurrent.decision.outcome === 'allowed' ? 'Allowed' : serverCurrent.decision.message}</strong>{' '}
            {JSON.stringify(serverCurrent.decision) === JSON.stringify(decision)
              ? '(the same decision as above)'
              : '(different: the settings changed; the page refreshes them every 5 s)'}
          </p>
        </section>
      )}
    </section>
  );
}

function DecisionView({ decision }: { decision: AuthorizationDecision }) {
  if (decision.outcome === 'allowed') {
    return (
      <div className="decision allowed">
        <p>
          <strong>Allowed.</strong> The client would be granted: <ScopeList scopes={decision.scopes} />
        </p>
      </div>
    );
  }
  return (
    <div className="decision denied">
      <p>
        <strong>Denied:</strong> <span className="reason">{decision.message}</span>
      </p>
      <DecisionDetails details={decision.details} labels={DETAIL_LABELS} />
      {decision.hint && <p className="hint">{decision.hint}</p>}
      <p className="muted">
        {decision.redirectError
          ? `Sent back to the client: error=${decision.redirectError}.`
          : 'Shown on the error page; nothing is sent back to the client.'}
      </p>
    </div>
  );
}
