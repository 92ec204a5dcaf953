import { knownClient } from '@enginy/config/known-clients';
import { clientIdEntryProblem, redirectUriEntryProblem } from '@enginy/policy/allowlist-entry';
import { AUTHORIZATION_MESSAGES } from '@enginy/policy/authorization';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, navigate, usePath } from '../../router.tsx';
import { type Preselection, preselection } from '../add-scopes.ts';
import { useConsole } from '../console-context.tsx';
import { errorText, formatTime } from '../format.ts';
import { ListEditor } from '../list-editor.tsx';
import { ScopePicker } from '../scope-picker.tsx';
import type { Connection, McpSettings, McpSettingsInput } from '../types.ts';
import { InlineError, Loading, ScopeList } from '../ui.tsx';
import { usePoll } from '../use-poll.ts';

type Draft = McpSettingsInput;

const draftOf = (s: McpSettings): Draft => ({
  enabled: s.enabled,
  allowedRedirectUris: s.allowedRedirectUris,
  allowedClientIds: s.allowedClientIds,
  policyScopes: s.policyScopes,
  policyActive: s.policyActive,
});

const claudeCode = knownClient('claude-code');

/**
 * Workspace MCP settings: the switch, both allowlists and the scope ceiling. Members see them
 * read-only. `?addScopes=A,B` (a link from the consent page) ticks those scopes for an admin to review: never saved by itself.
 */
