// What the failure-lab agent tests read back from the console's Flows view: the steps a client took
// since a moment, one line each, so that a test compares what it sent with what was recorded.
import type { ConsoleClient, ConsoleFlow } from '@enginy/testing/console-client';

export type FlowStep = ConsoleFlow['steps'][number];

/** Every step since `since` but discovery and MCP calls, oldest first. */
export async function labStepsSince(api: ConsoleClient, since: number): Promise<FlowStep[]> {
  return (await api.flows({ limit: 200 }))
    .flatMap((flow) => flow.steps)
    .filter((step) => Date.parse(step.at) >= since && step.step !== 'discovery' && step.step !== 'mcp')
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** "token 200", "refresh 503 temporarily_unavailable": the step, its status and its error. */
export const stepLine = (step: FlowStep) => `${step.step} ${step.status}${step.error === null ? '' : ` ${step.error}`}`;
