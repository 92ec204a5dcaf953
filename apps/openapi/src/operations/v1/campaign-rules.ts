import { apiError } from '../../errors.ts';
import type { CampaignStatus, StepInput } from '../../schemas/campaigns.ts';

/** Which status a campaign may move to from each status. FINISHED is final. */
export const TRANSITIONS: Record<CampaignStatus, readonly CampaignStatus[]> = {
  DRAFT: ['ACTIVE', 'FINISHED'],
  ACTIVE: ['PAUSED', 'FINISHED'],
  PAUSED: ['ACTIVE', 'FINISHED'],
  FINISHED: [],
};

/**
 * What the schema cannot say about a sequence: `end` closes a branch, so it may only be a branch's
 * last step. Throws a 422 pointing at the offending step, e.g. `steps[1].onFalse[0].type`.
 */
export function checkSteps(steps: readonly StepInput[], path = 'steps'): void {
  steps.forEach((step, index) => {
    const here = `${path}[${index}]`;
    if (step.type === 'end' && index !== steps.length - 1) {
      throw apiError('validation_error', `${here}.type "end" must be the last step of its branch`, [
        { path: `${here}.type`, message: '"end" must be the last step of its branch' },
      ]);
    }
    if (step.onTrue) checkSteps(step.onTrue, `${here}.onTrue`);
    if (step.onFalse) checkSteps(step.onFalse, `${here}.onFalse`);
  });
}
