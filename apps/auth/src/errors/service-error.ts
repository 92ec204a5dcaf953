import { CATALOGUE, type ErrorCode, type ErrorKind } from './catalogue.ts';

export interface ServiceErrorOptions {
  /** Sent as Retry-After (RFC 9110 §10.2.3) with the answer. */
  retryAfterSeconds?: number;
  /** The console's 422: the field that is wrong and the value sent. */
  input?: { field: string; value: unknown };
}

/**
 * An error this service answers with `{ error, error_description }`, one row of the catalogue: its
 * code, kind, HTTP status and whether it may be sent back to a client's redirect URI. Thrown by a
 * route, rendered by the one handler (handler.ts). Never constructed directly: see classes.ts.
 */
export class ServiceError extends Error {
  readonly kind: ErrorKind;
  readonly statusCode: number;
  readonly mayRedirect: boolean;
  readonly retryAfterSeconds?: number;
  readonly input?: { field: string; value: unknown };

  constructor(
    readonly error: ErrorCode,
    readonly description: string,
    options: ServiceErrorOptions = {},
  ) {
    super(description);
    const row = CATALOGUE[error];
    this.kind = row.kind;
    this.statusCode = row.status;
    this.mayRedirect = row.mayRedirect;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.input !== undefined) this.input = options.input;
  }

  /** The JSON body: the same shape for every kind, plus the field and value of a console 422. */
  body(): Record<string, unknown> {
    const input = this.input === undefined ? {} : { field: this.input.field, value: this.input.value ?? null };
    return { error: this.error, error_description: this.description, ...input };
  }
}

/** An OAuth error (RFC 6749, 7009, 7591, 8707): read by an OAuth client. */
export class OAuthError extends ServiceError {}
/** This service's own error outside any OAuth RFC, in the same shape (session, consent, limits, routes). */
export class HttpError extends ServiceError {}
/** The console API's own error. */
export class ConsoleError extends ServiceError {}

export const KIND_CLASSES = { oauth: OAuthError, http: HttpError, console: ConsoleError } as const;
