// Writes a generated replay into the database, inside the caller's transaction, with batched column-array INSERTs.
//
// Why not the per-row triggers: the integrity triggers (balance update per ledger entry, deferred zero-sum check per
// entry, foreign keys) cost an UPDATE plus a queued check for every one of ~11 million entries at 1M customers. So,
// when allowed, the loader sets `session_replication_role = replica` for this transaction only (SET LOCAL), which
// disables ordinary and foreign-key triggers, and then restores every guarantee itself before COMMIT:
//   - ledger_account.balance: wallets are written with the balance the generator simulated; the ~35 company accounts
//     (clearing, merchant payables) get the totals of their entries, summed here batch by batch; the
//     wallet_never_negative CHECK (a constraint, not a trigger, so still enforced) applies to every one of them;
//   - one query then proves, from the entries alone, that every transaction has ≥ 2 entries summing to zero, that no
//     entry points at a missing transaction or account, that every cached balance equals the sum of its entries and
//     that no wallet is negative; if anything is off it throws and the whole load rolls back.
// The generator orders each wallet's money in time and never spends more than was topped up, and the trigger-enforced
// mode (`enforceTriggers`, used by the tests at small scale) proves it against the real triggers and foreign keys.
// See docs/decisions/006-bulk-replay-loader.md.
import { query, type SqlRunner } from "~/db/sql-runner.server";
import type { Replay } from "./generator";
import { REPLAY_TABLES, type ColumnType, type ReplayChunk, type ReplayTableName, type RowBatch } from "./replay-rows";
import { arrayLiteral, unnestInsertSql } from "./sql-arrays";

export type LoadMode = "bulk" | "triggers";

export interface LoadOptions {
  /** Customers per batch. Default 2,000 (a batch is ~90k rows across the tables). */
  chunkSize?: number;
  /** Keep every trigger on (slow; proves the generated data against the database's own rules). Default false. */
  enforceTriggers?: boolean;
  /** Overlap generating the next batch with the database writing this one (PostgreSQL). Default true. */
  pipeline?: boolean;
  /**
   * Bulk mode only: drop the loaded tables' secondary indexes (those no constraint depends on) for the load and build
   * them again afterwards, from their exact definitions, in the same transaction. Building an index over a filled
   * table is much cheaper than maintaining it row by row (GIN trigram indexes especially). Default true.
   */
  deferIndexes?: boolean;
  onProgress?: (customersDone: number, customersTotal: number) => void;
}

export interface LoadResult {
  mode: LoadMode;
  rows: Record<string, number>;
  /** Milliseconds per phase: write (generate + insert), indexes, analyze, balances, verify. */
  timings: Record<string, number>;
}

const INSERT_SQL = Object.fromEntries(
  (Object.keys(REPLAY_TABLES) as ReplayTableName[]).map((name) => [
    name,
    unnestInsertSql(REPLAY_TABLES[name].table, REPLAY_TABLES[name].columns),
  ]),
) as Record<ReplayTableName, string>;

/** The batch's INSERT statements, in foreign-key order, with their array-literal parameters. */
function statementsFor(
  chunk: ReplayChunk,
  keepBalances: boolean,
): { table: ReplayTableName; text: string; params: string[]; rows: number }[] {
  const statements = [];
  for (const name of Object.keys(REPLAY_TABLES) as ReplayTableName[]) {
    const batch = chunk[name] as RowBatch<unknown[]>;
    if (batch.rows === 0) continue;
    const columns = REPLAY_TABLES[name].columns;
    const params = columns.map(([column, type], k) =>
      // With triggers on, the balance trigger adds every entry: wallets must start from 0.
      name === "ledger_account" && column === "balance" && !keepBalances
        ? arrayLiteral(new Array<number>(batch.rows).fill(0), type)
        : arrayLiteral(batch.columns[k]!, type),
    );
    statements.push({ table: name, text: INSERT_SQL[name], params, rows: batch.rows });
  }
  return statements;
}

/** Tries to switch this transaction to replica mode; false (and nothing changed) when the role may not. */
async function disableTriggersForTransaction(tx: SqlRunner): Promise<boolean> {
  await tx.query("SAVEPOINT replay_replica_role");
  try {
    await tx.query("SET LOCAL session_replication_role = replica");
    await tx.query("RELEASE SAVEPOINT replay_replica_role");
    return true;
  } catch {
    await tx.query("ROLLBACK TO SAVEPOINT replay_replica_role");
    return false;
  }
}

