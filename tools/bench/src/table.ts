import type { Measurement } from './measure.ts';

/** The measurements as an aligned text table on stdout. */
export function printTable(rows: Measurement[]): void {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors'];
  const cells = rows.map((row) => [row.label, row.requestsPerSecond.toFixed(0), String(row.p50), String(row.p99), String(row.total), String(row.non2xx), String(row.errors)]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((cell) => (cell[i] as string).length)));
  const line = (values: string[]) => values.map((value, i) => (i === 0 ? value.padEnd(widths[i] as number) : value.padStart(widths[i] as number))).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n${cells.map(line).join('\n')}\n`);
  if (rows.some((row) => row.non2xx > 0 || row.errors > 0)) process.stdout.write('\nSome requests failed (non-2xx or errors): the figures above include them.\n');
}
