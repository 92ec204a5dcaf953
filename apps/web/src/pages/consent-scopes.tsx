import { groupScopes } from '@enginy/policy/scope-groups';
import { consentScopeChange } from '@enginy/policy/step-up';

/**
 * What Approve grants. When the user already granted this client scopes in the workspace (step-up:
 * the client asks again for more), what is new stands apart from what was granted before.
 */
export function ConsentScopes({ granting, alreadyGranted }: { granting: string[]; alreadyGranted: string[] }) {
  if (alreadyGranted.length === 0)
    return (
      <>
        <h2>It will be able to</h2>
        <ScopeGroups scopes={granting} label="Scopes" />
      </>
    );
  const change = consentScopeChange(granting, alreadyGranted);
  return (
    <>
      <h2>New with this approval</h2>
      {change.added.length === 0 ? (
        <p>Nothing new: it asks again for what you granted before.</p>
      ) : (
        <ScopeGroups scopes={change.added} label="New scopes" />
      )}
      {change.kept.length > 0 && (
        <>
          <h2>Already granted</h2>
          <ScopeGroups scopes={change.kept} label="Already granted scopes" />
        </>
      )}
      {change.notAsked.length > 0 && (
        <p className="hint">
          Granted before and not asked for this time: {change.notAsked.join(', ')}. Your earlier connection keeps them;
          this one will not have them.
        </p>
      )}
    </>
  );
}

function ScopeGroups({ scopes, label }: { scopes: string[]; label: string }) {
  return (
    <ul className="scopes" aria-label={label}>
      {groupScopes(scopes).map((group) => (
        <li key={group.resource}>
          <strong>{group.resource}</strong>: {group.scopes.join(', ')}
          {group.write && <span className="write"> (can change data)</span>}
        </li>
      ))}
    </ul>
  );
}
