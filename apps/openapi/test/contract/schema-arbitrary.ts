import fc from 'fast-check';
import { documentAccepts, type Schema } from './document.ts';

// fast-check arbitraries of values the document calls valid, read from its (inlined) JSON Schemas:
// the subset the document uses (objects, arrays, unions, enums, strings with formats and patterns,
// bounded integers). Every generated leaf is checked against its schema by the test's own Ajv, so a
// value is never "valid" by this file's reading alone.

/** Ids for a field by its name (`contactId`, `listId`…): real rows most of the time, so operations get past their 404s. */
export type IdsFor = (field: string | undefined) => fc.Arbitrary<string>;

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
const MAX_STRING = 40; // long enough for variety, short enough for fast runs
const MAX_ITEMS = 3;
// Any code point, and often one that breaks naive handling: NUL, quotes, LIKE wildcards, a
// backslash, a bidi control, astral and combining characters.
const char = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', "'", '"', '%', '_', '\\', '\u202e', '😀', 'e\u0301', '中') },
);

// RFC 3339 date-times in the forms a client may send: any year, fractions or none, a lowercase
// `t`/`z`, an offset, and the leap second 23:59:60 (UTC).
const dateTime = fc
  .tuple(
    fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.constantFrom('Z', 'z', '+00:00', '-05:30', '+14:00'),
    fc.constantFrom('T', 't'),
    fc.boolean(),
    fc.nat(20),
  )
  .map(([date, zone, t, fraction, leap]) => {
    const [day, time] = date
      .toISOString()
      .slice(0, fraction ? 23 : 19)
      .split('T') as [string, string];
    return `${day}${t}${leap === 0 ? '23:59:60' : time}${zone}`;
  });

export function arbitrary(schema: Schema, ids: IdsFor, field?: string, depth = 0): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const union = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(union)) return fc.oneof(...union.map((branch) => arbitrary(branch, ids, field, depth + 1)));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const [min, max] = [num(schema.minimum), num(schema.maximum)];
      // Unbounded means any integer a client can send as JSON, not just 32-bit ones.
      return min === undefined && max === undefined
        ? fc.oneof(fc.integer(), fc.maxSafeInteger())
        : fc.integer({ min: min ?? Number.MIN_SAFE_INTEGER, max: max ?? Number.MAX_SAFE_INTEGER });
    }
    case 'string':
      return string(schema, ids, field);
    case 'array': {
      const items = arbitrary(schema.items as Schema, ids, field, depth + 1);
      const minLength = num(schema.minItems) ?? 0;
      const maxLength = Math.max(minLength, Math.min(num(schema.maxItems) ?? MAX_ITEMS, depth > 2 ? 1 : MAX_ITEMS));
      return schema.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const model = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, arbitrary(property, ids, name, depth + 1)]),
      );
      // Optional properties come and go: leaving one out must be as acceptable as sending it.
      return fc
        .record(model, { requiredKeys: (schema.required ?? []) as string[] })
        .filter((value) => documentAccepts(schema, value));
    }
    default:
      return fc.constant(null);
  }
}

function string(schema: Schema, ids: IdsFor, field: string | undefined): fc.Arbitrary<string> {
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = Math.max(minLength, Math.min(num(schema.maxLength) ?? MAX_STRING, MAX_STRING));
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  let base: fc.Arbitrary<string>;
  if (schema.format === 'uuid') base = ids(field);
  else if (schema.format === 'date-time') base = dateTime;
  else if (schema.format === 'uri') base = fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true });
  else if (schema.format === 'email') base = pattern ? fc.stringMatching(pattern) : fc.emailAddress();
  else if (pattern === undefined) base = fc.string({ minLength, maxLength, unit: char });
  // A pattern that admits any text (say, "no NUL") gets any text too, not only its own alphabet.
  else if (pattern.test('Zé中😀 %_\\x'))
    base = fc.oneof(fc.stringMatching(pattern), fc.string({ minLength, maxLength, unit: char }));
  else base = fc.stringMatching(pattern);
  return base.filter((value) => documentAccepts(schema, value));
}
