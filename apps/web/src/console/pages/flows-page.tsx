import { FLOW_OUTCOMES } from '@enginy/contracts/flows';
import { useState } from 'react';
import { useConsole } from '../console-context.tsx';
import { DataStates } from '../data-states.tsx';
import { formatTime } from '../format.ts';
import type { Flow, FlowStep } from '../types.ts';
import { CopyButton } from '../ui.tsx';
import { useConsoleData } from '../use-console-data.ts';

const STEP_LABELS: Record<FlowStep['step'], string> = {
  discovery: 'Discovery',
  register: 'Registration',
  authorize: '/authorize',
  'sign-in': 'Sign-in',
  consent: 'Consent',
  token: 'Token exchange',
  refresh: 'Refresh',
  mcp: 'First MCP call',
  revoke: 'Revocation',
};

/** Each connection as one flow, newest first; a flow opens into its timeline, refreshed every 3 s. */
export function FlowsPage() {
  const { workspace } = useConsole();
  const [outcome, setOutcome] = useState('');
  const [clientId, setClientId] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const query = new URLSearchParams({ limit: '100' });
  if (outcome) query.set('outcome', outcome);
  if (clientId.trim()) query.set('clientId', clientId.trim());
  const polled = useConsoleData<{ flows: Flow[] }>(`/flows?${query}`, 3_000);

  return (
    <section aria-labelledby="flows-title">
      <h1 id="flows-title">Flows</h1>
      <p className="lead">
        Each connection to {workspace.name} as one flow, from discovery to its first tool call: open one to see every
        step, what the client sent and what it was answered, and where it stopped.
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">Any outcome</option>
            {FLOW_OUTCOMES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label>
          Client ID
          <input value={clientId} onChange={(e) => setClientId(e.target.value)} placeholder="exact client_id" />
        </label>
      </form>
      <DataStates
        items={polled.data?.flows}
        error={polled.error}
        what="flows"
        failed="Could not load the flows"
        empty="No flow matches. A flow begins when a client discovers or registers and reaches this workspace."
      >
        {(flows) => (
          <ol className="flows" aria-label="Flows">
            {flows.map((flow) => (
              <li key={flow.id} className="flow" data-outcome={flow.outcome}>
                <button
                  type="button"
                  className="flow-summary"
                  aria-expanded={open === flow.id}
                  onClick={() => setOpen(open === flow.id ? null : flow.id)}
                >
                  <span className="nowrap">{formatTime(flow.startedAt)}</span>
                  <strong>
                    <bdi>{flow.client.name ?? flow.client.id ?? 'Unknown client'}</bdi>
                  </strong>
                  <span className={`badge flow-${flow.outcome}`}>{flow.outcome}</span>
                  <span className="muted">
                    {flow.steps.length} steps
                    {flow.stoppedAt && `, stopped at ${STEP_LABELS[flow.stoppedAt.step]}`}
                  </span>
                </button>
                {open === flow.id && <Timeline flow={flow} />}
              </li>
            ))}
          </ol>
        )}
      </DataStates>
    </section>
  );
}

function Timeline({ flow }: { flow: Flow }) {
  return (
    <div className="flow-body">
      {flow.stoppedAt && (
        <div className="flow-stop" role="note">
          <strong>Stopped at {STEP_LABELS[flow.stoppedAt.step]}:</strong> {flow.stoppedAt.message}
          {flow.stoppedAt.fix && (
            <div>
              <span className="muted">Fix:</span> {flow.stoppedAt.fix}
            </div>
          )}
        </div>
      )}
      <CopyButton text={JSON.stringify(flow, null, 2)} label="Copy as JSON" />
      <ol className="timeline" aria-label="Timeline">
        {flow.steps.map((step) => (
          <li
            key={step.id}
            className={`timeline-step ${step.error || step.status >= 400 ? 'failed' : 'ok'}`}
            data-step={step.step}
          >
            <div className="timeline-head">
              <strong>{STEP_LABELS[step.step]}</strong> <span className="muted small">{formatTime(step.at)}</span>{' '}
              <code className="small">{step.status}</code>
              {step.error && <code className="small"> {step.error}</code>}
            </div>
            {step.description && <div className="small">{step.description}</div>}
            {step.fix && (
              <div className="small">
                <span className="muted">Fix:</span> {step.fix}
              </div>
            )}
            <dl className="details">
              {Object.entries(step.sent).map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd>
                    <code>{Array.isArray(value) ? value.join(' ') || '(none)' : value}</code>
                  </dd>
                </div>
              ))}
              {step.userAgent && (
                <div>
                  <dt>user agent</dt>
                  <dd>
                    <code>{step.userAgent}</code>
                  </dd>
                </div>
              )}
              {step.scenarios.length > 0 && (
                <div>
                  <dt>lab scenarios</dt>
                  <dd>
                    <code>{step.scenarios.join(' ')}</code>
                  </dd>
                </div>
              )}
            </dl>
          </li>
        ))}
      </ol>
    </div>
  );
}
