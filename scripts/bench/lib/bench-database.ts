// The database a benchmark runs on: on the server FIREBREAK_BENCH_ADMIN_URL names (default: the local PostgreSQL), a
// scratch database the run names with --database, created and seeded with the 7pay replay when --build allows it.
import type { Database } from "~/db/open-database.server";
import {
  createServerDatabase,
  databaseUrlOn,
  dropServerDatabase,
  onServer,
} from "../../../tests/support/postgres-admin";

export const BENCH_ADMIN_URL = process.env.FIREBREAK_BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** How the scratch databases a run creates begin. FIREBREAK_BENCH_DB_PREFIX changes it, so that people sharing one
 *  PostgreSQL can each run benchmarks in databases of their own name (and drop only theirs). */
export const BENCH_SCRATCH_PREFIX = scratchPrefix(process.env.FIREBREAK_BENCH_DB_PREFIX ?? "firebreak_bench");

function scratchPrefix(prefix: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix))
    throw new Error("FIREBREAK_BENCH_DB_PREFIX: lower-case letters, digits and _ only");
  return prefix;
}

/** The URL of database `name` on the bench server. The name goes into CREATE DATABASE unquoted: plain names only. */
export function benchDatabaseUrl(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("--database: lower-case letters, digits and _ only");
  return databaseUrlOn(BENCH_ADMIN_URL, name);
}

export interface BenchDatabaseOptions {
  name: string;
  /** --build: create the database if it is missing and seed it if it is empty. */
  build: boolean;
  /** How many customers --build seeds. */
  customers: number;
  /** What to tell the person when the database is missing or empty and --build was not passed. */
  howToBuild?: string;
}

/** The database's URL, after creating it when it does not exist yet and --build allows it (it is seeded once opened:
 *  seedIfEmpty). */
export async function ensureBenchDatabase(options: BenchDatabaseOptions): Promise<string> {
  const url = benchDatabaseUrl(options.name);
  const { rows } = await onServer(BENCH_ADMIN_URL, (admin) =>
    admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.name]),
  );
  if (rows.length === 0) {
    if (!options.build) throw new Error(`no database ${options.name}: ${howToBuild(options)}`);
    await createServerDatabase(BENCH_ADMIN_URL, options.name);
  }
  return url;
}

/** The number of customers in the bench database, after seeding it with the 7pay replay if it was empty. */
export async function seedIfEmpty(database: Database, options: BenchDatabaseOptions): Promise<number> {
  const count = async () => {
    const { rows } = await database.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM customer");
    return Number(rows[0]!.n);
  };
  const customers = await count();
  if (customers > 0) return customers;
  if (!options.build) throw new Error(`${options.name} is empty: ${howToBuild(options)}`);
  const { seedDatabase } = await import("~/incidents/replay/seed.server");
  console.log(`Seeding ${options.customers.toLocaleString("en-US")} customers into ${options.name}…`);
  await seedDatabase(database, { customers: options.customers });
  return count();
}

function howToBuild(options: BenchDatabaseOptions): string {
  return options.howToBuild ?? "pass --build to create and seed it";
}

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops it, whoever is still connected (the run's pools may linger). */
  drop(): Promise<void>;
}

/** A new, empty database for one run, named `<scratch prefix>_<purpose>_<time>`; the app migrates it when it opens it. */
export async function createScratchDatabase(purpose: string): Promise<ScratchDatabase> {
  const name = `${BENCH_SCRATCH_PREFIX}_${purpose}_${Date.now()}`;
  const url = benchDatabaseUrl(name);
  await createServerDatabase(BENCH_ADMIN_URL, name);
  return { name, url, drop: () => dropServerDatabase(BENCH_ADMIN_URL, name) };
}
