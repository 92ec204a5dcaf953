/** Runs a one-shot database command: its result on one line, or its error on one line and exit 1. */
export async function runDatabaseTask(name: string, task: () => Promise<string>): Promise<void> {
  const started = performance.now();
  try {
    const result = await task();
    process.stdout.write(`${name}: ${result} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  } catch (error) {
    process.stderr.write(`${name} failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
