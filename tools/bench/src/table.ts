/** An aligned text table on stdout: the first column left-aligned, the others right-aligned. */
export function printTable(title: string, header: string[], rows: string[][], alignLeft = 1): void {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < alignLeft ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ');
  process.stdout.write(
    `\n${title}\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n${rows.map(line).join('\n')}\n`,
  );
}

export const fixed = (value: number, digits = 0) => value.toFixed(digits);
