import type { Measurement } from './measure.ts';
import type { MemoryRow } from './memory.ts';
import type { DevStartup } from './startup/dev.ts';
import type { ProductionStartup } from './startup/production.ts';
import type { ProcessMemory } from './startup/stack-processes.ts';
import { fixed, printTable } from './table.ts';
import type { VerificationTiming } from './verification.ts';

export interface Results {
  labels: Record<string, string>;
  load: Measurement[];
  memory?: MemoryRow[];
  verification?: VerificationTiming;
  dev?: DevStartup;
  production?: ProductionStartup;
}

const at = (rows: Measurement[], scenario: string, connections: number) =>
  rows.find((row) => row.scenario === scenario && row.connections === connections);
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The load, memory and verification tables: printed as soon as the stack has been measured. */
export function printLoadResults(results: Results): void {
  const { load } = results;
  if (load.length > 0) {
    printTable(
      'Load (autocannon, keep-alive connections, closed loop; authflow: sequential flows per connection)',
      ['scenario', 'conns', 'rate', 'unit', 'p50 ms', 'p99 ms', 'requests', 'errors', 'CPU µs/req'],
      load.map((row) => [
        results.labels[row.scenario] ?? row.scenario,
        String(row.connections),
        fixed(row.rate),
        row.unit,
        fixed(row.p50, 1),
        fixed(row.p99, 1),
        String(row.total),
        String(row.errors),
        row.cpuUs === undefined ? '' : fixed(row.cpuUs),
      ]),
    );
    const levels = [...new Set(load.map((row) => row.connections))];
    const pairs = levels.flatMap((c) => {
      const ours = at(load, 'mcp', c);
      const peer = at(load, 'peer', c);
      const bare = at(load, 'bare', c);
      if (ours === undefined || (peer === undefined && bare === undefined)) return [];
      return [
        [
          String(c),
          peer ? `${fixed(ours.rate / peer.rate, 2)}×` : '',
          peer ? `${fixed(ours.p99, 1)} / ${fixed(peer.p99, 1)}` : '',
          bare ? `${fixed(ours.rate / bare.rate, 2)}` : '',
          [ours, peer, bare].map((row) => (row?.cpuUs === undefined ? '–' : fixed(row.cpuUs))).join(' / '),
        ],
      ];
    });
    if (pairs.length > 0) {
      printTable(
        'mcp_whoami: ours against the peer and the bare route',
        ['conns', 'req/s ours/peer', 'p99 ms ours / peer', 'req/s ours/bare', 'CPU µs/req ours / peer / bare'],
        pairs,
      );
    }
  }
  const memoryRows: string[][] = [];
  // Shell wrappers and the like (a few MB each) would only lengthen the table.
  for (const row of (results.memory ?? []).filter((r) => r.peakMb >= 8))
    memoryRows.push([
      `${row.owner}${row.server ? '' : ' (helper)'}`,
      row.process,
      fixed(row.idleMb),
      fixed(row.peakMb),
      fixed(row.afterMb),
    ]);
  if (memoryRows.length > 0)
    printTable(
      'Memory of the benchmarked processes (RSS MB; peak sampled every 250 ms under load)',
      ['process', 'command', 'idle', 'peak under load', 'after load'],
      memoryRows,
      2,
    );

  if (results.verification) {
    const v = results.verification;
    process.stdout.write(
      `\nToken verification, isolated: the MCP bearer check's own functions, ${v.samples} calls in a row at concurrency 1\n` +
        `  first use (keyed hash + live-token lookup, one PostgreSQL query): p50 ${fixed(v.lookupP50Ms, 3)} ms (hash alone ${fixed(v.hashP50Ms * 1000, 1)} µs), p99 ${fixed(v.lookupP99Ms, 3)} ms\n` +
        `  remembered (keyed hash + fence on the token-validity feed):      p50 ${fixed(v.fenceP50Ms, 3)} ms, p99 ${fixed(v.fenceP99Ms, 3)} ms\n`,
    );
  }
}

/** The start-up tables, then the goals table over everything measured. */
export function printStartupAndGoals(results: Results): void {
  const startup = [...(results.dev?.runs ?? []), ...(results.production?.runs ?? [])];
  if (startup.length > 0)
    printTable(
      'Start-up',
      ['run', 'seconds'],
      startup.map((run) => [run.label, fixed(run.readyMs / 1000, 2)]),
    );
  const phases = results.dev?.phases ?? [];
  if (phases.length > 0)
    printTable(
      'pnpm dev, last warm run: when each step was printed',
      ['step', 'seconds'],
      phases.map((p) => [p.label, fixed(p.readyMs / 1000, 2)]),
    );
  const idle: ProcessMemory[] = [...(results.dev?.idle ?? []), ...(results.production?.idle ?? [])].filter(
    (p) => p.rssMb >= 8,
  );
  if (idle.length > 0)
    printTable(
      'Idle memory after start-up (RSS MB, 5 s after ready)',
      ['stack', 'command', 'RSS'],
      idle.map((p) => [`${p.owner}${p.server ? '' : ' (helper)'}`, p.process, fixed(p.rssMb)]),
      2,
    );

  printGoals(results);
}

/** A goal, what was measured for it, and whether it was met (undefined: not decided). */
export type Goal = [string, string, boolean | undefined];

