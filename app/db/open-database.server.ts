// Opening a database: the only code that constructs a Prisma client. No side effects on import — the process-wide
// singleton lives in app/db.server.ts; scripts and tests that need a database of their own call these functions.
// Embedded PGlite or PostgreSQL through @prisma/adapter-pg; migrations via app/db/migrations.server.ts.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "~/env.server";
import { PrismaClient } from "~/generated/prisma/client";
import { applyMigrations, MigrationError, pendingMigrations, withMigrationLock } from "~/db/migrations.server";
import { grantRuntimeAccess } from "~/db/runtime-grants.server";
import {
  answerTimeoutFor,
  BoundedClient,
  boundedClientClass,
  boundedPool,
  DEFAULT_STATEMENT_BOUNDS,
  unboundedClient,
  type StatementBounds,
} from "~/db/bounded-client.server";
import {
  CONSOLE_POOL_SIZE,
  CUSTOMER_AUTH_POOL_SIZE,
  READ_ONLY_POOL_SIZE,
  WALLET_POOL_SIZE,
} from "~/db/connection-budget";
import { boundWaitForConnection } from "~/db/pool-wait.server";
import {
  pgConnectionRunner,
  pgliteRunner,
  pgPoolRunner,
  query,
  withPoolConnection,
  type SqlRunner,
} from "~/db/sql-runner.server";

export type { Prisma } from "~/generated/prisma/client";
export { CONNECT_TIMEOUT_MS } from "~/db/bounded-client.server";
export type Db = PrismaClient;
/** A client or an interactive transaction: domain helpers that must run inside the caller's transaction take this. */
export type DbTx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** Session defaults of the connections readOnlySql runs on. */
export interface ReadOnlySettings {
  /** Each statement is cancelled after this long (PostgreSQL; the embedded engine ignores it). */
  statementTimeoutMs?: number;
  /**
   * Prepared statements use their generic plan, planned once per connection, instead of being planned again for each
   * run's parameters (PostgreSQL; `plan_cache_mode`). For statements whose plan does not depend on the parameters'
   * values — the caller search's index branches under constant limits (ADR 064). Such connections also run without
   * JIT compilation: a generic plan's row estimates assume any parameter, so a bounded read of a few thousand index
   * entries can be costed past `jit_above_cost` and spend 40 ms compiling for a 5 ms statement (ADR 086).
   */
  genericPlans?: boolean;
}

// PostgreSQL takes session defaults in the connection's start-up packet (`options`), so a connection opened with them
// needs no SET, and no BEGIN to make a SET LOCAL, before each statement.
function readOnlyStartupOptions(settings: ReadOnlySettings): string {
  const timeout = settings.statementTimeoutMs;
  return [
    "-c default_transaction_read_only=on",
    ...(timeout === undefined ? [] : [`-c statement_timeout=${Math.max(0, Math.floor(timeout))}`]),
    ...(settings.genericPlans ? ["-c plan_cache_mode=force_generic_plan", "-c jit=off"] : []),
  ].join(" ");
}

// Every pool's size comes from one place, where the start-up check adds them up (ADR 114).
export { CONSOLE_POOL_SIZE, CUSTOMER_AUTH_POOL_SIZE, WALLET_POOL_SIZE } from "~/db/connection-budget";

/** A pool's two clients: Prisma for the domain's queries and transactions, the driver for the audit trail's calls. */
export interface PoolClients {
  prisma: PrismaClient;
  sql: SqlRunner;
  /**
   * A borrower that finds every connection busy is refused after a short wait (PoolBusyError) instead of queuing until
   * one comes free: the customers' pool on PostgreSQL (ADR 114).
   */
  refusesWhenBusy?: boolean;
}

export interface SqlTransactionOptions {
  /**
   * This transaction's statement timeout instead of the connection's default (0: none), and this process's wait for
   * each answer with it: for tools whose single statements rightly run long (seeding a million customers).
   */
  statementTimeoutMs?: number;
}

