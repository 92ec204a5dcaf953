// The checklist the doctor prints: one step per thing that must go right for Claude Code to connect,
// in the order Claude Code meets them. A failed step carries the product's troubleshooting entry and
// the concrete fix; every step after it is skipped.
import { AUTHORIZATION_MESSAGES } from '@enginy/policy/authorization';

export const STEPS = [
  ['reachable', 'MCP server reachable (401 challenge)'],
  ['resource-metadata', 'Protected-resource metadata valid (resource equals the MCP URL)'],
  ['auth-server-metadata', 'Authorization-server metadata valid (issuer, S256)'],
  ['token-endpoint', 'Token endpoint answers OAuth JSON'],
  ['registration', 'Client registered'],
  ['callback-listener', 'Callback listener ready'],
  ['redirect-uri', 'Redirect URI accepted'],
  ['client-id', 'Client ID accepted'],
  ['workspace-policy', 'MCP enabled, policy active with scopes'],
  ['scopes', 'Requested scopes within the policy'],
  ['consent', 'Consent approved in the browser'],
  ['token-exchange', 'Token exchange'],
  ['bearer', 'Bearer token accepted (mcp_whoami, tools/list)'],
  ['granted-scopes', 'Granted scopes match the policy'],
] as const;

export type StepId = (typeof STEPS)[number][0];
export type StepStatus = 'pass' | 'fail' | 'skip';
/** A checklist's rows in order: id and label. */
export type StepTable<Id extends string> = readonly (readonly [Id, string])[];

/** The headings of "Common Claude Code issues" on the product page, plus the verification step. */
export const ENTRIES = {
  redirect: AUTHORIZATION_MESSAGES.redirect_uri_not_allowed,
  clientId: AUTHORIZATION_MESSAGES.client_id_not_allowed,
  scopes: AUTHORIZATION_MESSAGES.scopes_not_allowed,
  tokenPath: 'needs authentication or Cannot POST /token',
  noConnection: 'No active connection appears in Enginy',
  verify: 'Verify the connection',
} as const;

export type Entry = (typeof ENTRIES)[keyof typeof ENTRIES];

export interface Step<Id extends string = StepId> {
  id: Id;
  label: string;
  status: StepStatus;
  detail: string;
  /** The troubleshooting entry this failure belongs to. */
  entry?: Entry;
  fix?: string;
}

export interface Verdict<Id extends string = StepId> {
  /** `connected` for the connection checklist, `conformant` for `--conformance`. */
  status: 'connected' | 'conformant' | 'failed';
  /** The first failed step. */
  step?: Id;
  cause: string;
  entry?: Entry;
  fix?: string;
}

/** Who the connection acts as, from mcp_whoami, once the bearer token was accepted. */
export interface Connection {
  user: string;
  workspace: string;
  client: { id: string; name: string | null };
  grantedScopes: string[];
  policyScopes: string[];
}

/** The real client the doctor stands in for (`--as`) and the choices it made as that client. */
export interface ClientPlan {
  preset: string;
  /** "Claude Code 2.1.328". */
  client: string;
  redirectUri: string;
  redirectWhy: string;
  /** Known once the authorization server's metadata was read. */
  registration?: { kind: 'cimd' | 'dcr' | 'preregistered'; clientId?: string; why: string };
  scopes?: { requested: string[]; why: string };
}

/** A failure-lab scenario in force for the connection (mcp_whoami's failureLab). */
export interface LabNotice {
  scenario: string;
  scope: 'global' | 'this workspace';
  options: Record<string, number>;
}

export interface Report<Id extends string = StepId> {
  /** Present for `--conformance`; the connection checklist has none. */
  kind?: 'conformance';
  mcpUrl: string;
  plan?: ClientPlan;
  steps: Step<Id>[];
  verdict: Verdict<Id>;
  connection?: Connection;
  /** Present while failure-lab scenarios are on: the failures this run met may be on purpose. */
  failureLab?: LabNotice[];
}

/** A thrown failure of one step; the runner turns it into the failed row. */
export class StepFailure<Id extends string = StepId> extends Error {
  constructor(
    readonly step: Id,
    readonly detail: string,
    /** The troubleshooting entry, when the failure belongs to one. */
    readonly entry: Entry | undefined,
    readonly fix: string,
  ) {
    super(detail);
  }
}

/**
 * Collects results in order. The connection checklist is a chain: a failure marks every later step
 * skipped. The conformance checklist's rows are independent: each one not run says why (`skip`).
 */
export class Checklist<Id extends string = StepId> {
  private readonly results = new Map<Id, Pick<Step<Id>, 'status' | 'detail' | 'entry' | 'fix'>>();
  connection: Connection | undefined;
  plan: ClientPlan | undefined;
  failureLab: LabNotice[] | undefined;

  constructor(
    private readonly table: StepTable<Id> = STEPS as unknown as StepTable<Id>,
    private readonly kind: 'connection' | 'conformance' = 'connection',
  ) {}

