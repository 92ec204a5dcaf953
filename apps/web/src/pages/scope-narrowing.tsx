import { addScopesLink } from '../console/add-scopes.ts';
import { ScopeList } from '../console/ui.tsx';
import { narrowingHints, scopesWithinPolicy } from '../client-hints.ts';

const names = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/**
 * Under "Requested scopes are not allowed": how to ask for what the policy allows, in each tested
 * client's own way (the client that sent the request first, the others folded), and for an admin of
 * the workspace a link to the settings with the missing scopes ticked (not saved).
 */
export function ScopeNarrowing({
  request,
  details,
  workspace,
}: {
  request: { clientId: string; clientName: string; requestedScopes: string[] };
  details: Record<string, unknown>;
  workspace: { id: string; name: string; role: string };
}) {
  const offending = names(details.offending);
  const scopes = scopesWithinPolicy(request.requestedScopes, names(details.ceiling));
  const hints = narrowingHints(request.clientId, request.clientName, scopes);
  const [first, ...rest] = hints;
  const highlighted = first?.recognised ? first : undefined;
  const folded = highlighted === undefined ? hints : rest;
  return (
    <section aria-labelledby="narrow-heading" className="narrow">
      <h2 id="narrow-heading">Ask for fewer scopes</h2>
      <p>
        The policy of {workspace.name} allows <ScopeList scopes={scopes} /> of this request. Change the application's
        request, then connect again:
      </p>
      {highlighted && (
        <div className="narrow-hint recognised" data-testid="narrow-recognised">
          <h3>
            {highlighted.client.name} <span className="badge recognised-badge">this application</span>
          </h3>
          <p className="recipe-text">{highlighted.text}</p>
        </div>
      )}
      <div className="narrow-others">
        {folded.map((hint) => (
          <details key={hint.client.id} className="narrow-hint">
            <summary>{hint.client.name}</summary>
            <p className="recipe-text">{hint.text}</p>
          </details>
        ))}
      </div>
      {workspace.role === 'admin' && offending.length > 0 && (
        <p className="admin-fix">
          Or, as an admin of {workspace.name}:{' '}
          <a href={addScopesLink(workspace.id, offending)} target="_blank" rel="noopener">
            Add {offending.join(', ')} to the policy
          </a>
          <span className="muted">
            {' '}
            — opens MCP settings in a new tab with {offending.length === 1 ? 'this scope' : 'these scopes'} ticked, not
            saved: review and Save settings there, then Check again here.
          </span>
        </p>
      )}
    </section>
  );
}