export interface Database {
  prisma: PrismaClient;
  /**
   * The payment path's client: on PostgreSQL a Prisma client on a pool of its own (WALLET_POOL_SIZE), which the
   * console never borrows from and which refuses a borrower it cannot serve within FIREBREAK_WALLET_POOL_WAIT_MS
   * (PoolBusyError, ADR 120); on the embedded engine, `prisma` (one connection either way).
   */
  walletPrisma: PrismaClient;
  /**
   * Customers' sign-in, session checks, sign-out and reset-link redemption, with their audit rows: on PostgreSQL one pool of its own
   * (CUSTOMER_AUTH_POOL_SIZE) behind both clients, which the console and the payment path never borrow from; on the
   * embedded engine, `prisma` and `sql`.
   */
  customerAuth: PoolClients;
  /** Raw SQL on the same database, for migrations and bulk paths where Prisma's per-call overhead dominates. */
  sql: SqlRunner;
  mode: "embedded" | "postgresql";
  /** The embedded engine, when mode is "embedded". */
  pglite?: PGlite;
  /**
   * Runs `fn` inside BEGIN … COMMIT on one dedicated connection (ROLLBACK if it throws). `sql.query` on PostgreSQL
   * goes through a pool, so consecutive calls may land on different connections; bulk loaders that need one atomic
   * transaction (and `SET LOCAL`) use this instead (docs/decisions/006-bulk-replay-loader.md). `options` apply to
   * this transaction only.
   */
  sqlTransaction<T>(fn: (tx: SqlRunner) => Promise<T>, options?: SqlTransactionOptions): Promise<T>;
  /**
   * Statements that only read, each on its own, under `settings`. On PostgreSQL they run on a small pool (one per
   * distinct settings) whose connections start read-only with the settings as their session defaults, so a search
   * pays no BEGIN and COMMIT round trips around its statements (docs/decisions/062-read-only-connections.md). On the
   * embedded engine each runs in a read-only transaction of its own (it has one connection and no statement timeout).
   */
  readOnlySql(settings?: ReadOnlySettings): SqlRunner;
  close(): Promise<void>;
}

// Two defects of pglite-prisma-adapter 0.6, patched here because the adapter exports neither class:
//
// 1. It reports database errors in the shape Prisma 6.10 expected ({ kind, code, message }); Prisma 6.19 reads
//    `originalCode` / `originalMessage`, so without the patch every PGlite error surfaces as "Code: N/A, Message:
//    undefined" and our triggers' messages (append-only, reversal limits) are lost. Nor does it name a unique
//    violation as one, so Prisma never raises P2002 for it (tests/integration/engine-contract.test.ts).
// 2. It swallows errors raised at COMMIT: its transaction promise has a `.catch(reject)` on a promise that has already
//    resolved, so commit() returns normally. PostgreSQL rolled the transaction back, but the caller is told it
//    committed — fatal for the deferred checks (a ledger transaction that does not balance is refused only at COMMIT).
//    `rememberCommitFailures` records such an error against the transaction's handle; the patched commit() rethrows it.
const commitFailures = new WeakMap<object, unknown>();

function rememberCommitFailures(lite: PGlite): void {
  const transaction = lite.transaction.bind(lite);
  lite.transaction = <T>(callback: (tx: Transaction) => Promise<T>) => {
    let handle: Transaction | undefined;
    return transaction(async (tx) => {
      handle = tx;
      return callback(tx);
    }).catch((error: unknown) => {
      if (handle) commitFailures.set(handle, error);
      throw error;
    });
  };
}

