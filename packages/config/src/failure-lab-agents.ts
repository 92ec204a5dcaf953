// What each real agent was seen to do with each failure-lab scenario switched on: observations, never
// expectations. One file per agent under failure-lab-agents/, written from what its e2e test
// (tests/e2e/test/lab-agents-<agent>.test.ts) saw, and asserted by that same test, so a new agent
// version that behaves differently fails loudly. The README's scenario × agent table and the console's
// failure-lab page are both rendered from here.
import type { LabScenarioName } from './failure-lab.ts';
import { CLAUDE_CODE } from './failure-lab-agents/claude-code.ts';
import { CLINE } from './failure-lab-agents/cline.ts';
import { CODEX } from './failure-lab-agents/codex.ts';
import { COPILOT_CLI } from './failure-lab-agents/copilot-cli.ts';
import { GEMINI } from './failure-lab-agents/gemini.ts';
import { INSPECTOR } from './failure-lab-agents/inspector.ts';
import { MCP_REMOTE } from './failure-lab-agents/mcp-remote.ts';
import { OPENCODE } from './failure-lab-agents/opencode.ts';
import { QWEN_CODE } from './failure-lab-agents/qwen-code.ts';
import type { LabAgentRecord } from './failure-lab-agents/record.ts';
import { SDK_CLIENT } from './failure-lab-agents/sdk-client.ts';

export type { LabAgentObservation, LabAgentRecord, LabReaction } from './failure-lab-agents/record.ts';

/** Every agent measured so far, in the README's column order. Each agent's file adds itself here. */
export const LAB_AGENTS: readonly LabAgentRecord[] = [
  SDK_CLIENT,
  MCP_REMOTE,
  CLAUDE_CODE,
  CODEX,
  GEMINI,
  OPENCODE,
  INSPECTOR,
  QWEN_CODE,
  COPILOT_CLI,
  CLINE,
];

/** One row per scenario the agents were seen against: what each did, for the console and the README. */
export function labAgentsSeen(scenario: LabScenarioName) {
  return LAB_AGENTS.flatMap((record) =>
    record.observations
      .filter((observation) => observation.scenario === scenario)
      .map((observation) => ({
        agent: `${record.agent} ${record.version}`,
        reaction: observation.reaction,
        seen: observation.seen,
        source: observation.report ?? record.test,
      })),
  );
}

/** Table cells hold plain text: no column breaks, tags or emphasis from what an agent printed. */
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('*', '\\*');

/**
 * The README's scenario × agent table (Markdown): one row per built scenario, one column per agent,
 * each cell the reaction in bold, what was seen, and the public report where there is one.
 */
export function labAgentsTable(scenarios: readonly { name: LabScenarioName; planned?: boolean }[]): string {
  const header = ['Scenario', ...LAB_AGENTS.map((record) => `${record.agent} ${record.version}`)];
  const rows = scenarios
    .filter((scenario) => scenario.planned !== true)
    .map((scenario) => [
      `\`${scenario.name}\``,
      ...LAB_AGENTS.map((record) => {
        const observation = record.observations.find((o) => o.scenario === scenario.name);
        if (observation === undefined) return 'not measured';
        const report = observation.report === undefined ? '' : ` ([report](${observation.report}))`;
        return `**${observation.reaction}**: ${cell(observation.seen)}${report}`;
      }),
    ]);
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}
