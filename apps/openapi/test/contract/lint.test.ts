import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.ts';

// Linters nobody here wrote, on the document the running app serves: Redocly CLI (recommended
// rules) and Spectral (spectral:oas), pinned in package.json, with this package's redocly.yaml and
// .spectral.yaml, where any rule turned off says why. Zero errors and zero warnings.

let h: Harness;
let dir: string;
let file: string;
beforeAll(async () => {
  h = await startHarness();
  const origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
  const response = await fetch(`${origin}/definitions.json`);
  expect(response.status).toBe(200);
  dir = await mkdtemp(join(tmpdir(), 'enginy-definitions-'));
  file = join(dir, 'definitions.json');
  await writeFile(file, await response.text());
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs a CLI of this package; its exit code is ignored (non-zero when it finds problems), its JSON output is what counts. */
function run(bin: string, args: string[]): Promise<string> {
  const env = { ...process.env, NO_COLOR: '1', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  return new Promise((resolve, reject) => {
    execFile(
      join('node_modules', '.bin', bin),
      args,
      { env, maxBuffer: 64 * 1024 * 1024, timeout: 50_000 },
      (error, stdout, stderr) => {
        if (stdout.trim().startsWith('{') || stdout.trim().startsWith('[')) resolve(stdout);
        else reject(new Error(`${bin} ${args.join(' ')}: ${error?.message ?? ''}\n${stdout}\n${stderr}`));
      },
    );
  });
}

describe('/definitions.json under third-party linters', () => {
  it('Redocly CLI (recommended): no errors, no warnings', async () => {
    const report = JSON.parse(await run('redocly', ['lint', file, '--config', 'redocly.yaml', '--format', 'json'])) as {
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    expect(report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
  }, 60_000);

  it('Spectral (spectral:oas): no errors, no warnings', async () => {
    const results = JSON.parse(
      await run('spectral', ['lint', file, '--ruleset', '.spectral.yaml', '--format', 'json', '--quiet']),
    ) as {
      code: string;
      severity: number;
      message: string;
      path: string[];
    }[];
    expect(
      results.map(
        (r) => `${['error', 'warning', 'info', 'hint'][r.severity]} ${r.code} ${r.path.join('.')}: ${r.message}`,
      ),
    ).toEqual([]);
  }, 60_000);
});
