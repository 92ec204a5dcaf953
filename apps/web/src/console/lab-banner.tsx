import { useEffect, useRef } from 'react';
import { ApiError } from '../api.ts';
import { Link } from '../router.tsx';
import { useConsole } from './console-context.tsx';
import { onLabChange } from './lab-changed.ts';
import type { LabScenario } from './types.ts';
import { usePoll } from './use-poll.ts';

/**
 * "Never a surprise": while any failure-lab scenario is in force for the workspace, every console page
 * says which, so nobody debugs a failure someone switched on and forgot. Silent when the lab is off
 * or refused (production).
 */
export function LabBanner() {
  const { read, workspace } = useConsole();
  // In production the lab's routes refuse: asked once, then never again (no failed request every 5 s).
  const refused = useRef(false);
  const polled = usePoll(
    async () => {
      if (refused.current) return [];
      try {
        return (await read<{ scenarios: LabScenario[] }>('/failure-lab')).scenarios;
      } catch (e) {
        if (e instanceof ApiError && e.code === 'failure_lab_unavailable') refused.current = true;
        throw e;
      }
    },
    `lab-banner:${workspace.id}`,
    5_000,
  );
  const { reload } = polled;
  useEffect(() => onLabChange(() => void reload()), [reload]);
  const on = (polled.data ?? []).filter((scenario) => scenario.on);
  if (on.length === 0) return null;
  return (
    <p className="lab-banner" role="status" aria-label="Failure lab">
      <strong>Failure lab on:</strong> {on.map((scenario) => scenario.name).join(', ')}. Clients connecting to this
      stack will see these failures on purpose. <Link to="/console/lab">Open the failure lab</Link>
    </p>
  );
}
