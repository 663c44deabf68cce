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

/**
 * One search's connection, answering a statement it has already run with the same values from that answer. A plan
 * that falls back from the name as typed to another form of it ("翔太 佐藤 1985" → 佐藤 翔太) asks again for what does
 * not depend on the name — the customers a "1985" points at as a phone's or a card's last four — and each such
 * statement reads and parses a few hundred rows. Statements within one search see the same data for this purpose: the
 * search is read-only and its statements run milliseconds apart.
 */
export class OneSearchSql implements SearchSql {
  readonly #answers = new Map<string, Promise<{ rows: never[] }>>();
  constructor(readonly connection: SearchSql) {}

  query<T>(text: string, params: unknown[] = []): Promise<{ rows: T[] }> {
    // Keyed by the statement's prepared name where it has one: a name's branches run to several kilobytes, and a key
    // made of the text itself was a copy of them hashed once more for every statement (ADR 101). The name stands for
    // exactly one text (preparedName), so the key means the same; past the cap of shapes the text itself is the key.
    const key = `${preparedName(text) ?? text}\u0000${JSON.stringify(params)}`;
    let answer = this.#answers.get(key);
    if (!answer) {
      answer = searchQuery<never>(this.connection, text, params).then((rows) => ({ rows }));
      // A failed statement is not an answer: the error reaches this caller, and nothing is kept for the next.
      answer.catch(() => this.#answers.delete(key));
      this.#answers.set(key, answer);
    }
    return answer as Promise<{ rows: T[] }>;
  }
}

/** Runs one of the search's statements, prepared (see preparedName). */
export async function searchQuery<T>(sql: SearchSql, text: string, params: unknown[] = []): Promise<T[]> {
  if (sql instanceof OneSearchSql) return (await sql.query<T>(text, params)).rows;
  const name = preparedName(text);
  // A bare node-postgres client or pool (a benchmark's baseline connection) takes the name in its query config; its
  // third argument would be a callback.
  if (sql instanceof pg.Client || sql instanceof pg.Pool) {
    return (await sql.query<T & pg.QueryResultRow>({ name, text, values: params })).rows;
  }
  return (await sql.query<T>(text, params, { name })).rows;
}
