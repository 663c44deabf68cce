// The bounds every PostgreSQL connection of the console's pools carries (docs/decisions/080-read-bounds.md): how long
// opening it may take, how long one statement may run or wait for a lock on the server, and how long this process waits
// for an answer at all. Without the last, a server that accepts connections and then stops answering (a SIGSTOPped or
// swapped-out host, a proxy that stops forwarding) leaves every statement sent to it waiting for ever: pages hang and
// workers wedge, since TCP keeps a frozen peer's connection open indefinitely.
import type net from "node:net";
import pg from "pg";

/**
 * How long opening one connection may take (TCP, TLS, start-up and authentication). Within a top-up's own `maxWait`,
 * far longer than a healthy server takes (docs/decisions/076-reliability-round-two.md).
 */
export const CONNECT_TIMEOUT_MS = 5_000;

/** Session defaults of a pooled connection; code that needs more asks for it (`SET LOCAL`). */
export interface StatementBounds {
  /** PostgreSQL cancels a statement that runs longer (`statement_timeout`); 0: never. */
  statementTimeoutMs: number;
  /** PostgreSQL refuses a statement that waits longer than this for a lock (`lock_timeout`); 0: never. */
  lockTimeoutMs: number;
  /**
   * PostgreSQL ends a session that sits this long inside a transaction without sending a statement
   * (`idle_in_transaction_session_timeout`); 0: never. IDLE_IN_TRANSACTION_TIMEOUT_MS when absent.
   */
  idleInTransactionTimeoutMs?: number;
}

export const DEFAULT_STATEMENT_BOUNDS: StatementBounds = { statementTimeoutMs: 30_000, lockTimeoutMs: 10_000 };

/**
 * How long the server keeps a transaction open while its client sends nothing (docs/decisions/085-reliability-round-four.md).
 * A client that gave up on an unanswering connection closed its socket, but across a partition the server never hears
 * of it, and its session stays in the transaction, holding that transaction's row locks (a job's row, a switch's row,
 * the detectors' cursor), until TCP keepalive ends it hours later; every worker that needs one of those rows waits
 * at its lock timeout and retries in vain meanwhile. 60 s is an interactive transaction's own timeout
 * (app/db/transaction-options.ts), past which Prisma has abandoned the transaction anyway.
 */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * How much longer than the statement timeout this process waits for the server's answer before it gives up on the
 * connection. A server that is alive answers a cancelled statement within milliseconds of its timeout; one that has
 * not answered after this has stopped, and only closing the socket frees the caller.
 */
export const ANSWER_GRACE_MS = 5_000;

/** How long this process waits for the answer to one statement under `bounds`; null: no bound. */
export function answerTimeoutFor(statementTimeoutMs: number): number | null {
  return statementTimeoutMs > 0 ? statementTimeoutMs + ANSWER_GRACE_MS : null;
}

/** What a statement fails with when the server did not answer it in time: the connection is closed under it. */
export class DatabaseNotAnsweringError extends Error {
  readonly code = "FIREBREAK_DB_NOT_ANSWERING";
  constructor(waitedMs: number) {
    super(`the database did not answer within ${waitedMs} ms: connection closed (database not answering)`);
    this.name = "DatabaseNotAnsweringError";
  }
}

function startupOptions(bounds: StatementBounds, extra: string | undefined): string {
  // A pool's own options come last: PostgreSQL applies `-c` settings in order, so the read-only pools' tighter
  // statement timeouts win over these defaults.
  return [
    `-c statement_timeout=${Math.floor(bounds.statementTimeoutMs)}`,
    `-c lock_timeout=${Math.floor(bounds.lockTimeoutMs)}`,
    `-c idle_in_transaction_session_timeout=${Math.floor(bounds.idleInTransactionTimeoutMs ?? IDLE_IN_TRANSACTION_TIMEOUT_MS)}`,
    ...(extra ? [extra] : []),
  ].join(" ");
}

type QueryArgs = unknown[];
type Send = (...args: QueryArgs) => unknown;

/**
 * node-postgres's Client with every bound: the connect timeout, the statement bounds as session defaults (sent in the
 * start-up packet, so nothing is sent before a statement), and the answer timeout. Past the answer timeout the socket
 * is destroyed: the statement (and any queued behind it) fails with `DatabaseNotAnsweringError`, which counts as a lost
 * connection (app/db/transient-errors.ts), and the pool drops the connection instead of lending it out again.
 */
export class BoundedClient extends pg.Client {
  /** The answer timeout for statements sent from now on; `sqlTransaction` widens it with the statement timeout. */
  answerTimeoutMs: number | null;

  constructor(config: string | pg.ClientConfig | undefined, bounds: StatementBounds) {
    const base: pg.ClientConfig = typeof config === "string" ? { connectionString: config } : { ...config };
    super({
      ...base,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      options: startupOptions(bounds, base.options),
    });
    this.answerTimeoutMs = answerTimeoutFor(bounds.statementTimeoutMs);
    const send = (pg.Client.prototype.query as Send).bind(this);
    // An own property rather than an override: Client.query's overloads (promise, callback, submittable) are all passed
    // through unchanged; only the timer is added around them.
    Object.defineProperty(this, "query", { value: (...args: QueryArgs) => this.sendWithinBound(send, args) });
  }

  private sendWithinBound(send: Send, args: QueryArgs): unknown {
    const limit = this.answerTimeoutMs;
    const first = args[0] as { submit?: unknown } | undefined;
    // Submittables (cursors, streams) end on their own events; none of the console's pools sends one.
    if (limit === null || typeof first?.submit === "function") return send(...args);
    const timer = setTimeout(() => this.giveUp(limit), limit);
    const settled = () => clearTimeout(timer);
    const callbackAt = args.findIndex((arg) => typeof arg === "function");
    if (callbackAt >= 0) {
      const callback = args[callbackAt] as (error: unknown, result: unknown) => void;
      const bounded = [...args];
      bounded[callbackAt] = (error: unknown, result: unknown) => {
        settled();
        callback(error, result);
      };
      return send(...bounded);
    }
    const result = send(...args) as Promise<unknown>;
    return result.finally(settled);
  }

  private giveUp(waitedMs: number): void {
    const connection = (this as unknown as { connection?: { stream?: net.Socket } }).connection;
    connection?.stream?.destroy(new DatabaseNotAnsweringError(waitedMs));
  }
}

/** A pool whose connections are `BoundedClient`s with `bounds`. */
export function boundedPool(config: pg.PoolConfig, bounds: StatementBounds): pg.Pool {
  return new pg.Pool({ ...config, Client: boundedClientClass(bounds) });
}

/** The client class a pool (ours or Prisma's adapter) constructs its connections with. */
export function boundedClientClass(bounds: StatementBounds): typeof pg.Client {
  return class extends BoundedClient {
    constructor(config?: string | pg.ClientConfig) {
      super(config, bounds);
    }
  } as unknown as typeof pg.Client;
}

/**
 * A connection with the connect timeout only: the migration runner's, whose statements (an index build, a wait for the
 * migration lock behind another process's migrations) may rightly take longer than any bound a request has.
 */
export function unboundedClient(connectionString: string): pg.Client {
  return new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
}