  pass(id: Id, detail: string): void {
    this.results.set(id, { status: 'pass', detail });
  }

  fail(failure: StepFailure<Id>): void {
    // Steps between the last result and the failure were implied by it (e.g. the browser step).
    this.results.set(failure.step, {
      status: 'fail',
      detail: failure.detail,
      ...(failure.entry ? { entry: failure.entry } : {}),
      fix: failure.fix,
    });
  }

  skip(id: Id, detail: string): void {
    this.results.set(id, { status: 'skip', detail });
  }

  report(mcpUrl: string): Report<Id> {
    let failed: Step<Id> | undefined;
    const chained = this.kind === 'connection';
    const steps = this.table.map(([id, label]): Step<Id> => {
      const result = this.results.get(id);
      if ((chained && failed !== undefined) || result === undefined)
        return { id, label, status: 'skip', detail: failed && chained ? `Skipped: ${failed.label} failed` : 'Skipped' };
      const step: Step<Id> = { id, label, ...result };
      if (step.status === 'fail') failed ??= step;
      return step;
    });
    const passed: Verdict<Id> = chained
      ? { status: 'connected', cause: 'Connected: every step passed' }
      : { status: 'conformant', cause: 'Conformant: every check passed' };
    const verdict: Verdict<Id> =
      failed === undefined
        ? passed
        : {
            status: 'failed',
            step: failed.id,
            cause: failed.detail,
            ...(failed.entry ? { entry: failed.entry } : {}),
            ...(failed.fix ? { fix: failed.fix } : {}),
          };
    return {
      ...(chained ? {} : { kind: 'conformance' as const }),
      mcpUrl,
      ...(this.plan ? { plan: this.plan } : {}),
      steps,
      verdict,
      ...(this.connection ? { connection: this.connection } : {}),
      ...(this.failureLab && this.failureLab.length > 0 ? { failureLab: this.failureLab } : {}),
    };
  }
}

const MARKS: Record<StepStatus, string> = { pass: '✓', fail: '✗', skip: '·' };

/** The checklist as a person reads it at a glance. */
export function renderText<Id extends string>(report: Report<Id>): string {
  const lab = labLine(report.failureLab);
  const lines = [
    `Enginy ${report.kind ?? 'connection'} doctor: ${report.mcpUrl}`,
    ...lab,
    ...renderPlan(report.plan),
    '',
  ];
  for (const step of report.steps) {
    lines.push(`  ${MARKS[step.status]} ${step.label}${step.status === 'skip' ? ' (skipped)' : ''}`);
    // A conformance row skips for a reason of its own (no token, no metadata); a connection step, because an earlier one failed.
    if (step.status !== 'skip' || (report.kind === 'conformance' && step.detail !== 'Skipped'))
      lines.push(`      ${step.detail}`);
    if (step.entry) lines.push(`      Troubleshooting: "${step.entry}"`);
    if (step.fix) lines.push(`      Fix: ${step.fix}`);
  }
  lines.push('');
  const failedLabel = report.steps.find((step) => step.id === report.verdict.step)?.label ?? '';
  lines.push(
    report.verdict.status === 'failed'
      ? `Verdict: FAILED at "${failedLabel}": ${report.verdict.cause}`
      : `Verdict: ${report.verdict.cause}`,
  );
  // Said at both ends: whoever reads only the verdict still learns the stack was broken on purpose.
  lines.push(...lab);
  return lines.join('\n');
}

/** "Failure lab ON: …": the scenarios in force, or nothing while none is. */
export function labLine(lab: readonly LabNotice[] | undefined): string[] {
  if (lab === undefined || lab.length === 0) return [];
  const named = lab.map((entry) => {
    const options = Object.entries(entry.options).map(([name, value]) => ` --${name} ${value}`);
    return `${entry.scenario}${options.join('')} (${entry.scope})`;
  });
  return [
    `Failure lab ON: ${named.join(', ')}. Failures from these are on purpose; switch them off with pnpm lab off --all or on the console's Failure lab page.`,
  ];
}

const KIND: Record<NonNullable<ClientPlan['registration']>['kind'], string> = {
  cimd: 'client ID metadata document',
  dcr: 'dynamic registration',
  preregistered: 'pre-registered client',
};

/** Who the doctor connects as, and why it sends what it sends. */
function renderPlan(plan: ClientPlan | undefined): string[] {
  if (plan === undefined) return [];
  const lines = [`As ${plan.client} (--as ${plan.preset})`];
  const { registration, scopes } = plan;
  if (registration)
    lines.push(
      `  Client:       ${KIND[registration.kind]}${registration.clientId ? ` ${registration.clientId}` : ''} (${registration.why})`,
    );
  if (scopes) lines.push(`  Scopes:       ${scopes.requested.join(' ') || '(none)'} (${scopes.why})`);
  lines.push(`  Redirect URI: ${plan.redirectUri} (${plan.redirectWhy})`);
  return lines;
}