/**
 * The trigger that keeps the caller search's one-edit look-up table (search_name_variant, migration 20261208d00000)
 * is an ALWAYS trigger, so replica mode does not skip it: fired for every batch it recomputed the distinct keys of the
 * batch and probed the table for each, which made a default seed on the embedded database five times slower (write
 * 3.4 → 18 s). Off for the load, like the other triggers; the variants of every key then come in one statement
 * (recordNameVariants). False, and the trigger left on, when the role may not alter the table.
 */
const NAME_VARIANT_TRIGGER = "customer_name_variants_insert";

async function deferNameVariants(tx: SqlRunner): Promise<boolean> {
  await tx.query("SAVEPOINT replay_name_variants");
  try {
    await tx.query(`ALTER TABLE customer DISABLE TRIGGER ${NAME_VARIANT_TRIGGER}`);
    await tx.query("RELEASE SAVEPOINT replay_name_variants");
    return true;
  } catch {
    await tx.query("ROLLBACK TO SAVEPOINT replay_name_variants");
    return false;
  }
}

/**
 * What the trigger would have written for the loaded customers: each name key (full name, reading, family name in
 * kanji and kana) with its one-character deletions, through the migration's own firebreak_name_variants. The seed
 * loads into a database without customers, so every customer's keys are the loaded ones. The trigger is back on
 * before COMMIT.
 */
async function recordNameVariants(tx: SqlRunner): Promise<void> {
  await tx.query(
    `INSERT INTO search_name_variant (variant, key)
     SELECT DISTINCT v, k
       FROM (SELECT name_key AS k FROM customer UNION SELECT kana_key FROM customer
             UNION SELECT family_name_key FROM customer UNION SELECT family_kana_key FROM customer) keys
            CROSS JOIN LATERAL firebreak_name_variants(k) AS v
      WHERE k IS NOT NULL
     ON CONFLICT DO NOTHING`,
  );
  await tx.query(`ALTER TABLE customer ENABLE ALWAYS TRIGGER ${NAME_VARIANT_TRIGGER}`);
}

interface IndexDefinition {
  name: string;
  definition: string;
}

const LOADED_TABLES = [...new Set(Object.values(REPLAY_TABLES).map((t) => t.table))];

/** Drops the secondary indexes of the loaded tables that no constraint (primary key, foreign key…) relies on. */
async function dropSecondaryIndexes(tx: SqlRunner): Promise<IndexDefinition[]> {
  const rows = await query<IndexDefinition>(
    tx,
    `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY t.relname, ic.relname`,
    [LOADED_TABLES],
  );
  for (const index of rows) await tx.query(`DROP INDEX "${index.name}"`);
  return rows;
}

