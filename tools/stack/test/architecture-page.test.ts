// ARCHITECTURE.md tells the truth about what it names: every file, folder, migration, package
// subpath and script it puts in backticks exists, every code name it puts in backticks is exported
// by the project's source, and a name written right after a file (`redirect-uri.ts`
// `redirectUriRegistrable`) is exported by that very file. A rename that leaves the page behind fails
// here, naming the sentence's words.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/processes.ts';

const page = readFileSync(join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8');
const files = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n');
const folders = new Set(
  files.flatMap((file) =>
    file
      .split('/')
      .slice(0, -1)
      .map((_, i, parts) => `${parts.slice(0, i + 1).join('/')}/`),
  ),
);
const sources = files.filter((file) => /^(apps|packages)\/.*\.tsx?$/.test(file) && !file.includes('/test/'));
const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);
// pnpm's own commands that the page names (`pnpm deploy --prod`), beside the root package's scripts.
const PNPM_COMMANDS = ['deploy', 'install'];
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

/** Every `code span` of the page, with the span written right before it on the same line, if any. */
function spans(): { text: string; before: string | undefined }[] {
  return page.split('\n').flatMap((line) => {
    const found = [...line.matchAll(/`([^`]+)`( ?)/g)];
    return found.map((match, i) => {
      const previous = found[i - 1];
      const adjacent = previous !== undefined && previous.index + previous[0].length === match.index;
      return { text: match[1] as string, before: adjacent && previous[2] === ' ' ? previous[1] : undefined };
    });
  });
}

const FILE = /^[\w./-]+\.(ts|tsx|cjs|mjs|json|md)$/;
const FOLDER = /^[\w./-]+\/$/;
const MIGRATION = /^\d{4}-[a-z-]+$/;
const PACKAGE_PATH = /^@enginy\/([\w-]+)(\/[\w/-]+)?$/;
const CHECK = /^check-[a-z-]+$/;
// camelCase or PascalCase with a second word: a code name, not a word of prose or a constant.
const CODE_NAME = /^(?:[a-z]+|[A-Z][a-z]+)(?:[A-Z][a-z0-9]*)+$/;

/** The repository files whose path ends with `path` (a path may be written from its app's `src/`). */
const filesEnding = (path: string) => files.filter((file) => file === path || file.endsWith(`/${path}`));
const exportsName = (file: string, name: string) =>
  new RegExp(
    `export (?:default )?(?:async )?(?:function\\*? |const |let |class |interface |type |abstract class )${name}\\b`,
  ).test(read(file));
/** A name the source uses from elsewhere: imported from a dependency, a field of an API contract, or a lint rule set on. */
const usedName = (name: string) =>
  sources.some((file) => new RegExp(`import (?:type )?\\{[^}]*\\b${name}\\b[^}]*\\} from '(?!\\.)`).test(read(file))) ||
  files.some(
    (file) => file.startsWith('packages/contracts/src/') && new RegExp(`\\b${name}: Type\\.`).test(read(file)),
  ) ||
  read('biome.json').includes(`"${name}"`);

/** Why the span is false, or undefined when what it names exists. */
function falsehood(text: string, before: string | undefined): string | undefined {
  if (text.startsWith('pnpm ')) {
    const script = text.split(' ')[1] as string;
    return scripts.includes(script) || PNPM_COMMANDS.includes(script)
      ? undefined
      : `no script "${script}" in package.json`;
  }
  if (FOLDER.test(text) && text !== '../') {
    return [...folders].some((folder) => folder === text || folder.endsWith(`/${text}`)) ? undefined : 'no such folder';
  }
  if (FILE.test(text)) return filesEnding(text).length > 0 ? undefined : 'no such file';
  if (MIGRATION.test(text)) {
    return filesEnding(`packages/db/src/migrations/${text}.ts`).length > 0 ? undefined : 'no such migration';
  }
  if (CHECK.test(text)) return filesEnding(`oauth/authorize/${text}.ts`).length > 0 ? undefined : 'no such check';
  const scoped = PACKAGE_PATH.exec(text);
  if (scoped !== null) {
    const manifest = files.find(
      (file) =>
        /^(apps|packages)\/[\w-]+\/package\.json$/.test(file) && read(file).includes(`"name": "@enginy/${scoped[1]}"`),
    );
    if (manifest === undefined) return 'no such package';
    if (scoped[2] === undefined) return undefined;
    const exported = JSON.parse(read(manifest)).exports ?? {};
    return `.${scoped[2]}` in exported ? undefined : `@enginy/${scoped[1]} exports no ${scoped[2]}`;
  }
  if (CODE_NAME.test(text)) {
    const named = before !== undefined && FILE.test(before) ? filesEnding(before) : [];
    if (named.length > 0)
      return named.some((file) => exportsName(file, text)) ? undefined : `not exported by ${before}`;
    return sources.some((file) => exportsName(file, text)) || usedName(text) ? undefined : 'exported by no source file';
  }
  return undefined;
}

describe('ARCHITECTURE.md', () => {
  const named = spans();

  it('names files, folders, migrations, packages and code (the check reads enough of the page)', () => {
    const kinds = named.map(({ text }) =>
      FILE.test(text) ? 'file' : CODE_NAME.test(text) ? 'code' : MIGRATION.test(text) ? 'migration' : 'other',
    );
    expect(kinds.filter((kind) => kind === 'file').length).toBeGreaterThan(60);
    expect(kinds.filter((kind) => kind === 'code').length).toBeGreaterThan(20);
    expect(kinds.filter((kind) => kind === 'migration').length).toBeGreaterThan(2);
  });

  it('every file, folder, migration, package subpath, script and code name it names exists', () => {
    const wrong = named.flatMap(({ text, before }) => {
      const why = falsehood(text, before);
      return why === undefined ? [] : [`\`${text}\`: ${why}`];
    });
    expect(wrong).toEqual([]);
  });

  it('each policy rule has a test file in packages/policy/test/ named like it', () => {
    expect(page).toContain(
      'Each policy rule has one table-driven test file in `packages/policy/test/`, named like the rule.',
    );
    const tests = files
      .filter((file) => file.startsWith('packages/policy/test/'))
      .map((file) => file.split('/').at(-1));
    const untested = files
      .filter((file) => /^packages\/policy\/src\/[\w-]+\.ts$/.test(file))
      .map((file) => (file.split('/').at(-1) as string).replace(/\.ts$/, ''))
      .filter((rule) => !tests.some((test) => test === `${rule}.test.ts` || test?.startsWith(`${rule}-`)));
    expect(untested).toEqual([]);
  });

  it('would catch a renamed file and a name its file does not export', () => {
    expect(falsehood('packages/policy/src/redirect-uri-old.ts', undefined)).toBe('no such file');
    expect(falsehood('redirectUriRegistered', 'redirect-uri.ts')).toBe('not exported by redirect-uri.ts');
    expect(falsehood('redirectUriRegistrable', 'redirect-uri.ts')).toBeUndefined();
    expect(falsehood('0099-never', undefined)).toBe('no such migration');
  });
});