let pgliteAdapterPatched = false;
async function patchPgliteAdapter(lite: PGlite): Promise<void> {
  if (pgliteAdapterPatched) return;
  const adapter = await new PrismaPGlite(lite).connect();
  const queryable = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as { onError(error: unknown): never };
  const original = queryable.onError;
  queryable.onError = function onError(this: unknown, error: unknown): never {
    try {
      original.call(this, error);
    } catch (thrown) {
      const cause = (thrown as { cause?: Record<string, unknown> }).cause;
      if (cause && cause.kind === "postgres") {
        cause.originalCode ??= cause.code;
        cause.originalMessage ??= cause.message;
        if (cause.code === "23505") markUniqueViolation(cause);
      }
      throw thrown;
    }
    throw error;
  };

  // Reach the transaction class through one throwaway transaction.
  const probe = (await adapter.startTransaction()) as unknown as AdapterTransaction;
  const transactionClass = Object.getPrototypeOf(probe) as AdapterTransaction;
  await probe.rollback();
  const commit = transactionClass.commit;
  transactionClass.commit = async function patchedCommit(this: AdapterTransaction): Promise<void> {
    await commit.call(this);
    if (commitFailures.has(this.client)) {
      const failure = commitFailures.get(this.client);
      commitFailures.delete(this.client);
      this.onError(failure);
    }
  };
  pgliteAdapterPatched = true;
}

/**
 * A unique violation in the shape @prisma/adapter-pg reports it, which Prisma turns into P2002: callers that catch a
 * lost race by that code (an idempotency key, a rule's version) would otherwise see an unknown error on this engine.
 */
function markUniqueViolation(cause: Record<string, unknown>): void {
  const fields = typeof cause.detail === "string" ? /Key \(([^)]+)\)/.exec(cause.detail)?.[1]?.split(", ") : undefined;
  cause.kind = "UniqueConstraintViolation";
  cause.constraint = fields ? { fields } : undefined;
}

interface AdapterTransaction {
  client: object;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  onError(error: unknown): never;
}

