import { CATALOGUE, type CatalogueRow, type ErrorCode } from './catalogue.ts';
import { KIND_CLASSES, type ServiceError, type ServiceErrorOptions } from './service-error.ts';

type KindClassOf<C extends ErrorCode> = InstanceType<(typeof KIND_CLASSES)[(typeof CATALOGUE)[C]['kind']]>;
type GeneratedClass<C extends ErrorCode> = new (description?: string, options?: ServiceErrorOptions) => KindClassOf<C>;

const CLASSES = new Map<ErrorCode, GeneratedClass<ErrorCode>>();

/** The class for one catalogue row, a subclass of its kind's: `new InvalidGrant('…')`, `instanceof InvalidGrant`. */
function errorClass<C extends ErrorCode>(code: C): GeneratedClass<C> {
  const row: CatalogueRow = CATALOGUE[code];
  const Base: typeof ServiceError = KIND_CLASSES[row.kind];
  const generated = class extends Base {
    constructor(description: string = row.description, options: ServiceErrorOptions = {}) {
      super(code, description, options);
    }
  };
  // invalid_grant → InvalidGrant, so logs name the class.
  const name = code.replace(/(^|_)([a-z])/g, (_match, _separator, letter: string) => letter.toUpperCase());
  Object.defineProperty(generated, 'name', { value: name });
  CLASSES.set(code, generated as unknown as GeneratedClass<ErrorCode>);
  return generated as unknown as GeneratedClass<C>;
}

// kind oauth
export const InvalidRequest = errorClass('invalid_request');
export const InvalidClient = errorClass('invalid_client');
export const InvalidGrant = errorClass('invalid_grant');
export const UnauthorizedClient = errorClass('unauthorized_client');
export const InvalidScope = errorClass('invalid_scope');
export const InvalidTarget = errorClass('invalid_target');
export const InvalidRedirectUri = errorClass('invalid_redirect_uri');
export const InvalidClientMetadata = errorClass('invalid_client_metadata');
export const TemporarilyUnavailable = errorClass('temporarily_unavailable');
export const ServerError = errorClass('server_error');
// kind http
export const InvalidCredentials = errorClass('invalid_credentials');
export const NotSignedIn = errorClass('not_signed_in');
export const Forbidden = errorClass('forbidden');
export const NotFound = errorClass('not_found');
// kind console
export const FailureLabUnavailable = errorClass('failure_lab_unavailable');
export const LastAdmin = errorClass('last_admin');

// The codes whose description (and more) is built from what the caller sent.
export class UnsupportedGrantType extends errorClass('unsupported_grant_type') {
  constructor(grantType: string) {
    super(`grant_type ${grantType || '(missing)'} is not supported`);
  }
}
export class UnsupportedResponseType extends errorClass('unsupported_response_type') {
  constructor(responseType: string) {
    super(`response_type ${responseType || '(missing)'} is not supported; use code`);
  }
}
export class TooManyRequests extends errorClass('too_many_requests') {
  constructor(retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}
export class ValidationFailed extends errorClass('validation_failed') {
  constructor(field: string, value: unknown, problem: string) {
    super(`${field}: ${problem}`, { input: { field, value } });
  }
}

/** The error for a code decided elsewhere (packages/policy's member-removal decision names its code). */
export function errorOf(code: ErrorCode, description?: string): ServiceError {
  const generated = CLASSES.get(code) as GeneratedClass<ErrorCode>;
  return new generated(description);
}
