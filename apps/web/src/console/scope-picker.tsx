import { ALL_SCOPE, RESOURCE_SCOPES } from '@enginy/policy/scopes';

// What each resource's scopes cover (the product's scope list).
const COVERS: Record<string, string> = {
  WORKSPACE: 'credits, saved views, validation',
  IDENTITIES: 'sender identities',
  OWNERS: 'CRM owners',
  CAMPAIGNS: 'campaigns; WRITE: create, clone, status, membership',
  CONTACTS: 'contacts',
  COMPANIES: 'companies',
  LISTS: 'lists; WRITE: create lists and folders, move members',
  AI_VARIABLES: 'AI variables',
  ANALYTICS: 'analytics',
  ACTIONS: 'actions; WRITE: start actions, AI Finder import',
  MESSAGING: 'inbox threads; WRITE: send messages',
};

/**
 * The Enginy scopes as checkboxes, one row per resource (READ, WRITE), and `ALL`. What the picked
 * scopes imply is shown ticked and disabled: a WRITE scope includes its READ, ALL includes everything.
 */
export function ScopePicker({
  legend,
  value,
  onChange,
  disabled = false,
  highlight = [],
}: {
  legend: string;
  value: readonly string[];
  onChange: (next: string[]) => void;
  disabled?: boolean;
  /** Scopes ticked for the admin's review (not saved yet): marked, so they are found in the table. */
  highlight?: readonly string[];
}) {
  const has = (scope: string) => value.includes(scope);
  const all = has(ALL_SCOPE);
  const toggle = (scope: string, on: boolean) => onChange(on ? [...value, scope] : value.filter((s) => s !== scope));
  const impliedBy = (resource: string, level: string): string | undefined => {
    if (all) return ALL_SCOPE;
    if (level === 'READ' && has(`${resource}_WRITE`)) return `${resource}_WRITE`;
    return undefined;
  };
  return (
    <fieldset className="scope-picker" disabled={disabled}>
      <legend>{legend}</legend>
      <label className={`check all${highlight.includes(ALL_SCOPE) ? ' highlighted' : ''}`}>
        <input type="checkbox" checked={all} onChange={(e) => toggle(ALL_SCOPE, e.target.checked)} aria-label="ALL" />
        <code>ALL</code> <span className="muted">everything: every scope below</span>
      </label>
      <table className="scope-table">
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">READ</th>
            <th scope="col">WRITE (includes READ)</th>
            <th scope="col">Covers</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(RESOURCE_SCOPES).map(([resource, levels]) => (
            <tr key={resource}>
              <th scope="row">{resource}</th>
              {['READ', 'WRITE'].map((level) => {
                const scope = `${resource}_${level}`;
                if (!(levels as readonly string[]).includes(level)) return <td key={level} />;
                const by = impliedBy(resource, level);
                const implied = by !== undefined && !has(scope);
                return (
                  <td key={level}>
                    <label className={`check${highlight.includes(scope) ? ' highlighted' : ''}`}>
                      <input
                        type="checkbox"
                        checked={has(scope) || by !== undefined}
                        disabled={implied || all}
                        onChange={(e) => toggle(scope, e.target.checked)}
                        aria-label={scope}
                      />
                      <code>{scope}</code>
                      {by !== undefined && <span className="muted"> (included by {by})</span>}
                    </label>
                  </td>
                );
              })}
              <td className="muted small">{COVERS[resource]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}
