// A test stack builds the services only where a source changed since their bundles were built.
import { statSync, utimesSync } from 'node:fs';
import { expect, it } from 'vitest';
import { buildServices, serviceBundle } from '../src/build-services.ts';

const builtAt = () => statSync(serviceBundle('openapi')).mtimeMs;

it('keeps a bundle newer than its sources, and builds one older than any of them', async () => {
  await buildServices(['openapi']);
  const built = builtAt();

  await buildServices(['openapi'], { ifChanged: true });
  expect(builtAt()).toBe(built);

  // As if a source had been saved after the build: the bundle dates from before every source.
  const longAgo = new Date('2001-01-01T00:00:00Z');
  utimesSync(serviceBundle('openapi'), longAgo, longAgo);
  await buildServices(['openapi'], { ifChanged: true });
  expect(builtAt()).toBeGreaterThan(built);
});