function openEmbedded(dataDir: string, snapshot?: Blob): Database {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  // pg_trgm: the caller search's trigram indexes (migration 20261128005000); PostgreSQL has it in contrib.
  const lite = new PGlite({
    dataDir: inMemory ? undefined : path.resolve(dataDir),
    extensions: { pg_trgm },
    loadDataDir: snapshot,
  });
  rememberCommitFailures(lite);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  const sql = pgliteRunner(lite);
  return {
    prisma,
    walletPrisma: prisma,
    customerAuth: { prisma, sql },
    sql,
    mode: "embedded",
    pglite: lite,
    sqlTransaction: (fn) => lite.transaction((tx) => fn(pgliteRunner(tx))),
    readOnlySql: () => {
      const readOnly = <T>(work: (tx: SqlRunner) => Promise<T>) =>
        lite.transaction(async (tx) => {
          await tx.query("SET TRANSACTION READ ONLY");
          return work(pgliteRunner(tx));
        });
      return {
        query: (text, params, options) => readOnly((tx) => tx.query(text, params, options)),
        exec: (text) => readOnly((tx) => tx.exec(text)),
      };
    },
    close: async () => {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}

/** How long a borrower of each refusing pool waits for a connection before it is answered busy (ADR 114, 120). */
interface PoolWaits {
  customerPoolWaitMs: number;
  walletPoolWaitMs: number;
}

function openPostgres(connectionString: string, bounds: StatementBounds, waits: PoolWaits): Database {
  const pool = boundedPool({ connectionString, max: CONSOLE_POOL_SIZE }, bounds);
  // An idle connection the server drops (a restart, a failover, pg_terminate_backend) emits "error" on the pool; with
  // no listener that would crash the process. The pool discards the connection and opens a new one on next use.
  pool.on("error", (error) => console.warn(`[db] idle PostgreSQL connection lost: ${error.message}`));
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: CONSOLE_POOL_SIZE, Client: boundedClientClass(bounds) }),
  });
  // The payment path's pool refuses, as the customers' does, a borrower it cannot serve within its own short wait:
  // a top-up, purchase or contact change is answered "busy" with nothing written (ADR 120).
  const walletPool = boundWaitForConnection(
    boundedPool({ connectionString, max: WALLET_POOL_SIZE }, bounds),
    waits.walletPoolWaitMs,
  );
  walletPool.on("error", (error) => console.warn(`[db] idle PostgreSQL connection lost: ${error.message}`));
  const walletPrisma = new PrismaClient({ adapter: new PrismaPg(walletPool) });
  // One driver pool behind both of the customers' clients: the audit rows of a sign-in or a redemption (a FAILED row,
  // the seal, a COMMIT in doubt) wait on the same connections as its transaction, never on the console's.
  // A customer is answered "busy, try again in a moment" rather than kept waiting behind whoever holds them (ADR 114).
  const customerPool = boundWaitForConnection(
    boundedPool({ connectionString, max: CUSTOMER_AUTH_POOL_SIZE }, bounds),
    waits.customerPoolWaitMs,
  );
  customerPool.on("error", (error) => console.warn(`[db] idle PostgreSQL connection lost: ${error.message}`));
  const customerAuth: PoolClients = {
    prisma: new PrismaClient({ adapter: new PrismaPg(customerPool) }),
    sql: pgPoolRunner(customerPool),
    refusesWhenBusy: true,
  };
  const readOnlyPools = new Map<string, pg.Pool>();
  return {
    prisma,
    walletPrisma,
    customerAuth,
    sql: pgPoolRunner(pool),
    mode: "postgresql",
    sqlTransaction: (fn, options = {}) =>
      withPoolConnection(pool, async (client) => {
        const bounded = client as unknown as BoundedClient;
        const defaultAnswerTimeout = bounded.answerTimeoutMs;
        try {
          await client.query("BEGIN");
          if (options.statementTimeoutMs !== undefined) {
            const timeout = Math.max(0, Math.floor(options.statementTimeoutMs));
            await client.query(`SET LOCAL statement_timeout = ${timeout}`);
            // A transaction without a statement bound (the seed's) may also pause longer between its statements.
            if (timeout === 0) await client.query("SET LOCAL idle_in_transaction_session_timeout = 0");
            bounded.answerTimeoutMs = answerTimeoutFor(timeout);
          }
          const result = await fn(pgConnectionRunner(client));
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        } finally {
          bounded.answerTimeoutMs = defaultAnswerTimeout;
        }
      }),
    readOnlySql: (settings = {}) => {
      const options = readOnlyStartupOptions(settings);
      let readOnlyPool = readOnlyPools.get(options);
      if (!readOnlyPool) {
        readOnlyPool = boundedPool({ connectionString, max: READ_ONLY_POOL_SIZE, options }, bounds);
        readOnlyPool.on("error", (error) => console.warn(`[db] idle PostgreSQL connection lost: ${error.message}`));
        readOnlyPools.set(options, readOnlyPool);
      }
      return pgPoolRunner(readOnlyPool);
    },
    close: async () => {
      await Promise.all([prisma.$disconnect(), walletPrisma.$disconnect(), customerAuth.prisma.$disconnect()]);
      await Promise.all([
        pool.end(),
        customerPool.end(),
        walletPool.end(),
        ...[...readOnlyPools.values()].map((p) => p.end()),
      ]);
    },
  };
}

export async function openDatabase(options: { migrate?: boolean } = {}): Promise<Database> {
  const { DATABASE_URL, DATABASE_OWNER_URL, FIREBREAK_DATA_DIR } = env();
  return openDatabaseAt({ url: DATABASE_URL, ownerUrl: DATABASE_OWNER_URL, dataDir: FIREBREAK_DATA_DIR }, options);
}

/** The statement bounds of the environment (FIREBREAK_DB_STATEMENT_TIMEOUT_MS, FIREBREAK_DB_LOCK_TIMEOUT_MS). */
function boundsOfEnvironment(): StatementBounds {
  const { FIREBREAK_DB_STATEMENT_TIMEOUT_MS, FIREBREAK_DB_LOCK_TIMEOUT_MS } = env();
  return {
    statementTimeoutMs: FIREBREAK_DB_STATEMENT_TIMEOUT_MS ?? DEFAULT_STATEMENT_BOUNDS.statementTimeoutMs,
    lockTimeoutMs: FIREBREAK_DB_LOCK_TIMEOUT_MS ?? DEFAULT_STATEMENT_BOUNDS.lockTimeoutMs,
  };
}

