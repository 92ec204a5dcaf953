// The console's error catalogue, one table: each code with its HTTP status and its usual words.
// Routes throw a ConsoleError; console-api.ts renders it in the body the web app reads
// ({ error, error_description }, plus field and value on a 422). Not OAuth errors: no RFC defines these.
const CATALOGUE = {
  /** Signed in and a member, but the change needs an admin. */
  forbidden: { status: 403, message: 'Only an admin of the workspace can change this' },
  /** The failure lab with NODE_ENV=production: its routes refuse, whoever asks. */
  failure_lab_unavailable: { status: 403, message: 'The failure lab is off in production' },
  /** Unknown, another workspace's, or not yours to see: the same answer for all three. */
  not_found: { status: 404, message: 'Not found' },
  /** The change would leave the workspace without an admin (packages/policy's member-removal rule). */
  last_admin: { status: 409, message: 'A workspace needs at least one admin' },
  /** A field of the request is wrong: `field` names it (with its index), `value` is what was sent. */
  validation_failed: { status: 422, message: 'The request is invalid' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ConsoleErrorCode = keyof typeof CATALOGUE;

export class ConsoleError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ConsoleErrorCode,
    message: string = CATALOGUE[code].message,
    readonly input?: { field: string; value: unknown },
  ) {
    super(message);
    this.statusCode = CATALOGUE[code].status;
  }

  body() {
    const input = this.input === undefined ? {} : { field: this.input.field, value: this.input.value ?? null };
    return { error: this.code, error_description: this.message, ...input };
  }
}

export const forbidden = (message: string) => new ConsoleError('forbidden', message);
export const notFound = (message: string) => new ConsoleError('not_found', message);
export const validationFailed = (field: string, value: unknown, problem: string) =>
  new ConsoleError('validation_failed', `${field}: ${problem}`, { field, value });
export const labUnavailable = (message: string) => new ConsoleError('failure_lab_unavailable', message);
