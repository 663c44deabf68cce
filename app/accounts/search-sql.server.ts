// How the search talks to the database. Its statements are long (a name's branches run to several kilobytes of SQL)
// and cheap to execute, so PostgreSQL spent more CPU parsing and planning them than running them: each goes as a
// named prepared statement, parsed once per connection, and planned once: the search's transaction forces their
// generic plans (PostgreSQL's own choice kept planning them again on every run). See
// docs/decisions/057-search-statements-prepared-and-fewer.md and 064-search-generic-plans-and-typo-variants.md.
import pg from "pg";
import { statementNameOf, type SqlRunner } from "~/db/sql-runner.server";

/** What the search needs of a database connection: one query at a time (a pool, or one transaction's connection). */
export type SearchSql = Pick<SqlRunner, "query">;

/**
 * The search's statements come in a bounded number of shapes (the branches a name needs, the kinds of fact typed),
 * but unusual input can make new ones, and each named statement stays in every connection that ran it. Past this many
 * shapes in a process, new ones run unnamed (parsed and planned each time, as before), so memory stays bounded.
 */
export const MAX_PREPARED_SHAPES = 256;

const names = new Map<string, string>();

/** The statement's name (derived from its text, so one name never meets two texts), or undefined past the cap. */
export function preparedName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_PREPARED_SHAPES) return known;
  const name = statementNameOf("search", text);
  names.set(text, name);
  return name;
}

/** Runs one of the search's statements, prepared (see preparedName). */
export async function searchQuery<T>(sql: SearchSql, text: string, params: unknown[] = []): Promise<T[]> {
  const name = preparedName(text);
  // A bare node-postgres client or pool (a benchmark's baseline connection) takes the name in its query config; its
  // third argument would be a callback.
  if (sql instanceof pg.Client || sql instanceof pg.Pool) {
    return (await sql.query<T & pg.QueryResultRow>({ name, text, values: params })).rows;
  }
  return (await sql.query<T>(text, params, { name })).rows;
}
