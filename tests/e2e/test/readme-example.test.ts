// The README's "Integration tests against localhost" example is a test that runs
// (integration-example.test.ts): its code block must be that file, character for character.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

it("the README's integration-test example is integration-example.test.ts verbatim", () => {
  const readme = read('../../../README.md');
  const section = readme.split('\n## Integration tests against localhost\n')[1]?.split('\n## ')[0] ?? '';
  const block = /```ts\n([\s\S]*?)```\n/.exec(section)?.[1];
  expect(block).toBe(read('./integration-example.test.ts'));
});
