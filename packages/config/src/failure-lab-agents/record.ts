// The shape of one agent's record (failure-lab-agents.ts gathers them): apart, so that each agent's
// file and the list that imports them do not import each other.
import type { LabScenarioName } from '../failure-lab.ts';

/**
 * How the agent came out of it:
 * - `unaffected`: the scenario did not touch what it did (e.g. it never registers, so no-dcr is moot);
 * - `recovers`: it got through without a new sign-in (a refresh, a retry, a new registration);
 * - `authorizes-again`: it sent the user through the browser again;
 * - `stops`: it gave up with a message (quoted in `seen`);
 * - `proceeds`: it carried on where a correct client stops (e.g. it ignored a wrong iss);
 * - `loops`: it repeated the same failing request without end (the test bounds it).
 */
export type LabReaction = 'unaffected' | 'recovers' | 'authorizes-again' | 'stops' | 'proceeds' | 'loops';

export interface LabAgentObservation {
  scenario: LabScenarioName;
  reaction: LabReaction;
  /** What it did, in a sentence; a message it printed is quoted exactly. */
  seen: string;
  /** A public report of this very behaviour, where one exists. */
  report?: string;
}

export interface LabAgentRecord {
  /** As the README names it: "Claude Code". */
  agent: string;
  /** The npm package and the exact version observed (what tests/e2e/package.json pins). */
  pkg: string;
  version: string;
  /** The test that observed these and holds them, relative to the repository root. */
  test: string;
  observations: readonly LabAgentObservation[];
}
