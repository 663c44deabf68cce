// How many PostgreSQL connections a deployment may open, from the pool sizes themselves
// (docs/decisions/114-connection-budget-and-a-full-customers-pool.md). Every pool's size is set here, once:
// app/db/open-database.server.ts opens the pools with these numbers, and the start-up check adds them up. No database
// here, so the arithmetic is tested on its own (tests/unit/connection-budget.test.ts).

/** Connections in the console's Prisma pool and in its raw-SQL pool (the audit trail's writes), per process. */
export const CONSOLE_POOL_SIZE = 10;

/** Connections per read-only pool and process: the searches a web process runs at once. */
export const READ_ONLY_POOL_SIZE = 4;

/**
 * Read-only pools a web process opens, one per distinct settings (ADR 062): the caller search's and the audit
 * search's.
 */
export const READ_ONLY_POOLS = 2;

/**
 * Connections reserved for customers' money movements (top-ups, purchases), per process: a pool of their own, so a
 * console flood (many agents' searches, a bulk job, long transactions) cannot take every connection a top-up needs
 * (docs/decisions/103-reliability-round-seven.md). Opened on first use, so a worker process that moves no money opens
 * none.
 */
export const WALLET_POOL_SIZE = 4;

/**
 * Connections for customers signing in and redeeming reset links, per process: a pool of their own beside the
 * payment path's, so neither a console flood nor a credential-stuffing wave on the sign-in can take the connections
 * of the other (docs/decisions/109-customer-sign-in-and-reset-links-on-their-own-pool.md). Four: at most four
 * password hashes run at once in a process (libuv's four threads), so more sign-ins than that rarely reach their
 * transaction together. Opened on first use, so a worker process opens none.
 */
export const CUSTOMER_AUTH_POOL_SIZE = 4;

/** The most a web process (or one of `--role all`) holds at once: every pool full. */
export const WEB_PROCESS_CONNECTIONS =
  2 * CONSOLE_POOL_SIZE + READ_ONLY_POOLS * READ_ONLY_POOL_SIZE + WALLET_POOL_SIZE + CUSTOMER_AUTH_POOL_SIZE;

/**
 * The most a worker process holds: the console's two pools, which the background workers run on. The read-only,
 * payment and customers' pools open on first use, and no worker uses them.
 */
export const WORKER_PROCESS_CONNECTIONS = 2 * CONSOLE_POOL_SIZE;

/** The server's connection limit as the runtime role meets it. */
export interface ServerConnectionLimit {
  maxConnections: number;
  /** Slots a role without superuser (or `pg_use_reserved_connections`) may not take. */
  reserved: number;
}

/** The connections `webProcesses` web processes and one worker process may hold at once. */
export function deploymentConnections(webProcesses: number): number {
  return webProcesses * WEB_PROCESS_CONNECTIONS + WORKER_PROCESS_CONNECTIONS;
}

/** One line for the operator when the configured processes could open more connections than the server allows. */
export function connectionBudgetWarning(webProcesses: number, limit: ServerConnectionLimit): string | null {
  const needed = deploymentConnections(webProcesses);
  const available = limit.maxConnections - limit.reserved;
  if (needed <= available) return null;
  const processes = webProcesses === 1 ? "1 web process" : `${webProcesses} web processes`;
  return (
    `[db] connection budget: ${processes} × ${WEB_PROCESS_CONNECTIONS} + 1 worker process × ` +
    `${WORKER_PROCESS_CONNECTIONS} = ${needed} connections at peak, but the server lets this role open ` +
    `${available} (max_connections ${limit.maxConnections} − ${limit.reserved} reserved): raise max_connections ` +
    `on the server, lower FIREBREAK_WEB_PROCESSES, or put a connection pooler in front`
  );
}
