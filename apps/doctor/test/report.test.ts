import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { describe, expect, it } from 'vitest';
import { Checklist, ENTRIES, type LabNotice, renderText, STEPS, StepFailure } from '../src/report.ts';

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
    checklist.fail(
      new StepFailure(
        'scopes',
        'Requested scopes are not allowed',
        ENTRIES.scopes,
        'Reduce the requested scopes or expand the policy in Enginy',
      ),
    );
    const report = checklist.report('http://localhost:3001/mcp');
    const status = Object.fromEntries(report.steps.map((s) => [s.id, s.status]));
    expect(status).toMatchObject({
      reachable: 'pass',
      'resource-metadata': 'pass',
      'auth-server-metadata': 'skip',
      scopes: 'fail',
      consent: 'skip',
      'granted-scopes': 'skip',
    });
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
    expect(text).toContain(
      '  ✗ Protected-resource metadata valid (resource equals the MCP URL)\n      HTTP 404 with HTML\n      Troubleshooting: "needs authentication or Cannot POST /token"\n      Fix: Serve the metadata',
    );
    expect(text).toContain('  · Token exchange (skipped)');
    expect(text.split('\n').at(-1)).toBe(
      'Verdict: FAILED at "Protected-resource metadata valid (resource equals the MCP URL)": HTTP 404 with HTML',
    );
  });

  it('names the client it stands in for, its client_id kind, the scopes and why', () => {
    const checklist = new Checklist();
    checklist.plan = {
      preset: 'claude-code',
      client: 'Claude Code 2.1.328',
      redirectUri: CLAUDE_CODE_REDIRECT_URI,
      redirectWhy: "Claude Code's recipe",
      registration: {
        kind: 'cimd',
        clientId: 'https://claude.ai/oauth/claude-code-client-metadata',
        why: 'advertised',
      },
      scopes: { requested: ['CONTACTS_READ', 'offline_access'], why: 'the metadata' },
    };
    const report = checklist.report('http://localhost:3001/mcp');
    expect(report.plan?.registration?.kind).toBe('cimd');
    expect(renderText(report).split('\n').slice(0, 5)).toEqual([
      'Enginy connection doctor: http://localhost:3001/mcp',
      'As Claude Code 2.1.328 (--as claude-code)',
      '  Client:       client ID metadata document https://claude.ai/oauth/claude-code-client-metadata (advertised)',
      '  Scopes:       CONTACTS_READ offline_access (the metadata)',
      "  Redirect URI: http://localhost:3118/callback (Claude Code's recipe)",
    ]);
  });

  it('keeps the conformance rows independent: a failure skips nothing, a row not run says why', () => {
    const table = [
      ['a', 'Check A'],
      ['b', 'Check B'],
      ['c', 'Check C'],
    ] as const;
    const checklist = new Checklist<'a' | 'b' | 'c'>(table, 'conformance');
    checklist.fail(new StepFailure('a', 'A is wrong', undefined, 'Fix A'));
    checklist.skip('b', 'Skipped: needs A');
    checklist.pass('c', 'C is fine');
    const report = checklist.report('http://localhost:3001/mcp');
    expect(report.kind).toBe('conformance');
    expect(report.steps.map((s) => [s.id, s.status, s.detail])).toEqual([
      ['a', 'fail', 'A is wrong'],
      ['b', 'skip', 'Skipped: needs A'],
      ['c', 'pass', 'C is fine'],
    ]);
    expect(report.verdict).toEqual({ status: 'failed', step: 'a', cause: 'A is wrong', fix: 'Fix A' });
    const text = renderText(report);
    expect(text.split('\n')[0]).toBe('Enginy conformance doctor: http://localhost:3001/mcp');
    expect(text).toContain(
      '  ✗ Check A\n      A is wrong\n      Fix: Fix A\n  · Check B (skipped)\n      Skipped: needs A\n  ✓ Check C',
    );
    expect(text.split('\n').at(-1)).toBe('Verdict: FAILED at "Check A": A is wrong');
  });

  it('calls a conformance checklist with every row passed conformant', () => {
    const checklist = new Checklist<'a'>([['a', 'Check A']], 'conformance');
    checklist.pass('a', 'ok');
    expect(checklist.report('http://x/mcp').verdict).toEqual({
      status: 'conformant',
      cause: 'Conformant: every check passed',
    });
  });
});

describe('failure lab notice', () => {
  const lab: LabNotice[] = [
    { scenario: 'expire-access', scope: 'this workspace', options: { seconds: 5 } },
    { scenario: 'no-dcr', scope: 'global', options: {} },
  ];

  it('names every scenario in force on the first and the last line of the text, and in the JSON', () => {
    const checklist = new Checklist();
    for (const [id] of STEPS) checklist.pass(id, 'ok');
    checklist.failureLab = lab;
    const report = checklist.report('http://localhost:3001/mcp');
    expect(report.failureLab).toEqual(lab);
    const lines = renderText(report).split('\n');
    const expected =
      "Failure lab ON: expire-access --seconds 5 (this workspace), no-dcr (global). Failures from these are on purpose; switch them off with pnpm lab off --all or on the console's Failure lab page.";
    expect(lines[1]).toBe(expected);
    expect(lines.at(-1)).toBe(expected);
    expect(lines.at(-2)).toBe('Verdict: Connected: every step passed');
  });

  it('says nothing about the lab while no scenario is on', () => {
    const checklist = new Checklist();
    checklist.failureLab = [];
    const report = checklist.report('http://localhost:3001/mcp');
    expect(report).not.toHaveProperty('failureLab');
    expect(renderText(report)).not.toContain('Failure lab');
  });
});