export async function loadReplay(tx: SqlRunner, replay: Replay, options: LoadOptions = {}): Promise<LoadResult> {
  const bulk = !options.enforceTriggers && (await disableTriggersForTransaction(tx));
  const timings: Record<string, number> = {};
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - phaseStart);
    phaseStart = now;
  };
  const deferred = bulk && (options.deferIndexes ?? true) ? await dropSecondaryIndexes(tx) : [];
  const nameVariantsDeferred = bulk && (await deferNameVariants(tx));
  if (bulk) {
    // Memory for the index builds and for the balance and integrity aggregations over millions of entries.
    await tx.query("SET LOCAL maintenance_work_mem = '256MB'");
    await tx.query("SET LOCAL work_mem = '256MB'");
  }
  const rows: Record<string, number> = {};
  const count = (table: string, n: number) => (rows[table] = (rows[table] ?? 0) + n);

  // Reference rows of the replay: the incident, the stores and one payable account per store.
  const { incident, stores } = replay;
  const storeColumn = (pick: (store: (typeof stores)[number]) => string, type: ColumnType) =>
    arrayLiteral(stores.map(pick), type);
  await tx.query(
    `INSERT INTO incident (id, code, title, summary, status, opened_at)
     VALUES ($1, $2, $3, $4, 'OPEN', to_timestamp($5::float8 / 1000))`,
    [incident.id, incident.code, incident.title, incident.summary, incident.openedAt],
  );
  count("incident", 1);
  await tx.query(
    `INSERT INTO store (id, code, name, area)
     SELECT * FROM unnest($1::text::uuid[], $2::text::text[], $3::text::text[], $4::text::text[])`,
    [
      storeColumn((s) => s.id, "uuid"),
      storeColumn((s) => s.code, "text"),
      storeColumn((s) => s.name, "text"),
      storeColumn((s) => s.area, "text"),
    ],
  );
  count("store", stores.length);
  await tx.query(
    `INSERT INTO ledger_account (id, code, kind, created_at)
       SELECT id, 'merchant:' || code, 'MERCHANT_PAYABLE', to_timestamp($3::float8 / 1000)
         FROM unnest($1::text::uuid[], $2::text::text[]) AS s(id, code)`,
    [storeColumn((s) => s.merchantAccountId, "uuid"), storeColumn((s) => s.code, "text"), Date.UTC(2018, 0, 1)],
  );
  count("ledger_account", stores.length);

  // Customers in batches. While the database writes batch k, we generate batch k+1 (one batch in flight at most).
  const pipeline = options.pipeline ?? true;
  let inFlight: Promise<void> = Promise.resolve();
  const write = async (statements: ReturnType<typeof statementsFor>) => {
    for (const statement of statements) {
      await tx.query(statement.text, statement.params);
      count(REPLAY_TABLES[statement.table].table, statement.rows);
    }
  };
  const company = trackCompanyBalances(replay, (await balanceIsInteger(tx)) ? INT4_MAX : Number.POSITIVE_INFINITY);
  for (const chunk of replay.chunks(options.chunkSize ?? 2000)) {
    company.add(chunk);
    const statements = statementsFor(chunk, bulk);
    await inFlight;
    options.onProgress?.(chunk.fromIndex, replay.config.customers);
    inFlight = write(statements);
    inFlight.catch(() => undefined); // observed below; keeps Node from reporting it as unhandled meanwhile
    if (!pipeline) await inFlight;
  }
  await inFlight;
  options.onProgress?.(replay.config.customers, replay.config.customers);

  phase("write");
  for (const index of deferred) await tx.query(index.definition);
  if (nameVariantsDeferred) await recordNameVariants(tx);
  phase("indexes");
  // Statistics now, inside the transaction: the checks below (and every console query after COMMIT) would otherwise be
  // planned on empty-table estimates.
  await tx.query(`ANALYZE ${[...LOADED_TABLES, "store", "incident"].map((t) => `"${t}"`).join(", ")}`);
  phase("analyze");
  if (bulk) await setCompanyBalances(tx, company.totals);
  phase("balances");
  await assertLedgerIntegrity(tx);
  phase("verify");
  return { mode: bulk ? "bulk" : "triggers", rows, timings };
}

const INT4_MAX = 2_147_483_647;

async function balanceIsInteger(tx: SqlRunner): Promise<boolean> {
  const rows = await query<{ data_type: string }>(
    tx,
    `SELECT data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'ledger_account' AND column_name = 'balance'`,
  );
  return rows[0]?.data_type === "integer";
}

export interface CompanyBalances {
  /** Adds a batch's entries on company accounts; throws LedgerIntegrityError past the limit. */
  add(chunk: ReplayChunk): void;
  /** Account id → sum of its entries so far. */
  totals: Map<string, number>;
}

/**
 * Wallet balances come from the generator, which simulates every wallet. The company-side accounts (clearing,
 * merchant payables) collect everyone's money, so their totals are kept here, batch by batch. When
 * ledger_account.balance is an INTEGER a large replay overflows them (clearing:CREDIT_CARD passes ¥2.1 billion at
 * about 417,000 customers): stop at the first batch that would, not after a long load.
 */
