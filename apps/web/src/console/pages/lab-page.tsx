import { useState } from 'react';
import { useConsole } from '../console-context.tsx';
import { errorText } from '../format.ts';
import { announceLabChange } from '../lab-changed.ts';
import type { LabScenario } from '../types.ts';
import { InlineError, Loading } from '../ui.tsx';
import { usePoll } from '../use-poll.ts';
import { LabScenarioCard, type LabSwitchRequest } from './lab-scenario-card.tsx';

/**
 * The failure lab (the same switches as `pnpm lab`): real field failures this stack reproduces on
 * purpose, so a client's fix can be checked. Admins switch them; members read.
 */
export function LabPage() {
  const { read, write, workspace, isAdmin } = useConsole();
  const polled = usePoll(
    async () => (await read<{ scenarios: LabScenario[] }>('/failure-lab')).scenarios,
    `failure-lab:${workspace.id}`,
    5_000,
  );
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const run = async (doing: string, action: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setStatus(doing);
    try {
      setStatus(await action());
      await polled.reload();
      announceLabChange();
    } catch (e) {
      setStatus('');
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const switchOn = (name: string, request: LabSwitchRequest) =>
    void run('Switching on…', async () => {
      await write('PUT', `/failure-lab/${encodeURIComponent(name)}`, request);
      return `${name} is on`;
    });
  const switchOff = (name: string) =>
    void run('Switching off…', async () => {
      await write('DELETE', `/failure-lab/${encodeURIComponent(name)}`);
      return `${name} is off`;
    });
  const allOff = () =>
    void run('Switching everything off…', async () => {
      const { switchedOff } = await write<{ switchedOff: number }>('DELETE', '/failure-lab');
      return switchedOff === 0 ? 'Nothing was on' : `Switched off ${switchedOff} scenario(s)`;
    });

  const scenarios = polled.data;
  return (
    <section aria-labelledby="lab-title">
      <h1 id="lab-title">Failure lab</h1>
      <p className="lead">
        Real failures reported by MCP clients in the field, switched on from the server's side so you can reproduce a
        broken connection and check a client's fix. A switch applies to the very next request (the same switches as{' '}
        <code>pnpm lab</code>); the lab is off in production.
      </p>
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
      <InlineError message={error} />
      {polled.error && <InlineError message={`Could not load the failure lab: ${polled.error}`} />}
      {isAdmin && scenarios?.some((scenario) => scenario.state !== null) && (
        <button type="button" className="danger small" disabled={busy} onClick={allOff}>
          Switch all off
        </button>
      )}
      {scenarios === undefined
        ? !polled.error && <Loading what="the failure lab" />
        : scenarios.map((scenario) => (
            <LabScenarioCard
              key={scenario.name}
              scenario={scenario}
              workspaceName={workspace.name}
              isAdmin={isAdmin}
              busy={busy}
              onSwitchOn={(request) => switchOn(scenario.name, request)}
              onSwitchOff={() => switchOff(scenario.name)}
            />
          ))}
    </section>
  );
}
