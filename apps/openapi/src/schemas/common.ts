import { type Static, type TSchema, Type } from 'typebox';

// Building blocks shared by every operation's schema. Strings are bounded so no field can be
// used to push megabytes into the database.

/** A string enum as JSON Schema writes it (`{ type: "string", enum: [...] }`). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });

export const Text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });

export const Timestamp = Type.String({ format: 'date-time' });

/** Up to 100 distinct ids in one call. */
export const IdList = (what: string) => Type.Array(Uuid(), { minItems: 1, maxItems: 100, uniqueItems: true, description: `${what} ids (1 to 100)` });

export const PageFields = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: 'Page number, from 1' }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 25, description: 'Rows per page (max 100)' }),
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
