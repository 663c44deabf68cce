// The start-up check of the connection budget (docs/decisions/114-connection-budget-and-a-full-customers-pool.md):
// reads the server's limit and warns, in one line, when the configured processes could open more connections than
// it allows. Only a warning: a pooler (PgBouncer) in front of the server may well carry more clients than its limit.
import { availableParallelism } from "node:os";
import { connectionBudgetWarning, type ServerConnectionLimit } from "~/db/connection-budget";
import type { Database } from "~/db/open-database.server";
import { query, type SqlRunner } from "~/db/sql-runner.server";
import { env, webProcessCount } from "~/env.server";

/** max_connections and the slots reserved from a role like ours (reserved_connections exists from PostgreSQL 16). */
export async function readServerConnectionLimit(sql: Pick<SqlRunner, "query">): Promise<ServerConnectionLimit> {
  const [row] = await query<{ max_connections: number; superuser_reserved: number; reserved: number | null }>(
    sql,
    `SELECT current_setting('max_connections')::int AS max_connections,
            current_setting('superuser_reserved_connections')::int AS superuser_reserved,
            current_setting('reserved_connections', true)::int AS reserved`,
  );
  if (!row) throw new Error("the server did not say its max_connections");
  return { maxConnections: row.max_connections, reserved: row.superuser_reserved + (row.reserved ?? 0) };
}

export interface ConnectionBudgetCheck {
  database: Pick<Database, "mode" | "sql">;
  /** Where the warning goes; console.warn unless given. */
  warn?: (line: string) => void;
  /** How the limit is read: the server's own unless given (a test's seam, so the shared server is never changed). */
  readLimit?: (sql: Pick<SqlRunner, "query">) => Promise<ServerConnectionLimit>;
}

/**
 * Warns once when FIREBREAK_WEB_PROCESSES web processes and a worker could open more connections than the server
 * allows this role. A limit that cannot be read is no reason to stop: it is said, and start-up goes on.
 */
export async function warnIfOverConnectionBudget(check: ConnectionBudgetCheck): Promise<void> {
  // The embedded database is one connection in this process: nothing to budget.
  if (check.database.mode !== "postgresql") return;
  const warn = check.warn ?? ((line: string) => console.warn(line));
  let limit: ServerConnectionLimit;
  try {
    limit = await (check.readLimit ?? readServerConnectionLimit)(check.database.sql);
  } catch (error) {
    warn(`[db] connection budget not checked: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const line = connectionBudgetWarning(webProcessCount(env(), availableParallelism()), limit);
  if (line) warn(line);
}
