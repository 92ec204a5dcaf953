// Where a process spent its CPU, from a V8 .cpuprofile (see cpu-profiler.cjs): self time by function and
// by package, printed as tables. Open the same files in Chrome DevTools or speedscope for a flame graph.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixed, printTable } from './table.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/<package>`, node's own code, idle/GC/program, or the repo file. */
function owner(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url);
  if (pkg) return pkg[1] as string;
  const repo = /\/(apps|packages|tools)\/([^/]+)\//.exec(url);
  return repo ? `${repo[1]}/${repo[2]}` : url;
}

export function summarizeProfile(file: string, label: string, top = 12): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const busy = [...selfUs.entries()]
    .filter(([id]) => byId.get(id)?.callFrame.functionName !== '(idle)')
    .reduce((a, [, us]) => a + us, 0);
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined || frame.functionName === '(idle)') continue;
    const where = owner(frame.url, frame.functionName);
    const key = `${frame.functionName || '(anonymous)'}  ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    packages.set(where, (packages.get(where) ?? 0) + us);
  }
  const rows = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => [key, fixed((100 * us) / busy, 1)]);
  if (busy < 500_000) return; // a launcher or helper that mostly waited
  process.stdout.write(`\n${label} (${file}): ${fixed(total / 1e6, 1)} s profiled, ${fixed(busy / 1e6, 1)} s on CPU\n`);
  printTable('  CPU by package (% of busy self time)', ['package', '%'], rows(packages));
  printTable('  Hottest functions (self time)', ['function  where', '%'], rows(functions));
}

/** Summaries of the profiles `labels` names (file name → what was profiled), in that order. */
export function summarizeProfiles(dir: string, labels: Map<string, string>): void {
  for (const [file, label] of labels) if (existsSync(join(dir, file))) summarizeProfile(join(dir, file), label);
}
