// Set-based SQL through Prisma's raw API: each column travels as ONE text parameter holding a PostgreSQL array
// literal, unnested server-side (`unnest($1::text::uuid[], …)`). One parameter per column instead of one per value
// keeps the statement small and the drivers from serialising every element. The replay loader's bulk inserts
// (app/incidents/replay/sql-arrays.ts) encode their columns with these too.
const NEEDS_ESCAPE = /["\\]/;

function quoted(value: string): string {
  return NEEDS_ESCAPE.test(value) ? `"${value.replace(/["\\]/g, "\\$&")}"` : `"${value}"`;
}

function hasNull(values: readonly unknown[]): boolean {
  return values.includes(null) || values.includes(undefined);
}

/**
 * Array literal of text-like values (text, uuid, enum labels, timestamps as ISO strings); null → NULL. The common case
 * (no nulls, nothing to escape) is one native `join` over the column: the replay loader encodes millions of values.
 */
export function textArray(values: readonly (string | null | undefined)[]): string {
  // No element contains a quote or a backslash iff their concatenation does not.
  if (values.length > 0 && !hasNull(values) && !NEEDS_ESCAPE.test(values.join(""))) return `{"${values.join('","')}"}`;
  return `{${values.map((v) => (v === null || v === undefined ? "NULL" : quoted(v))).join(",")}}`;
}

/** Array literal of values whose text form never needs quoting (numbers, booleans, uuids); null → NULL. */
export function bareArray(values: readonly (string | number | bigint | boolean | null | undefined)[]): string {
  if (!hasNull(values)) return `{${values.join(",")}}`;
  return `{${values.map((v) => (v === null || v === undefined ? "NULL" : String(v))).join(",")}}`;
}

/** Array literal of integers (int4 or int8); null → NULL. */
export function intArray(values: readonly (number | bigint | null | undefined)[]): string {
  return `{${values
    .map((v) => {
      if (v === null || v === undefined) return "NULL";
      if (typeof v === "number" && !Number.isSafeInteger(v)) throw new Error(`not an integer: ${v}`);
      return String(v);
    })
    .join(",")}}`;
}
