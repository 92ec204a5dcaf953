// What the failure-lab agent tests read back from the console's Flows view (the steps a client took
// since a moment, one line each, so that a test compares what it sent with what was recorded), and
// what the agent's record says it does.
import type { LabScenarioName } from '@enginy/config/failure-lab';
import type { LabAgentRecord, LabReaction } from '@enginy/config/failure-lab-agents/record';
import type { ConsoleClient, ConsoleFlow } from '@enginy/testing/console-client';
import { expect } from 'vitest';

export type FlowStep = ConsoleFlow['steps'][number];

/** Every step since `since` but discovery and MCP calls, oldest first. */
export async function labStepsSince(api: ConsoleClient, since: number): Promise<FlowStep[]> {
  return (await api.flows({ limit: 200 }))
    .flatMap((flow) => flow.steps)
    .filter((step) => Date.parse(step.at) >= since && step.step !== 'discovery' && step.step !== 'mcp')
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** What the authorization server says when a refresh token comes a second time (refresh-no-grace). */
export const REFRESH_REUSED =
  'The refresh token was already used; the connection is revoked and must be authorized again';
/** The step line of a refresh refused for a spent or revoked token (stepLine below). */
export const REFRESH_REFUSED = 'refresh 400 invalid_grant';

/** "token 200", "refresh 503 temporarily_unavailable": the step, its status and its error. */
export const stepLine = (step: FlowStep) => `${step.step} ${step.status}${step.error === null ? '' : ` ${step.error}`}`;

/**
 * A file's `seen(scenario, reaction)`: holds that the agent's record gives `scenario` this reaction,
 * and returns what the record says it did (its quoted message), for the test to compare with what it
 * observes now.
 */
export function recordOf(record: LabAgentRecord): (scenario: LabScenarioName, reaction: LabReaction) => string {
  return (scenario, reaction) => {
    const observation = record.observations.find((o) => o.scenario === scenario);
    expect(observation?.reaction).toBe(reaction);
    return observation?.seen ?? '';
  };
}
