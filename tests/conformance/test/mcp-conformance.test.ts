// The MCP conformance suite (@modelcontextprotocol/conformance, written by the MCP maintainers, not
// here) against the real stack: the OpenAPI and auth services on an embedded PostgreSQL, a token from
// the real OAuth flow, and a loopback proxy adding it. The stack's public URL is the proxy's
// (http://localhost:<port>), and the suite addresses it as 127.0.0.1, as the finding did.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listServerScenarios, runServerSuite, type SuiteRun } from '@enginy/mcp-conformance/run';
import { freePort } from '@enginy/stack/ports';
import { startTestStack, type TestStack } from '@enginy/stack/test-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type BearerProxy, startBearerProxy } from '../src/bearer-proxy.ts';
import { accessToken } from '../src/token.ts';

const EXPECTED_FAILURES = fileURLToPath(new URL('../expected-failures.yml', import.meta.url));
/** The scenarios that do not apply to this server, each with its reason in the file's comments. */
const notApplicable = (parse(readFileSync(EXPECTED_FAILURES, 'utf8')) as { server: string[] }).server;

let stack: TestStack;
let proxy: BearerProxy;
let outputDir: string;
let run: SuiteRun;
let scenarios: string[];

beforeAll(async () => {
  const [publicPort, servicePort] = [await freePort(), await freePort()];
  stack = await startTestStack({
    only: ['openapi', 'auth'],
    env: {
      OPENAPI_PORT: String(servicePort),
      OPENAPI_URL: `http://localhost:${publicPort}`,
      OPENAPI_INTERNAL_URL: `http://localhost:${servicePort}`,
    },
  });
  proxy = await startBearerProxy({
    port: publicPort,
    target: stack.config.openapi.internalUrl,
    token: await accessToken(stack.config),
  });
  outputDir = mkdtempSync(join(tmpdir(), 'enginy-conformance-'));
  [scenarios, run] = await Promise.all([
    listServerScenarios(),
    runServerSuite({ url: `${proxy.url}/mcp`, outputDir, expectedFailures: EXPECTED_FAILURES }),
  ]);
});

afterAll(async () => {
  await proxy?.close();
  await stack?.close();
  if (outputDir) rmSync(outputDir, { recursive: true, force: true });
});

const failures = (name: string) =>
  run.scenarios
    .find((result) => result.scenario === name)
    ?.checks.filter((check) => check.status === 'FAILURE' || check.status === 'WARNING')
    .map((check) => `${check.id}: ${check.errorMessage ?? check.status}`);

describe('MCP conformance suite 0.1.16, server scenarios (--suite all)', () => {
  it('ran every server scenario of the suite', () => {
    expect(run.scenarios.map((result) => result.scenario).sort()).toEqual([...scenarios].sort());
  });

  it('lists only scenarios that exist and still fail (a fixed one must leave the list)', () => {
    expect(notApplicable.filter((name) => !scenarios.includes(name))).toEqual([]);
    const failed = run.scenarios.filter((result) => !result.passed).map((result) => result.scenario);
    expect(failed.sort()).toEqual([...notApplicable].sort());
  });

  it.each(['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'])('%s passes', (name) => {
    expect(failures(name)).toEqual([]);
  });

  it('passes every applicable scenario: the suite agrees with the expected-failures list', () => {
    expect(run.exitCode, run.output.slice(-3000)).toBe(0);
  });
});
