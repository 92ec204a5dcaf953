// What a client sent the authorization server, as the console's Flows view shows it: for the tests
// that read an agent's reaction to a failure-lab scenario back from the view.
import type { ConsoleClient, ConsoleFlow } from '@enginy/testing/console-client';

export type FlowStep = ConsoleFlow['steps'][number];

/** Every step after discovery (and other than the MCP call) since `since`, oldest first. */
export async function stepsSince(api: ConsoleClient, since: number): Promise<FlowStep[]> {
  return (await api.flows({ limit: 200 }))
    .flatMap((flow) => flow.steps)
    .filter((step) => Date.parse(step.at) >= since && step.step !== 'discovery' && step.step !== 'mcp')
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** A step in one line: `refresh 401 invalid_client`. */
export const stepLine = (step: FlowStep) => `${step.step} ${step.status}${step.error === null ? '' : ` ${step.error}`}`;

export const linesSince = async (api: ConsoleClient, since: number) => (await stepsSince(api, since)).map(stepLine);
