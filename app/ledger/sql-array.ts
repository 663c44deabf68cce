// Set-based SQL through Prisma's raw API: each column travels as ONE text parameter holding a PostgreSQL array
// literal, unnested server-side (`unnest($1::text::uuid[], …)`). One parameter per column instead of one per value
// keeps the statement small and the drivers from serialising every element (same technique as the replay loader).
const NEEDS_ESCAPE = /["\\]/;

function quoted(value: string): string {
  return NEEDS_ESCAPE.test(value) ? `"${value.replace(/["\\]/g, "\\$&")}"` : `"${value}"`;
}

/** Array literal of text-like values (text, uuid, enum labels, timestamps as ISO strings); null → NULL. */
export function textArray(values: readonly (string | null | undefined)[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? "NULL" : quoted(v))).join(",")}}`;
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
