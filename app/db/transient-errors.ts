// Which database errors are worth another try. Three families:
//   contention (deadlock, serialisation failure, lock timeout): the same statement may succeed at once;
//   connection loss (the server restarted, failed over, or terminated our backend; the socket was reset): the pool
//     opens a new connection on the next query, once the server answers again;
//   overload (no connection free within the pool's wait): the statement never ran.
// Neither says anything about the work itself, so a job, a mail or a checkpoint must not be marked failed for it.

const CONTENTION =
  /\b(40P01|40001|55P03|P2034)\b|deadlock detected|could not serialize|lock timeout|Transaction already closed/i;

// SQLSTATE class 08 (connection exception), 57P01-57P03 (admin / crash shutdown, cannot connect now), 53300 (no
// connection slot left: the server's, the role's or the database's limit, as when every process reconnects at once
// after a restart; a slot frees when another client leaves, ADR 085), Prisma's
// P1001 (cannot reach) and P1017 (server closed the connection), and what node-postgres and Node report for a socket
// that went away or a connection the server never answered within the connect timeout ("timeout expired":
// CONNECT_TIMEOUT_MS), and a connection we closed because the server stopped answering it (DatabaseNotAnsweringError,
// both in app/db/bounded-client.server.ts).
const CONNECTION_LOSS =
  /\b(FIREBREAK_DB_NOT_ANSWERING|08000|08001|08003|08004|08006|57P01|57P02|57P03|53300|P1001|P1017|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND)\b|terminating connection|Connection terminated|server closed the connection|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery)|Can't reach database server|Connection is closed|is not currently accepting connections|too many clients already|too many connections for|remaining connection slots are reserved|\btimeout expired\b/i;

// The database is there but every connection is busy: Prisma's pool wait (P2024), an interactive transaction that
// could not start within its maxWait, node-postgres's pool wait, a pool whose wait we bound (PoolBusyError,
// app/db/pool-wait.server.ts). The statement never ran, so it is safe to try again.
const OVERLOAD =
  /\b(P2024|FIREBREAK_POOL_BUSY)\b|Timed out fetching a new connection from the connection pool|Unable to start a transaction in the given time|timeout exceeded when trying to connect/i;

/** Every code and message on the error and its causes, as one line to match against. */
function describe(error: unknown, depth = 0): string {
  if (error === null || error === undefined || depth > 5) return "";
  if (typeof error !== "object") return String(error);
  const e = error as Record<string, unknown>;
  const parts = [e.code, e.originalCode, e.message, e.originalMessage, e.kind, e.errno]
    .filter((p) => typeof p === "string" || typeof p === "number")
    .map(String);
  return `${parts.join(" ")} ${describe(e.cause, depth + 1)}`;
}

// The database takes connections but did not finish in time: a statement it cancelled at its statement or lock
// timeout (57014, 55P03: a lock held by another session, a long migration), a connection we closed because no answer
// came, one whose start-up it accepted and never answered within the connect timeout ("timeout expired"), or an
// interactive transaction whose statements outlasted its own timeout (Prisma rolled it back: a disk stalled under
// load made a read of the recovery page take 5.7 s of its 5 s; the member is told to try again, not shown a 500).
const NOT_ANSWERING =
  /\b(FIREBREAK_DB_NOT_ANSWERING|57014|55P03)\b|canceling statement due to (statement|lock) timeout|lock timeout|\btimeout expired\b|executed on an expired transaction/i;

/** The database did not answer in time (as opposed to refusing connections): see NOT_ANSWERING. */
export function isDatabaseNotAnswering(error: unknown): boolean {
  return NOT_ANSWERING.test(describe(error));
}

export function isConnectionLoss(error: unknown): boolean {
  return CONNECTION_LOSS.test(describe(error));
}

export function isContention(error: unknown): boolean {
  return CONTENTION.test(describe(error));
}

export function isOverloaded(error: unknown): boolean {
  return OVERLOAD.test(describe(error));
}

export function isTransientDbError(error: unknown): boolean {
  return isContention(error) || isConnectionLoss(error) || isOverloaded(error);
}

export const RETRY_BASE_MS = 50;
export const RETRY_CAP_MS = 5_000;

/** Exponential backoff with full jitter, so that many workers do not reconnect in step after a failover. */
export function backoffMs(attempt: number, base = RETRY_BASE_MS, cap = RETRY_CAP_MS): number {
  return Math.round(Math.random() * Math.min(cap, base * 2 ** attempt));
}
