// Building blocks for what travels as JSON: a date is an RFC 3339 string on the wire, never a Date.
import { type TSchema, Type } from 'typebox';

export const Timestamp = Type.String({ format: 'date-time' });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A string enum as JSON Schema writes it (`{ type: "string", enum: [...] }`). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { errorMessage?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
