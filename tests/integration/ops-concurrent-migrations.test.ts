// Several processes started at once against a database that has never been migrated (a fresh deployment where the
// web and worker processes come up together, each running the migrations on start): every one of them must start,
// the history must record each migration once, and the runtime role must end up with its grants. PostgreSQL only: the
// embedded database is one process.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { readMigrations } from "~/db/migrations.server";
import { openDatabaseAt, type Database } from "~/db/open-database.server";
import { onServer } from "../support/postgres-admin";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const ADMIN_URL = process.env.FIREBREAK_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const suffix = randomBytes(4).toString("hex");
const prefix = process.env.FIREBREAK_TEST_DB_PREFIX ?? "firebreak";
const OWNER = `${prefix}_mig_owner_${suffix}`;
const RUNTIME = `${prefix}_mig_app_${suffix}`;
const PASSWORD = randomBytes(12).toString("hex");
const databases: string[] = [];
const STARTING_AT_ONCE = 4;

function urlFor(role: string, database: string): string {
  const url = new URL(ADMIN_URL);
  url.username = role;
  url.password = PASSWORD;
  url.pathname = `/${database}`;
  return url.toString();
}

async function asAdmin(sql: string): Promise<void> {
  await onServer(ADMIN_URL, (client) => client.query(sql));
}

async function emptyDatabase(): Promise<string> {
  const name = `${prefix}_mig_${randomBytes(4).toString("hex")}`;
  databases.push(name);
  await asAdmin(`CREATE DATABASE ${name} OWNER ${OWNER}`);
  await asAdmin(`GRANT CONNECT ON DATABASE ${name} TO ${RUNTIME}`);
  return name;
}

/** Opens the database from several "processes" at once (each opening has connections of its own), all or nothing. */
async function startAtOnce(open: () => Promise<Database>): Promise<PromiseSettledResult<Database>[]> {
  const results = await Promise.allSettled(Array.from({ length: STARTING_AT_ONCE }, open));
  await Promise.all(results.map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
  return results;
}

function failures(results: PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
}

describe.skipIf(!onPostgres)("migrations run by several processes starting at once (PostgreSQL)", () => {
  const created = (async () => {
    await asAdmin(`CREATE ROLE ${OWNER} LOGIN PASSWORD '${PASSWORD}'`);
    await asAdmin(`CREATE ROLE ${RUNTIME} LOGIN PASSWORD '${PASSWORD}'`);
  })();

  afterAll(async () => {
    await created.catch(() => undefined);
    for (const name of databases) await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await asAdmin(`DROP ROLE IF EXISTS ${RUNTIME}`);
    await asAdmin(`DROP ROLE IF EXISTS ${OWNER}`);
  });

  async function historyOf(name: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: urlFor(OWNER, name) });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      return rows.map((r) => r.migration_name);
    } finally {
      await client.end();
    }
  }

  it("as one role: every process starts and each migration is applied once", async () => {
    await created;
    const name = await emptyDatabase();
    const results = await startAtOnce(() => openDatabaseAt({ url: urlFor(OWNER, name) }));
    expect(failures(results)).toEqual([]);
    expect(await historyOf(name)).toEqual((await readMigrations()).map((m) => m.name));
  }, 120_000);

  it("as the runtime role with the owner's URL: every process starts and the grants are in place", async () => {
    await created;
    const name = await emptyDatabase();
    const results = await startAtOnce(() =>
      openDatabaseAt({ url: urlFor(RUNTIME, name), ownerUrl: urlFor(OWNER, name) }),
    );
    expect(failures(results)).toEqual([]);
    expect(await historyOf(name)).toEqual((await readMigrations()).map((m) => m.name));
    // What start-up does on every later boot too (the grants are applied again each time): still at once.
    const again = await startAtOnce(() =>
      openDatabaseAt({ url: urlFor(RUNTIME, name), ownerUrl: urlFor(OWNER, name) }),
    );
    expect(failures(again)).toEqual([]);
    const runtime = new pg.Client({ connectionString: urlFor(RUNTIME, name) });
    await runtime.connect();
    try {
      await expect(runtime.query("SELECT count(*) FROM kill_switch")).resolves.toBeDefined();
    } finally {
      await runtime.end();
    }
  }, 120_000);
});
