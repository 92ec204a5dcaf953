import type { KnownClient } from '@enginy/config/known-clients';
import { AUTHORIZATION_MESSAGES } from '@enginy/policy/authorization';
import { failedReadinessChecks } from '@enginy/policy/readiness';
import { redirectUriAllowedByWorkspace } from '@enginy/policy/redirect-uri';
import { useState } from 'react';
import { Link } from '../router.tsx';
import {
  type ChecklistItem,
  clientIdItem,
  fixSteps,
  redirectFacts,
  registrationText,
  scopeChoiceText,
  withRedirectUri,
} from './connect-recipe.ts';
import { useConsole } from './console-context.tsx';
import { errorText } from './format.ts';
import type { McpSettings } from './types.ts';
import { CopyButton, InlineError, Loading, ScopeList } from './ui.tsx';
import type { Polled } from './use-poll.ts';

/**
 * One client's recipe on the Connect page: the "Before you start" checklist with each item's live
 * state (and, for an admin, a button that allows the exact redirect URI the recipe sends), the
 * redirect URI it sends and how the recipe fixes it, the commands or config file, and its scopes.
 */
export function ClientRecipe({
  client,
  mcpUrl,
  settings,
}: {
  client: KnownClient;
  mcpUrl: string;
  settings: Polled<McpSettings>;
}) {
  const { workspace } = useConsole();
  const saved = settings.data;
  const setup = client.setup(mcpUrl);
  return (
    <>
      <h2 className="recipe-title">{client.name}</h2>
      <p className="muted">
        {registrationText(client)}. Tested with <code>{client.npmPackage}</code> {client.testedVersion}.
      </p>

      <h3 id="before-heading">Before you start</h3>
      {settings.error && <InlineError message={`Could not read the MCP settings: ${settings.error}`} />}
      {saved === undefined ? (
        !settings.error && <Loading what="the workspace settings" />
      ) : (
        <Checklist client={client} settings={saved} reload={settings.reload} />
      )}

      <h3>Redirect URI</h3>
      {saved !== undefined && <RedirectUri client={client} settings={saved} />}
      {saved !== undefined && <FixSteps client={client} settings={saved} />}

      <h3>Set it up</h3>
      {setup.configFile && (
        <>
          <p>
            Before you sign in, <code>{setup.configFile.path}</code> must hold this entry (a command below that adds the
            server replaces the entry: write the file after that command).
          </p>
          <pre className="command" data-testid="config-file">
            {setup.configFile.content}
          </pre>
          <CopyButton text={setup.configFile.content} label={`Copy ${setup.configFile.path}`} />
        </>
      )}
      <ol className="commands" aria-label="Commands">
        {setup.commands.map((command, i) => (
          <li key={command}>
            <pre className="command" data-testid={`command-${i + 1}`}>
              {command}
            </pre>
            <CopyButton text={command} label={setup.commands.length === 1 ? 'Copy command' : `Copy command ${i + 1}`} />
          </li>
        ))}
      </ol>
      <p>
        When the browser opens, sign in, choose {workspace.name} and Approve. Then ask {client.name} to run{' '}
        <code>mcp_whoami</code> to verify the connection.
      </p>

      <h3>Scopes</h3>
      {saved !== undefined && <Scopes client={client} settings={saved} />}
    </>
  );
}

function Checklist({
  client,
  settings,
  reload,
}: {
  client: KnownClient;
  settings: McpSettings;
  reload: () => Promise<void>;
}) {
  const [addedUri, setAddedUri] = useState<string | undefined>();
  const added = async (uri: string) => {
    await reload();
    setAddedUri(uri);
  };
  const facts = redirectFacts(client, settings.allowedRedirectUris);
  // The workspace-wide items are packages/policy's readiness checks, the settings' warnings on the server.
  const failed = failedReadinessChecks(settings);
  const items: (ChecklistItem & { add?: string })[] = [
    {
      label: 'MCP integration enabled',
      ok: !failed.has('mcp_disabled'),
      fix: 'Enable the MCP integration in MCP settings.',
    },
    {
      label: 'MCP policy active with at least one scope',
      ok: !failed.has('policy_inactive') && !failed.has('policy_empty'),
      fix: failed.has('policy_inactive')
        ? 'Make the policy active in MCP settings.'
        : `Choose the MCP policy scopes ${client.name} may request.`,
    },
    {
      label: `${facts.sent} in Allowed redirect URIs`,
      ok: facts.allowlisted,
      fix: `Add ${facts.sent} to Allowed redirect URIs (exact match).`,
      add: facts.addable ? facts.sent : undefined,
    },
    clientIdItem(client, settings.allowedClientIds),
  ];
  return (
    <>
      <ul className="checklist" aria-labelledby="before-heading">
        {items.map((item) => (
          <li key={item.label} data-state={item.ok ? 'ok' : 'todo'}>
            <span className="mark" aria-hidden="true">
              {item.ok ? '✓' : '✗'}
            </span>
            <span>
              {item.label}: <strong>{item.ok ? 'done' : 'not yet'}</strong>
              {!item.ok &&
                (item.add === undefined ? (
                  <span className="muted">
                    {' '}
                    — {item.fix} <Link to="/console/settings">Open MCP settings</Link>
                  </span>
                ) : (
                  <AddRedirectUri uri={item.add} onAdded={added} />
                ))}
            </span>
          </li>
        ))}
      </ul>
      <p role="status" aria-live="polite" className="muted">
        {addedUri && `Added ${addedUri} to Allowed redirect URIs: in effect from the next authorization.`}
      </p>
    </>
  );
}

