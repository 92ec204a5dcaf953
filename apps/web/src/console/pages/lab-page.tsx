import { useConsole } from '../console-context.tsx';
import { DataStates } from '../data-states.tsx';
import { announceLabChange } from '../lab-changed.ts';
import type { LabScenario } from '../types.ts';
import { useAction } from '../use-action.tsx';
import { useConsoleData } from '../use-console-data.ts';
import { LabScenarioCard, type LabSwitchRequest } from './lab-scenario-card.tsx';

/**
 * The failure lab (the same switches as `pnpm lab`): real field failures this stack reproduces on
 * purpose, so a client's fix can be checked. Admins switch them; members read.
 */
export function LabPage() {
  const { write, workspace, isAdmin } = useConsole();
  const polled = useConsoleData<{ scenarios: LabScenario[] }>('/failure-lab', 5_000);
  const action = useAction();

  // After a switch, the list and the banner follow at once.
  const run = (doing: string, change: () => Promise<string>) =>
    void action.run(doing, change, {
      after: async () => {
        await polled.reload();
        announceLabChange();
      },
    });

  const switchOn = (name: string, request: LabSwitchRequest) =>
    run('Switching on…', async () => {
      await write('PUT', `/failure-lab/${encodeURIComponent(name)}`, request);
      return `${name} is on`;
    });
  const switchOff = (name: string) =>
    run('Switching off…', async () => {
      await write('DELETE', `/failure-lab/${encodeURIComponent(name)}`);
      return `${name} is off`;
    });
  const allOff = () =>
    run('Switching everything off…', async () => {
      const { switchedOff } = await write<{ switchedOff: number }>('DELETE', '/failure-lab');
      return switchedOff === 0 ? 'Nothing was on' : `Switched off ${switchedOff} scenario(s)`;
    });

  const scenarios = polled.data?.scenarios;
  return (
    <section aria-labelledby="lab-title">
      <h1 id="lab-title">Failure lab</h1>
      <p className="lead">
        Real failures reported by MCP clients in the field, switched on from the server's side so you can reproduce a
        broken connection and check a client's fix. A switch applies to the very next request (the same switches as{' '}
        <code>pnpm lab</code>); the lab is off in production.
      </p>
      {action.report}
      <DataStates items={scenarios} error={polled.error} what="the failure lab" failed="Could not load the failure lab">
        {(list) => (
          <>
            {isAdmin && list.some((scenario) => scenario.state !== null) && (
              <button type="button" className="danger small" disabled={action.busy} onClick={allOff}>
                Switch all off
              </button>
            )}
            {list.map((scenario) => (
              <LabScenarioCard
                key={scenario.name}
                scenario={scenario}
                workspaceName={workspace.name}
                isAdmin={isAdmin}
                busy={action.busy}
                onSwitchOn={(request) => switchOn(scenario.name, request)}
                onSwitchOff={() => switchOff(scenario.name)}
              />
            ))}
          </>
        )}
      </DataStates>
    </section>
  );
}