export function trackCompanyBalances(replay: Replay, limit: number): CompanyBalances {
  const names = new Map<string, string>([
    ...Object.entries(replay.clearingAccountIds).map(([kind, id]) => [id, `clearing:${kind}`] as const),
    ...replay.stores.map((s) => [s.merchantAccountId, `merchant:${s.code}`] as const),
  ]);
  const totals = new Map<string, number>();
  const add = (chunk: ReplayChunk) => {
    for (const batch of [chunk.ledger_entry_in, chunk.ledger_entry_out]) {
      const [, accounts, amounts] = batch.columns as [unknown[], string[], number[]];
      for (let i = 0; i < batch.rows; i++) {
        const account = accounts[i]!;
        if (!names.has(account)) continue;
        const total = (totals.get(account) ?? 0) + amounts[i]!;
        totals.set(account, total);
        if (Math.abs(total) > limit) {
          const fits = Math.floor((chunk.fromIndex * limit) / Math.abs(total) / 1000) * 1000;
          throw new LedgerIntegrityError(
            `at ${chunk.toIndex.toLocaleString("en-US")} customers ${names.get(account)} would hold ` +
              `${total.toLocaleString("en-US")} yen, more than ledger_account.balance can store ` +
              `(±${limit.toLocaleString("en-US")}); seed at most about ${fits.toLocaleString("en-US")} customers, ` +
              `or widen the column to BIGINT`,
          );
        }
      }
    }
  };
  return { add, totals };
}

/** The company accounts had no entries before the load (the seed refuses a database with ledger transactions). */
async function setCompanyBalances(tx: SqlRunner, totals: Map<string, number>): Promise<void> {
  if (totals.size === 0) return;
  await tx.query(
    `UPDATE ledger_account a SET balance = v.total
       FROM unnest($1::text::uuid[], $2::text::int8[]) AS v(id, total) WHERE a.id = v.id`,
    [arrayLiteral([...totals.keys()], "uuid"), arrayLiteral([...totals.values()], "int")],
  );
}

export class LedgerIntegrityError extends Error {}

export interface LedgerCheck {
  unbalancedTransactions: number;
  orphanEntries: number;
  entriesOnMissingAccounts: number;
  balanceMismatches: number;
  negativeWallets: number;
}

/** The database-wide double-entry invariants, in one round trip. */
export async function checkLedgerIntegrity(sql: SqlRunner): Promise<LedgerCheck> {
  const rows = await query<Record<keyof LedgerCheck, string>>(
    sql,
    `
    WITH per_tx AS (SELECT transaction_id, SUM(amount) AS total, COUNT(*) AS entries FROM ledger_entry GROUP BY transaction_id),
         per_account AS (SELECT account_id, SUM(amount) AS total FROM ledger_entry GROUP BY account_id)
    SELECT
      (SELECT COUNT(*) FROM ledger_transaction t LEFT JOIN per_tx p ON p.transaction_id = t.id
        WHERE p.transaction_id IS NULL OR p.total <> 0 OR p.entries < 2)::text AS "unbalancedTransactions",
      (SELECT COUNT(*) FROM per_tx p LEFT JOIN ledger_transaction t ON t.id = p.transaction_id
        WHERE t.id IS NULL)::text AS "orphanEntries",
      (SELECT COUNT(*) FROM per_account p LEFT JOIN ledger_account a ON a.id = p.account_id
        WHERE a.id IS NULL)::text AS "entriesOnMissingAccounts",
      (SELECT COUNT(*) FROM ledger_account a LEFT JOIN per_account p ON p.account_id = a.id
        WHERE a.balance <> COALESCE(p.total, 0))::text AS "balanceMismatches",
      (SELECT COUNT(*) FROM ledger_account WHERE kind = 'CUSTOMER_WALLET' AND balance < 0)::text AS "negativeWallets"`,
  );
  const row = rows[0]!;
  return {
    unbalancedTransactions: Number(row.unbalancedTransactions),
    orphanEntries: Number(row.orphanEntries),
    entriesOnMissingAccounts: Number(row.entriesOnMissingAccounts),
    balanceMismatches: Number(row.balanceMismatches),
    negativeWallets: Number(row.negativeWallets),
  };
}

export async function assertLedgerIntegrity(sql: SqlRunner): Promise<void> {
  const check = await checkLedgerIntegrity(sql);
  const problems = Object.entries(check).filter(([, n]) => n !== 0);
  if (problems.length > 0) {
    throw new LedgerIntegrityError(
      `the loaded ledger is inconsistent: ${problems.map(([k, n]) => `${k}=${n}`).join(", ")}`,
    );
  }
}