export interface DatabaseLocation {
  /** PostgreSQL as the role the console runs as. */
  url?: string;
  /** PostgreSQL as the role that owns the schema: migrations and the runtime grants run as it (when set). */
  ownerUrl?: string;
  dataDir?: string;
  /** Embedded only: start from a migrated data directory's dump (tests copy one per file instead of migrating). */
  snapshot?: Blob;
  /** PostgreSQL only: the pooled connections' statement bounds; the environment's when absent. */
  bounds?: StatementBounds;
  /** PostgreSQL only: how long a customer waits for a connection of their pool; the environment's when absent. */
  customerPoolWaitMs?: number;
  /** PostgreSQL only: the same for the payment path's pool (ADR 120); the environment's when absent. */
  walletPoolWaitMs?: number;
}

/**
 * Opens (and by default migrates) a database at an explicit location instead of the environment's: `url` for
 * PostgreSQL, else `dataDir` for PGlite ("memory://" for a throwaway in-memory one). For tests and tools that need a
 * database of their own; the app uses `getDatabase()`. `snapshot` starts an embedded database from a data directory
 * dumped with PGlite's `dumpDataDir()` (the test suite migrates once per run and starts every file from that copy).
 */
export async function openDatabaseAt(
  location: DatabaseLocation,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  const DATABASE_URL = location.url;
  const database = DATABASE_URL
    ? openPostgres(DATABASE_URL, location.bounds ?? boundsOfEnvironment(), {
        customerPoolWaitMs: location.customerPoolWaitMs ?? env().FIREBREAK_CUSTOMER_POOL_WAIT_MS,
        walletPoolWaitMs: location.walletPoolWaitMs ?? env().FIREBREAK_WALLET_POOL_WAIT_MS,
      })
    : openEmbedded(location.dataDir ?? env().FIREBREAK_DATA_DIR, location.snapshot);
  if (database.pglite) await patchPgliteAdapter(database.pglite);
  if (options.migrate ?? true) await migrateDatabase(database, DATABASE_URL, location.ownerUrl);
  return database;
}

/**
 * Applies pending migrations; returns the names applied. With `ownerUrl` (PostgreSQL), they run as the owner role and
 * the runtime role named in `url` is then granted what it needs (app/db/runtime-grants.server.ts). Without it, they
 * run as `url`'s role; a runtime role that may not CREATE then opens an up-to-date database only, and says so.
 */
export async function migrateDatabase(
  database: Database,
  url: string | undefined,
  ownerUrl?: string,
): Promise<string[]> {
  if (database.mode !== "postgresql" || !url) return applyMigrations(database.sql);
  if (!ownerUrl) {
    const pending = await pendingMigrations(database.sql);
    if (pending.length > 0 && !(await mayCreateInSchema(database.sql))) {
      throw new MigrationError(
        `${pending.length} migration(s) pending and this role may not apply them: run \`npm run db:migrate\` with DATABASE_OWNER_URL set (${pending[0]}…)`,
      );
    }
  }
  // On PostgreSQL the runner needs one dedicated connection: its advisory lock is held across statements.
  const client = unboundedClient(ownerUrl ?? url);
  // A connection the server ends mid-migration fails the statement that is running; without a listener its "error"
  // event would also kill the process instead of letting start-up wait for the database (app/db.server.ts).
  client.on("error", () => undefined);
  await client.connect();
  try {
    const owner = pgConnectionRunner(client);
    const applied = await applyMigrations(owner);
    const runtimeRole = decodeURIComponent(new URL(url).username);
    if (ownerUrl && runtimeRole && runtimeRole !== decodeURIComponent(new URL(ownerUrl).username)) {
      // Under the migration lock: every start applies the grants again, and two processes granting on one table at
      // once make PostgreSQL refuse one of them ("tuple concurrently updated"), which would stop its start-up.
      await withMigrationLock(owner, () => grantRuntimeAccess(owner, runtimeRole));
    }
    return applied;
  } finally {
    await client.end();
  }
}

async function mayCreateInSchema(sql: SqlRunner): Promise<boolean> {
  const rows = await query<{ ok: boolean }>(sql, `SELECT has_schema_privilege('public', 'CREATE') AS ok`);
  return rows[0]?.ok === true;
}
