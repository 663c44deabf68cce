// A pool that refuses rather than queues for long (docs/decisions/114-connection-budget-and-a-full-customers-pool.md).
// node-postgres queues a caller for ever when every connection is lent out; its own `connectionTimeoutMillis` would
// also cut short the opening of a new connection, which keeps its 5 s (CONNECT_TIMEOUT_MS, ADR 076). This bounds only
// the wait for a connection another caller holds.
import type pg from "pg";

/** What a caller of a full pool gets once its wait is over: the statement never ran. */
export class PoolBusyError extends Error {
  readonly code = "FIREBREAK_POOL_BUSY";
  constructor(waitedMs: number) {
    super(`no connection came free within ${waitedMs} ms (pool busy)`);
    this.name = "PoolBusyError";
  }
}

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, release: () => void) => void;

function isFull(pool: pg.Pool, max: number): boolean {
  return pool.idleCount === 0 && pool.totalCount >= max;
}

/**
 * Makes every borrower of `pool` (its own `query`, a Prisma adapter on it) give up after `waitMs` when no connection
 * is free: it is answered PoolBusyError at once, and the connection it would have been lent later goes straight back.
 */
export function boundWaitForConnection(pool: pg.Pool, waitMs: number): pg.Pool {
  const max = pool.options.max ?? 10;
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const borrow = (): Promise<pg.PoolClient> => {
    if (!isFull(pool, max)) return connect();
    return new Promise((resolve, reject) => {
      let gaveUp = false;
      const timer = setTimeout(() => {
        gaveUp = true;
        reject(new PoolBusyError(waitMs));
      }, waitMs);
      connect().then(
        (client) => {
          clearTimeout(timer);
          if (gaveUp) client.release();
          else resolve(client);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!gaveUp) reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  };
  // Both of node-postgres's forms: `pool.query` borrows with a callback, the Prisma adapter with a promise.
  const bounded = (callback?: ConnectCallback) => {
    const borrowed = borrow();
    if (!callback) return borrowed;
    borrowed.then(
      (client) => callback(undefined, client, () => client.release()),
      (error: Error) => callback(error, undefined, () => undefined),
    );
    return undefined;
  };
  pool.connect = bounded as typeof pool.connect;
  return pool;
}
