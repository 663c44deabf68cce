// Column-at-a-time bulk inserts: `INSERT … SELECT … FROM unnest($1::text::uuid[], $2::text::text[], …)`.
//
// Each column travels as ONE text parameter holding a PostgreSQL array literal that we build here with a single
// `join`. Handing JS arrays to the drivers instead makes pg (and PGlite) serialise every element separately (two
// regular expressions per string in pg) — at tens of millions of values that is most of the load time. The server
// parses the literal with array_in, which is fast, and the `::text::T[]` cast keeps the parameter's declared type
// text so both drivers pass the string through untouched.
import { bareArray, textArray } from "~/ledger/sql-array";
import type { ColumnType } from "./replay-rows";

/** A PostgreSQL array literal for a column of `type` (null → NULL): text-like values quoted, the others bare. */
export function arrayLiteral(values: readonly unknown[], type: ColumnType): string {
  const textLike = type === "text" || type === "date" || type.startsWith("enum:");
  // uuid, int, ms and bool print as they are ("true"/"false" are valid booleans).
  return textLike
    ? textArray(values as readonly (string | null | undefined)[])
    : bareArray(values as readonly (string | number | null | undefined)[]);
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
