// Column-at-a-time bulk inserts: `INSERT … SELECT … FROM unnest($1::text::uuid[], $2::text::text[], …)`.
//
// Each column travels as ONE text parameter holding a PostgreSQL array literal that we build here with a single
// `join`. Handing JS arrays to the drivers instead makes pg (and PGlite) serialise every element separately (two
// regular expressions per string in pg) — at tens of millions of values that is most of the load time. The server
// parses the literal with array_in, which is fast, and the `::text::T[]` cast keeps the parameter's declared type
// text so both drivers pass the string through untouched.
import type { ColumnType } from "./generator";

const NEEDS_ESCAPE = /["\\]/;

function quoted(value: string): string {
  return NEEDS_ESCAPE.test(value) ? `"${value.replace(/["\\]/g, "\\$&")}"` : `"${value}"`;
}

/**
 * A PostgreSQL array literal for `values` (null → NULL). Text-like values are always quoted. The common case — no
 * nulls, nothing to escape — is one native `join` over the column; otherwise it falls back to element by element.
 */
export function arrayLiteral(values: readonly unknown[], type: ColumnType): string {
  if (values.length === 0) return "{}";
  const textLike = type === "text" || type === "date" || type.startsWith("enum:");
  const hasNull = values.includes(null) || values.includes(undefined);
  if (!hasNull) {
    if (!textLike) return `{${values.join(",")}}`; // uuid, int, ms, bool ("true"/"false" are valid booleans)
    // No element contains a quote or a backslash iff their concatenation does not.
    if (!NEEDS_ESCAPE.test(values.join(""))) return `{"${values.join('","')}"}`;
  }
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) parts[i] = "NULL";
    else if (textLike) parts[i] = quoted(value as string);
    else parts[i] = String(value);
  }
  return `{${parts.join(",")}}`;
}

const ARRAY_TYPE: Record<string, string> = {
  uuid: "uuid[]",
  text: "text[]",
  int: "int4[]",
  bool: "bool[]",
  date: "date[]",
  ms: "float8[]",
};

function selectExpression(name: string, type: ColumnType): string {
  if (type === "ms") return `to_timestamp(s."${name}" / 1000)`;
  if (type.startsWith("enum:")) return `s."${name}"::"${type.slice(5)}"`;
  return `s."${name}"`;
}

/** The INSERT statement for a table spec; parameters are the columns' array literals in order. */
export function unnestInsertSql(table: string, columns: readonly (readonly [string, ColumnType])[]): string {
  const names = columns.map(([name]) => `"${name}"`).join(", ");
  const selects = columns.map(([name, type]) => selectExpression(name, type)).join(", ");
  const sources = columns
    .map(([, type], k) => `$${k + 1}::text::${ARRAY_TYPE[type.startsWith("enum:") ? "text" : type]}`)
    .join(", ");
  return `INSERT INTO "${table}" (${names}) SELECT ${selects} FROM unnest(${sources}) AS s(${names})`;
}
