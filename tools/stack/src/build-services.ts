import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defineCommand, readCommandLine, refuse } from '@enginy/config/cli-args';
import { type BuildOptions, build, context, type Plugin } from 'esbuild';
import { REPO_ROOT } from './processes.ts';

export type Service = 'openapi' | 'auth';
export const SERVICES: readonly Service[] = ['openapi', 'auth'];

/**
 * Node flags a service runs with in production. V8 lets the old generation grow to several times
 * the live set before it collects (openapi's ~40 MB became ~130 MB under load): growing it by half
 * each time, with a young generation of 8 MB, holds resident memory near the live set for no
 * measurable CPU. Openapi under 50 connections peaked at 279 MB under tsx with V8's defaults, and
 * at 130 MB as this bundle with these flags. No --enable-source-maps: it alone costs 20 MB, and the
 * bundle is readable as it is. The apps' `start` scripts (docker compose) pass the same flags.
 */
export const SERVICE_NODE_FLAGS = ['--heap-growing-percent=50', '--max-semi-space-size=8'];

/** Where a service's production build lives: plain JavaScript that `node` runs without a loader. */
export function serviceBundle(service: Service): string {
  return join(REPO_ROOT, 'apps', service, 'dist', 'server.mjs');
}

/**
 * The sources a bundle was built from (esbuild's metafile inputs): kept out of dist/, which the
 * image copies whole.
 */
function inputsList(service: Service): string {
  return join(REPO_ROOT, 'node_modules', '.cache', 'enginy-services', `${service}.inputs.json`);
}

/**
 * Bundles each Fastify service's TypeScript (the app and the workspace packages it imports) into
 * one ES module. Its npm dependencies stay outside, imported by absolute path exactly as Node
 * would resolve them from the importing file, since pnpm gives each package only its own.
 * Running the bundle with plain `node` spares the TypeScript loader: about 50 MB per process.
 *
 * With `ifChanged` (every stack a test starts), a bundle newer than each of its sources and than
 * this file is kept as it is: a build costs about 1 s of CPU, and a test run starts some fifty
 * stacks. Each file is written beside its place and renamed onto it, so a process starting from the
 * bundle while another one builds (two test lanes) reads the old bundle or the new, never half.
 */
export async function buildServices(
  services: readonly Service[] = SERVICES,
  options: { ifChanged?: boolean } = {},
): Promise<void> {
  await Promise.all(
    services.map(async (service) => {
      if (options.ifChanged === true && bundleIsCurrent(service)) return;
      const result = await build({ ...buildOptions(service), write: false, metafile: true });
      const inputs = Object.keys(result.metafile.inputs).map((input) => join(REPO_ROOT, input));
      for (const file of [
        ...result.outputFiles,
        { path: inputsList(service), contents: Buffer.from(JSON.stringify(inputs)) },
      ]) {
        const temporary = `${file.path}.${process.pid}.tmp`;
        mkdirSync(dirname(file.path), { recursive: true });
        writeFileSync(temporary, file.contents);
        renameSync(temporary, file.path);
      }
    }),
  );
}

function bundleIsCurrent(service: Service): boolean {
  try {
    const built = statSync(serviceBundle(service)).mtimeMs;
    const inputs = JSON.parse(readFileSync(inputsList(service), 'utf8')) as string[];
    return [fileURLToPath(import.meta.url), ...inputs].every((input) => statSync(input).mtimeMs < built);
  } catch {
    // No bundle, no list, or a source gone since: build.
    return false;
  }
}

/**
 * `pnpm dev`: builds each service once, then rebuilds its bundle whenever one of its sources
 * changes (`node --watch` restarts the service on the new bundle). A change that does not compile
 * prints esbuild's errors and leaves the running service as it was.
 */
export async function watchServices(services: readonly Service[] = SERVICES): Promise<{ dispose(): Promise<void> }> {
  const contexts = await Promise.all(
    services.map(async (service) => {
      let firstBuild: () => void = () => {};
      const built = new Promise<void>((resolve) => {
        firstBuild = resolve;
      });
      const signal: Plugin = { name: 'first-build', setup: (build) => build.onEnd(() => firstBuild()) };
      const options = buildOptions(service);
      const watcher = await context({ ...options, plugins: [...(options.plugins ?? []), signal] });
      await watcher.watch();
      await built;
      return watcher;
    }),
  );
  return { dispose: async () => void (await Promise.all(contexts.map((watcher) => watcher.dispose()))) };
}

function buildOptions(service: Service): BuildOptions {
  return {
    entryPoints: [join(REPO_ROOT, 'apps', service, 'src', 'server.ts')],
    outfile: serviceBundle(service),
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [externalNpmPackages(join(REPO_ROOT, 'apps', service))],
  };
}

/**
 * npm packages stay outside the bundle, imported by their bare name, so that the bundle runs from
 * wherever the app's own node_modules is: the repository, or `pnpm deploy --prod` output in the
 * image, where the workspace packages (bundled here) are not installed at all. A workspace package's
 * npm dependency must therefore also be a dependency of the app, in the same version: the build
 * fails otherwise, rather than the service at start-up.
 */
function externalNpmPackages(appDir: string): Plugin {
  return {
    name: 'external-npm-packages',
    setup(context) {
      context.onResolve({ filter: /^[^./]/ }, async (args) => {
        // Workspace packages are TypeScript sources: bundled. Node built-ins: left as they are.
        if (args.path.startsWith('@enginy/') || args.path.startsWith('node:') || args.pluginData === 'resolving')
          return undefined;
        const options = { kind: args.kind, pluginData: 'resolving' };
        const resolved = await context.resolve(args.path, {
          ...options,
          resolveDir: args.resolveDir,
          importer: args.importer,
        });
        if (resolved.errors.length > 0 || resolved.external || !resolved.path.includes('/node_modules/'))
          return undefined;
        const fromApp = await context.resolve(args.path, { ...options, resolveDir: appDir });
        if (fromApp.path !== resolved.path) {
          const app = relative(REPO_ROOT, appDir);
          const importer = relative(REPO_ROOT, args.importer);
          return {
            errors: [
              {
                text: `${importer} imports ${args.path}, which ${app} does not resolve to the same package: add "${packageName(args.path)}" to ${app}/package.json's dependencies, in the version the importer uses`,
              },
            ],
          };
        }
        return { path: args.path, external: true };
      });
    },
  };
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export const BUILD_SERVICES_COMMAND = defineCommand({
  usage: `Usage: pnpm build:services [openapi|auth]…

Bundles each Fastify service (default: both) into apps/<service>/dist/server.mjs, the JavaScript
that production runs with plain node; fails naming any npm package the app does not declare.
`,
  positionals: true,
  options: {},
});

// `pnpm build:services [openapi|auth]…`: the first step of `pnpm build`, and the image's build step.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { positionals } = readCommandLine(BUILD_SERVICES_COMMAND);
  const unknown = positionals.filter((name) => !(SERVICES as readonly string[]).includes(name));
  if (unknown.length > 0) refuse(BUILD_SERVICES_COMMAND, `Unknown service ${unknown.join(', ')}`);
  const services = positionals.length > 0 ? (positionals as Service[]) : SERVICES;
  const started = performance.now();
  await buildServices(services);
  process.stdout.write(
    `built ${services.map((service) => `apps/${service}/dist/server.mjs`).join(', ')} in ${Math.round(performance.now() - started)} ms\n`,
  );
}
