import { describe, expect, it } from 'vitest';
import { Checklist, ENTRIES, renderText, STEPS, StepFailure } from '../src/report.ts';

describe('Checklist', () => {
  it('connects only when every step passed', () => {
    const checklist = new Checklist();
    for (const [id] of STEPS) checklist.pass(id, 'ok');
    const report = checklist.report('http://localhost:3001/mcp');
    expect(report.verdict).toEqual({ status: 'connected', cause: 'Connected: every step passed' });
    expect(report.steps.map((s) => s.status)).toEqual(STEPS.map(() => 'pass'));
  });

  it('skips every step after the first failure and names it in the verdict', () => {
    const checklist = new Checklist();
    checklist.pass('reachable', 'ok');
    checklist.pass('resource-metadata', 'ok');
    checklist.fail(new StepFailure('scopes', 'Requested scopes are not allowed', ENTRIES.scopes, 'Reduce the requested scopes or expand the policy in Enginy'));
    const report = checklist.report('http://localhost:3001/mcp');
    const status = Object.fromEntries(report.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({ reachable: 'pass', 'resource-metadata': 'pass', 'auth-server-metadata': 'skip', scopes: 'fail', consent: 'skip', 'granted-scopes': 'skip' });
    expect(report.verdict).toEqual({
      status: 'failed',
      step: 'scopes',
      cause: 'Requested scopes are not allowed',
      entry: 'Requested scopes are not allowed',
      fix: 'Reduce the requested scopes or expand the policy in Enginy',
    });
  });

  it('renders ✓/✗ per step, the troubleshooting entry and the fix', () => {
    const checklist = new Checklist();
    checklist.pass('reachable', 'POST → 401');
    checklist.fail(new StepFailure('resource-metadata', 'HTTP 404 with HTML', ENTRIES.tokenPath, 'Serve the metadata'));
    const text = renderText(checklist.report('http://localhost:3001/mcp'));
    expect(text).toContain('  ✓ MCP server reachable (401 challenge)\n      POST → 401');
    expect(text).toContain('  ✗ Protected-resource metadata valid (resource equals the MCP URL)\n      HTTP 404 with HTML\n      Troubleshooting: "needs authentication or Cannot POST /token"\n      Fix: Serve the metadata');
    expect(text).toContain('  · Token exchange (skipped)');
    expect(text.split('\n').at(-1)).toBe('Verdict: FAILED at "Protected-resource metadata valid (resource equals the MCP URL)": HTTP 404 with HTML');
  });
});