export function SettingsPage() {
  const { read, write, workspace, isAdmin } = useConsole();
  const { search } = usePath();
  // Read when the settings arrive, not a reason to reload them: dropping it from the address after a save changes nothing.
  const addScopes = useRef<string | null>(null);
  addScopes.current = isAdmin ? search.get('addScopes') : null;
  const loaded = usePoll(() => read<McpSettings>('/mcp-settings'), `settings:${workspace.id}`);
  const [draft, setDraft] = useState<Draft | undefined>();
  const [saved, setSaved] = useState<McpSettings | undefined>();
  const [preselected, setPreselected] = useState<Preselection | undefined>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (loaded.data !== undefined) {
      const wanted = preselection(loaded.data.policyScopes, addScopes.current);
      setSaved(loaded.data);
      setDraft({ ...draftOf(loaded.data), policyScopes: [...loaded.data.policyScopes, ...wanted.add] });
      setPreselected(wanted.add.length > 0 || wanted.ignored.length > 0 ? wanted : undefined);
    }
  }, [loaded.data]);

  // Once saved or discarded, the preselection is done with: a reload must not tick the scopes again.
  const forgetPreselection = () => {
    setPreselected(undefined);
    if (search.has('addScopes')) navigate('/console/settings', { replace: true });
  };

  if (loaded.error && saved === undefined)
    return <InlineError message={`Could not read the MCP settings: ${loaded.error}`} />;
  if (draft === undefined || saved === undefined) return <Loading what="the MCP settings" />;

  const change = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setStatus('');
  };
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(saved));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setStatus('Saving…');
    try {
      const after = await write<McpSettings>('PUT', '/mcp-settings', draft);
      setSaved(after);
      setDraft(draftOf(after));
      forgetPreselection();
      // Tokens are checked against the settings on every call: say what that means right now.
      const { connections } = await read<{ connections: Connection[] }>('/connections');
      const live = connections.filter((c) => c.effectiveScopes.length > 0).length;
      setStatus(
        `Saved at ${formatTime(after.updatedAt)}. In effect at once for every live token, no re-authorization: ${connections.length} active connection(s), ${live} with scopes left under the new policy.`,
      );
    } catch (e) {
      setStatus('');
      setError(`Not saved: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">MCP settings</h1>
      <p className="lead">
        What {workspace.name} lets MCP clients do. Last saved {formatTime(saved.updatedAt)}.
      </p>
      {preselected && (
        <p className="notice preselected" role="note" data-testid="preselected-scopes">
          {preselected.add.length > 0 ? (
            <>
              From the consent page: <ScopeList scopes={preselected.add} />{' '}
              {preselected.add.length === 1 ? 'is' : 'are'} ticked in the scope ceiling below but{' '}
              <strong>not saved</strong>. Review them, then Save settings to allow them, or Discard changes.
            </>
          ) : (
            'From the consent page: nothing to tick.'
          )}
          {preselected.ignored.length > 0 && ` Ignored, not Enginy scopes: ${preselected.ignored.join(', ')}.`}
        </p>
      )}
      {saved.warnings.length > 0 && (
        <section className="warnings" aria-label="Warnings">
          <strong>Warnings for the saved settings</strong>
          <ul>
            {saved.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
      <form onSubmit={save} className="settings-form">
        <fieldset disabled={!isAdmin} className="plain">
          <label className="check toggle">
            <input type="checkbox" checked={draft.enabled} onChange={(e) => change({ enabled: e.target.checked })} />
            Enable the MCP integration
          </label>
          <p className="muted">When off, no client can connect, and every existing connection stops working at once.</p>
        </fieldset>

        <h2 id="redirect-heading">Allowed redirect URIs</h2>
        <p className="muted">
          Exact match: the <code>redirect_uri</code> a client sends must equal one of these character for character.
          With its recipe {claudeCode.name} sends <code>{claudeCode.recipeRedirectUri}</code>; another port,{' '}
          <code>127.0.0.1</code> instead of <code>localhost</code>, or a trailing slash is a different URI.{' '}
          <Link to="/console/connect">Connect a client</Link> shows the URI each tested client sends.
        </p>
        <ListEditor
          label="Allowed redirect URIs"
          items={draft.allowedRedirectUris}
          onChange={(allowedRedirectUris) => change({ allowedRedirectUris })}
          check={redirectUriEntryProblem}
          placeholder={claudeCode.recipeRedirectUri}
          emptyText={`None: every authorization fails with ${AUTHORIZATION_MESSAGES.redirect_uri_not_allowed}`}
          readOnly={!isAdmin}
        />

        <h2>Allowed OAuth client IDs</h2>
        <p className="muted">
          Empty = any client. Leave it empty for the first connection; pin trusted client IDs later (the exact{' '}
          <code>client_id</code>, as the attempts list shows it).
        </p>
        <ListEditor
          label="Allowed OAuth client IDs"
          items={draft.allowedClientIds}
          onChange={(allowedClientIds) => change({ allowedClientIds })}
          check={clientIdEntryProblem}
          placeholder="a client ID"
          emptyText="Empty: any client may connect"
          readOnly={!isAdmin}
        />

        <h2>MCP policy scopes</h2>
        <p className="muted">
          The ceiling on what clients may be granted. A client may request a subset; a client that requests none gets
          all of these.
        </p>
        <fieldset disabled={!isAdmin} className="plain">
          <label className="check toggle">
            <input
              type="checkbox"
              checked={draft.policyActive}
              onChange={(e) => change({ policyActive: e.target.checked })}
            />
            Policy active
          </label>
        </fieldset>
        {draft.policyScopes.length === 0 && (
          <p className="hint" role="note">
            The policy has no scope: no client can be granted anything, and every live connection loses all its scopes.
          </p>
        )}
        <ScopePicker
          legend="Scope ceiling: tick what clients may be granted"
          value={draft.policyScopes}
          onChange={(policyScopes) => change({ policyScopes })}
          disabled={!isAdmin}
          highlight={preselected?.add}
        />

        {isAdmin ? (
          <div className="actions">
            <button type="submit" disabled={busy || !dirty}>
              Save settings
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy || !dirty}
              onClick={() => {
                setDraft(draftOf(saved));
                forgetPreselection();
              }}
            >
              Discard changes
            </button>
            <span role="status" aria-live="polite" className="muted">
              {status || (dirty ? 'Unsaved changes' : '')}
            </span>
          </div>
        ) : (
          <p className="muted">Read-only: only an admin of {workspace.name} can change these settings.</p>
        )}
        <InlineError message={error} />
      </form>
    </section>
  );
}