/**
 * Adds the exact URI through the console's settings API (an admin's write: CSRF token, web origin),
 * on top of the settings as saved right now, not as this page last saw them.
 */
function AddRedirectUri({ uri, onAdded }: { uri: string; onAdded: (uri: string) => Promise<void> }) {
  const { read, write, workspace, isAdmin } = useConsole();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const label = `Add ${uri} to Allowed redirect URIs`;
  const add = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const current = await read<McpSettings>('/mcp-settings');
      if (!redirectUriAllowedByWorkspace(current.allowedRedirectUris, uri))
        await write('PUT', '/mcp-settings', withRedirectUri(current, uri));
      await onAdded(uri);
    } catch (e) {
      setError(`Not added: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="add-uri">
      {isAdmin ? (
        <button type="button" className="small" disabled={busy} onClick={() => void add()}>
          {busy ? 'Adding…' : label}
        </button>
      ) : (
        <>
          <button type="button" className="small" disabled aria-describedby="add-uri-why">
            {label}
          </button>{' '}
          <span id="add-uri-why" className="muted">
            Only an admin of {workspace.name} can change Allowed redirect URIs.
          </span>
        </>
      )}
      <InlineError message={error} />
    </span>
  );
}

function RedirectUri({ client, settings }: { client: KnownClient; settings: McpSettings }) {
  const facts = redirectFacts(client, settings.allowedRedirectUris);
  const { value, form } = facts.byDefault;
  const state = (
    <span className={`badge ${facts.allowlisted ? 'allowed' : 'denied'}`} data-testid="sent-uri-state">
      {facts.allowlisted ? 'in Allowed redirect URIs' : 'not in Allowed redirect URIs'}
    </span>
  );
  return (
    <dl className="facts">
      {value !== facts.sent && (
        <div>
          <dt>Sent by default</dt>
          <dd>
            {form === 'words' ? value : <code>{value}</code>}
            {form === 'pattern' && (
              <span className="muted"> — the port is random, so no allowlist entry can match it: use the recipe.</span>
            )}
          </dd>
        </div>
      )}
      <div>
        <dt>{value === facts.sent ? 'Sent' : 'Sent with this recipe'}</dt>
        <dd>
          <code data-testid="sent-uri">{facts.sent}</code> {state}
        </dd>
      </div>
      <div>
        <dt>How the callback is fixed</dt>
        <dd>{client.callbackFix}</dd>
      </div>
    </dl>
  );
}

/** The admin's step, then the client's own: in this order, since the client's first try uses the URI at once. */
function FixSteps({ client, settings }: { client: KnownClient; settings: McpSettings }) {
  const steps = fixSteps(client, settings.allowedRedirectUris);
  return (
    <>
      <h4 id="fix-heading">What fixes it, in order</h4>
      <ol className="fix-steps" aria-labelledby="fix-heading">
        {steps.map((step) => (
          <li key={step.who} data-who={step.who} data-state={step.done === false ? 'todo' : 'ok'}>
            {step.text}
          </li>
        ))}
      </ol>
      {client.trap && (
        <p className="trap" role="note" data-testid="recipe-trap">
          <strong>Not a fix:</strong> {client.trap}
        </p>
      )}
    </>
  );
}

function Scopes({ client, settings }: { client: KnownClient; settings: McpSettings }) {
  return (
    <>
      <p>
        {client.name} asks for {scopeChoiceText(client)}. The policy of this workspace allows{' '}
        <ScopeList scopes={settings.policyScopes} />; a request for more stops at the browser step with “
        {AUTHORIZATION_MESSAGES.scopes_not_allowed}”.
      </p>
      {settings.policyScopes.length > 0 && (
        <>
          <p>To ask for exactly the policy's scopes:</p>
          <p className="recipe-text" data-testid="narrow-scopes">
            {client.narrowScopes([...settings.policyScopes])}
          </p>
        </>
      )}
    </>
  );
}
