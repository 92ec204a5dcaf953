import { useState } from 'react';
import { formatTime } from '../format.ts';
import type { LabScenario } from '../types.ts';

export type LabSwitchRequest = { scope: 'workspace' | 'global'; options: Record<string, string> };

/** Where the switch in force came from, in words. */
function stateText(scenario: LabScenario, workspaceName: string): string {
  const state = scenario.state;
  if (state === null) return 'Off';
  const options = Object.entries(state.options).map(([name, value]) => ` ${name} ${value}`);
  const left = state.remaining === null ? '' : state.remaining === 0 ? ' (spent)' : ` (${state.remaining} left)`;
  const where = state.scope === 'global' ? 'globally' : `for ${workspaceName}`;
  return `${scenario.on ? 'On' : 'Switched on'} ${where}${options.join(',')}${left}, since ${formatTime(state.switchedOnAt)} by ${state.switchedOnBy}`;
}

/** One scenario of the catalogue: what it breaks, what a correct client does, and (admins) its switch. */
export function LabScenarioCard(props: {
  scenario: LabScenario;
  workspaceName: string;
  isAdmin: boolean;
  busy: boolean;
  onSwitchOn: (request: LabSwitchRequest) => void;
  onSwitchOff: () => void;
}) {
  const { scenario, workspaceName, isAdmin, busy } = props;
  const [scope, setScope] = useState<'workspace' | 'global'>(scenario.workspaceSense ? 'workspace' : 'global');
  const [options, setOptions] = useState<Record<string, string>>(() =>
    Object.fromEntries(scenario.options.map((option) => [option.name, String(option.default)])),
  );
  const headingId = `lab-${scenario.name}`;
  return (
    <article className="lab-scenario" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <code>{scenario.name}</code>{' '}
        <span className={scenario.on ? 'badge denied' : 'badge admin'}>{scenario.on ? 'On' : 'Off'}</span>
      </h2>
      <p>{scenario.description}</p>
      <p className="muted small" data-testid={`lab-state-${scenario.name}`}>
        {stateText(scenario, workspaceName)}
      </p>
      <dl className="lab-facts">
        <dt>What a correct client does</dt>
        <dd>
          {scenario.correctClient} <span className="muted">({scenario.clause})</span>
        </dd>
        <dt>Public reports</dt>
        <dd>
          {scenario.reports.length === 0 ? (
            <span className="muted">none linked</span>
          ) : (
            <ul className="plain">
              {scenario.reports.map((report) => (
                <li key={report}>
                  <a href={report} target="_blank" rel="noreferrer">
                    {report.replace('https://github.com/', '')}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>What each real agent was seen to do</dt>
        <dd>
          {scenario.agentsSeen.length === 0 ? (
            <span className="muted">not yet measured</span>
          ) : (
            <ul className="plain">
              {scenario.agentsSeen.map((seen) => (
                <li key={seen.agent}>
                  <strong>{seen.agent}</strong>: {seen.seen} <span className="muted">({seen.source})</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {scenario.planned && <p className="muted small">Catalogued, not built yet: it cannot be switched on.</p>}
      {isAdmin && !scenario.planned && (
        <div className="row-actions">
          {scenario.options.map((option) => (
            <label key={option.name} className="lab-option">
              {option.name}
              <input
                type="number"
                className="lab-number"
                min={option.min}
                max={option.max}
                value={options[option.name] ?? ''}
                title={option.description}
                onChange={(e) => setOptions({ ...options, [option.name]: e.target.value })}
              />
            </label>
          ))}
          {scenario.workspaceSense ? (
            <label className="lab-option">
              Scope
              <select value={scope} onChange={(e) => setScope(e.target.value as 'workspace' | 'global')}>
                <option value="workspace">{workspaceName} only</option>
                <option value="global">every workspace</option>
              </select>
            </label>
          ) : (
            <span className="muted small">global: acts before a request names a workspace</span>
          )}
          <button
            type="button"
            className="small"
            disabled={busy}
            aria-label={`Switch on ${scenario.name}`}
            onClick={() => props.onSwitchOn({ scope, options })}
          >
            {scenario.on ? 'Switch on again' : 'Switch on'}
          </button>
          {scenario.state !== null && (
            <button
              type="button"
              className="danger small"
              disabled={busy}
              aria-label={`Switch off ${scenario.name}`}
              onClick={props.onSwitchOff}
            >
              Switch off
            </button>
          )}
        </div>
      )}
    </article>
  );
}
