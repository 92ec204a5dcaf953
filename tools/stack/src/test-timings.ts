// Where `pnpm test:all`'s time goes: seconds per package and the slowest files, from the JSON results
// vitest writes for each package (--reporter=json). Pure, so it is tested on a recorded report.
import { relative } from 'node:path';

/** The part of vitest's JSON report these tables read. */
export interface VitestReport {
  /** When vitest started (ms since the epoch): before collecting and importing any file. */
  startTime: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; startTime: number; endTime: number }[];
}

export interface PackageResults {
  name: string;
  report: VitestReport;
}

/**
 * Both tables as text. A package's seconds run from vitest's start to its last test's end, so they
 * hold start-up, imports and every file's set-up. A file's seconds are what vitest's JSON can say:
 * from its first test's start to its last test's end, which leaves out its beforeAll (a stack it
 * starts there counts in its package's seconds, not its own).
 */
export function timingTables(packages: readonly PackageResults[], root: string, slowest = 10): string {
  const perPackage = packages
    .map(({ name, report }) => ({ name, seconds: packageSeconds(report), files: report.testResults.length }))
    .sort((a, b) => b.seconds - a.seconds);
  const files = packages
    .flatMap(({ report }) =>
      report.testResults.map((file) => ({
        name: relative(root, file.name),
        seconds: (file.endTime - file.startTime) / 1000,
      })),
    )
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, slowest);
  const total = perPackage.reduce((sum, row) => sum + row.seconds, 0);
  return [
    table(
      'Seconds per package (vitest start to last test end)',
      ['package', 'seconds', 'files'],
      [
        ...perPackage.map((row) => [row.name, row.seconds.toFixed(1), String(row.files)]),
        ['total', total.toFixed(1), String(perPackage.reduce((sum, row) => sum + row.files, 0))],
      ],
    ),
    table(
      `The ${files.length} slowest files (first test start to last test end; beforeAll not counted)`,
      ['file', 'seconds'],
      files.map((row) => [row.name, row.seconds.toFixed(2)]),
    ),
  ].join('\n');
}

function packageSeconds(report: VitestReport): number {
  const end = Math.max(report.startTime, ...report.testResults.map((file) => file.endTime));
  return (end - report.startTime) / 1000;
}

/** An aligned text table: the first column left-aligned, the figures right-aligned. */
function table(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [title, line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line), ''].join('\n');
}
