import { type Static, type TSchema, Type } from 'typebox';

// Building blocks shared by every operation's schema. Strings are bounded so no field can be
// used to push megabytes into the database.

/** A string enum as JSON Schema writes it (`{ type: "string", enum: [...] }`). */
export const StringEnum = <const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });

/**
 * PostgreSQL text cannot hold U+0000, so no input string may contain it. Said as a `pattern`, the
 * refusal is in the document (a client or a fuzzer reads it) and Ajv enforces it with a field path.
 */
export const NO_NUL = '^[^\\u0000]*$';

export const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: NO_NUL, ...(description ? { description } : {}) });

/**
 * The one definition of an email address, used by the document (as `pattern`, which every tool reads
 * the same way, unlike `format: email`) and by validation (Ajv's `email` format is this regex too):
 * an RFC 5322 dot-atom local part, and a domain of at least two labels (`a@org` is refused).
 */
export const EMAIL_PATTERN =
  "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";

export const Email = Type.String({
  format: 'email',
  pattern: EMAIL_PATTERN,
  maxLength: 320,
  description: 'An email address such as ada@example.com (a domain of at least two labels)',
});

/** A web address (http or https), e.g. a LinkedIn profile. */
export const HttpUrl = Type.String({ format: 'uri', maxLength: 500, pattern: '^https?://[^\\u0000]*$' });

/**
 * A property the server fills in when it is left out (Ajv's `useDefaults`): optional in the document
 * and to clients, always present once validated, which is what the handler's type says.
 */
export const Defaulted = <T extends TSchema>(schema: T): T => Type.Optional(schema) as unknown as T;

/**
 * An RFC 3339 date-time, but never a leap second: PostgreSQL cannot store `23:59:60`, so the pattern
 * says so (and Ajv refuses it with the field's path) instead of a valid-looking value failing later.
 */
export const Timestamp = Type.String({
  format: 'date-time',
  pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:[0-5]\\d(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$',
  description: 'RFC 3339 date-time, e.g. 2026-01-05T09:30:00Z (seconds 00 to 59: no leap second)',
});

/** Up to 100 distinct ids in one call. */
export const IdList = (what: string) =>
  Type.Array(Uuid(), { minItems: 1, maxItems: 100, uniqueItems: true, description: `${what} ids (1 to 100)` });

export const PageFields = {
  page: Defaulted(Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: 'Page number, from 1' })),
  pageSize: Defaulted(Type.Integer({ minimum: 1, maximum: 100, default: 25, description: 'Rows per page (max 100)' })),
};

export const PageQuery = Type.Object(PageFields);
export type PageQuery = Static<typeof PageQuery>;

/** Enginy's list envelope: `{ data, meta: { page, pageSize, total } }`. */
export const ListEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({
    data: Type.Array(item),
    meta: Type.Object({ page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() }),
  });

/** Enginy's envelope for everything but lists: `{ status: "success", message, data }`. */
export const SuccessEnvelope = <T extends TSchema>(data: T) =>
  Type.Object({ status: Type.Literal('success'), message: Type.String(), data });

export const success = <T>(message: string, data: T) => ({ status: 'success' as const, message, data });

export const ErrorResponse = Type.Object(
  {
    status: Type.Literal('error'),
    code: Type.String({ description: 'Stable machine-readable code, e.g. validation_error, insufficient_scope' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorResponse', title: 'Error' },
);
