// The web app as docker compose serves it: built (`vite build`), then `vite preview`, on the stack's
// WEB_PORT, with the stack's environment (so its proxies reach that stack's services).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const WEB = fileURLToPath(new URL('../../../apps/web/', import.meta.url));
const VITE = join(WEB, 'node_modules', '.bin', 'vite');

export interface WebPreview {
  close(): Promise<void>;
}

export async function startWebPreview(env: NodeJS.ProcessEnv, url: string): Promise<WebPreview> {
  const outDir = mkdtempSync(join(tmpdir(), 'enginy-web-preview-'));
  const args = ['--configLoader', 'runner', '--outDir', outDir];
  await promisify(execFile)(VITE, ['build', ...args, '--emptyOutDir', '--logLevel', 'warn'], { cwd: WEB, env });
  // Its own process group, so that closing it stops whatever it started.
  const child = spawn(VITE, ['preview', ...args], { cwd: WEB, env, detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const close = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(outDir, { recursive: true, force: true });
  };
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) break;
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { close };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await close();
  throw new Error(`vite preview did not answer at ${url}`);
}
