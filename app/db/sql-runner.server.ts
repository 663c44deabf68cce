// Raw SQL's one boundary (docs/decisions/047-one-boundary-for-raw-sql.md): the `SqlRunner` every raw-SQL helper takes,
// the adapters that make one out of each driver the console uses (PGlite, node-postgres), and `query`, which returns
// a statement's rows typed as the caller declares them.
//
// The row type is a declaration, not a check: the driver returns what the SQL selects. On node-postgres bigint and
// numeric come back as strings (wrap them in Number() or BigInt()), timestamptz as Date; select `date` columns as text.
import { createHash } from "node:crypto";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";

/**
 * `name` runs the statement as a named prepared statement on PostgreSQL: parsed once per connection and, after a few
 * runs, planned once (a generic plan) — for hot statements whose planning costs more than their execution. The name
 * must always come with the same text (app/accounts/search-sql.server.ts derives it from the text). PGlite ignores it.
 */
export interface QueryOptions {
  name?: string;
}

/** The minimal surface both PGlite and a pg connection offer. */
export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<{ rows: T[] }>;
  /** Runs a multi-statement script. */
  exec(sql: string): Promise<unknown>;
}

/** The rows of one statement, typed as the caller declares them. */
export async function query<Row = Record<string, unknown>>(
  sql: Pick<SqlRunner, "query">,
  text: string,
  params: unknown[] = [],
  options?: QueryOptions,
): Promise<Row[]> {
  return (await sql.query<Row>(text, params, options)).rows;
}

/** A prepared statement's name for `text`: derived from the text, so one name never meets two texts. */
export function statementNameOf(prefix: string, text: string): string {
  return `${prefix}_${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
}

const fixedNames = new Map<string, QueryOptions>();

/**
 * The query options that run a statement every request sends, whose text is a constant of the code (only its
 * parameters vary), as a named prepared statement: parsed once per connection and, once PostgreSQL finds the generic
 * plan no dearer, planned once (docs/decisions/060-cheaper-statements-per-request.md). Only for constant texts: each
 * name stays prepared in every connection that ran it, and one per text is kept here.
 */
export function prepared(text: string): QueryOptions {
  let options = fixedNames.get(text);
  if (!options) {
    options = { name: statementNameOf("fixed", text) };
    fixedNames.set(text, options);
  }
  return options;
}

/** PGlite, or one of its transactions. */
export function pgliteRunner(lite: PGlite | Transaction): SqlRunner {
  return {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await lite.query<T>(text, params)).rows }),
    exec: (text) => lite.exec(text),
  };
}

/** One node-postgres connection (a client of its own, or one checked out of a pool). */
export function pgConnectionRunner(client: pg.ClientBase): SqlRunner {
  return {
    query: async <T>(text: string, params?: unknown[], options?: QueryOptions) => ({
      rows: (await client.query(options?.name ? { name: options.name, text } : text, params)).rows as T[],
    }),
    exec: (text) => client.query(text),
  };
}

/**
 * A node-postgres pool: each query on whichever connection is free, so consecutive queries may land on different
 * connections; a multi-statement script runs on one.
 */
export function pgPoolRunner(pool: pg.Pool): SqlRunner {
  return {
    query: async <T>(text: string, params?: unknown[], options?: QueryOptions) => ({
      rows: (await pool.query(options?.name ? { name: options.name, text } : text, params)).rows as T[],
    }),
    exec: (text) => withPoolConnection(pool, (client) => client.query(text)),
  };
}

/**
 * Runs `fn` on one connection checked out of `pool`, and gives it back. While a connection is checked out the pool no
 * longer listens for its errors, and node-postgres raises an "error" event when the server ends it between two
 * statements or right after one failed (pg_terminate_backend, a restart, a failover): unheard, that event kills the
 * whole process, a worker in the middle of a backtest with it. Heard here, the loss reaches `fn` as its next
 * statement's failure (a connection loss its caller retries), and the dead connection is dropped, not pooled again.
 */
export async function withPoolConnection<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost ??= error;
  };
  client.on("error", onError);
  try {
    return await fn(client);
  } finally {
    client.removeListener("error", onError);
    client.release(lost);
  }
}