/**
 * One goal comparing two measured rows. A row with errors decides nothing: an error (a 429 once a
 * per-minute limit is reached, a refused token) is answered sooner than the work it stands for, so
 * its rate would pass a goal the service did not meet.
 */
export function comparisonGoal(
  goal: string,
  [ours, theirs]: readonly [Measurement | undefined, Measurement | undefined],
  missing: string,
  measured: (ours: Measurement, theirs: Measurement) => string,
  meets: (ours: Measurement, theirs: Measurement) => boolean,
): Goal {
  if (ours === undefined || theirs === undefined) return [goal, missing, undefined];
  const failing = [ours, theirs].filter((row) => row.errors > 0);
  if (failing.length > 0)
    return [
      goal,
      `not counted: ${failing.map((row) => `${row.scenario} at ${row.connections} conns had ${row.errors} errors`).join('; ')}`,
      undefined,
    ];
  return [goal, measured(ours, theirs), meets(ours, theirs)];
}

function printGoals(results: Results): void {
  const { load } = results;
  const top = Math.max(0, ...load.filter((row) => row.scenario === 'mcp').map((row) => row.connections));
  const atTop = [at(load, 'mcp', top), at(load, 'peer', top)] as const;
  const goals: Goal[] = [];
  goals.push(
    comparisonGoal(
      'tools/call req/s ≥ 1.5× the peer',
      atTop,
      'not measured',
      (ours, peer) =>
        `${fixed(ours.rate / peer.rate, 2)}× at ${top} conns (${fixed(ours.rate)} vs ${fixed(peer.rate)})`,
      (ours, peer) => ours.rate >= 1.5 * peer.rate,
    ),
  );
  goals.push(
    comparisonGoal(
      'tools/call p99 no worse than the peer',
      atTop,
      'not measured',
      (ours, peer) => `${fixed(ours.p99, 1)} vs ${fixed(peer.p99, 1)} ms at ${top} conns`,
      (ours, peer) => ours.p99 <= peer.p99,
    ),
  );
  // Issue 15's two goals, each from one run side by side: at one connection against the peer, and at
  // 50 connections (the highest level measured when 50 is not) against the bare route.
  goals.push(
    comparisonGoal(
      'mcp_whoami at 1 conn ≥ 1.2× the peer',
      [at(load, 'mcp', 1), at(load, 'peer', 1)],
      'not measured (needs mcp and peer at 1 connection)',
      (one, peer) => `${fixed(one.rate / peer.rate, 2)}× at 1 conn (${fixed(one.rate)} vs ${fixed(peer.rate)})`,
      (one, peer) => one.rate >= 1.2 * peer.rate,
    ),
  );
  const busy = at(load, 'mcp', 50) ? 50 : top;
  goals.push(
    comparisonGoal(
      'mcp_whoami at 50 conns ≥ 1/3 of the bare route',
      [at(load, 'mcp', busy), at(load, 'bare', busy)],
      'not measured',
      (ours, bare) =>
        `${fixed(ours.rate / bare.rate, 2)} at ${busy} conns (${fixed(ours.rate)} vs ${fixed(bare.rate)})`,
      (ours, bare) => ours.rate * 3 >= bare.rate,
    ),
  );
  // Issue 24's: the database-reading tool, its handler called directly, against the same bare route.
  const readBusy = at(load, 'read', 50)
    ? 50
    : Math.max(0, ...load.filter((row) => row.scenario === 'read').map((row) => row.connections));
  goals.push(
    comparisonGoal(
      'get_credits (read) at 50 conns ≥ 1/4 of the bare route',
      [at(load, 'read', readBusy), at(load, 'bare', readBusy)],
      'not measured',
      (read, bare) =>
        `${fixed(read.rate / bare.rate, 2)} at ${readBusy} conns (${fixed(read.rate)} vs ${fixed(bare.rate)})`,
      (read, bare) => read.rate * 4 >= bare.rate,
    ),
  );
  const v = results.verification;
  goals.push([
    'token verification adds ≤ 1 ms p50',
    v ? `${fixed(v.lookupP50Ms, 3)} ms` : 'not measured',
    v ? v.lookupP50Ms <= 1 : undefined,
  ]);
  const warm = (results.dev?.runs ?? []).filter((run) => run.label.includes('warm')).map((run) => run.readyMs / 1000);
  goals.push([
    'warm pnpm dev ≤ 8 s',
    warm.length > 0 ? `${fixed(median(warm), 2)} s (median of ${warm.length})` : 'not measured',
    warm.length > 0 ? median(warm) <= 8 : undefined,
  ]);
  const servers = (results.memory ?? []).filter(
    (row) => row.server && (row.owner === 'openapi' || row.owner === 'auth'),
  );
  const worst = servers.reduce<MemoryRow | undefined>(
    (max, row) => (max === undefined || row.peakMb > max.peakMb ? row : max),
    undefined,
  );
  goals.push([
    'each Fastify process ≤ 150 MB RSS under load',
    worst
      ? `max ${fixed(worst.peakMb)} MB (${worst.owner}); ${servers.map((s) => `${s.owner} ${fixed(s.peakMb)}`).join(', ')}`
      : 'not measured',
    worst ? worst.peakMb <= 150 : undefined,
  ]);
  printTable(
    'Goals (this machine, shared: figures are indicative)',
    ['goal', 'measured', 'result'],
    goals.map(([goal, measured, met]) => [goal, measured, met === undefined ? '—' : met ? 'met' : 'MISSED']),
    2,
  );
}
