// Least privilege on PostgreSQL (docs/decisions/028-database-roles.md): migrations run as an owner role, the console
// as a runtime role that owns nothing. Each attack from the reliability review fails at the privilege level, and the
// ordinary money path still works as the runtime role (balances move through the owner's trigger).
// The embedded database has one superuser and no roles to separate: this file runs in PostgreSQL mode only.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_ORIGIN } from "~/audit/actor";
import { intakeAuditEvents, recordAuditEventsShared, sealAuditIntakeNow } from "~/audit/audit-log.server";
import { openDatabaseAt, type Database } from "~/db/open-database.server";
import { APPEND_ONLY_TABLES, OWNER_WRITTEN_TABLES } from "~/db/runtime-grants.server";
import { createTestCustomer } from "../support/customers";
import { topUp } from "../support/ledger-fixtures";
import { onServer } from "../support/postgres-admin";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const ADMIN_URL = process.env.FIREBREAK_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const suffix = randomBytes(4).toString("hex");
const OWNER = `firebreak_owner_${suffix}`;
const RUNTIME = `firebreak_app_${suffix}`;
const DATABASE = `firebreak_roles_${suffix}`;
const PASSWORD = randomBytes(12).toString("hex");

function urlFor(role: string): string {
  const url = new URL(ADMIN_URL);
  url.username = role;
  url.password = PASSWORD;
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function asAdmin(sql: string): Promise<void> {
  await onServer(ADMIN_URL, (client) => client.query(sql));
}

describe.skipIf(!onPostgres)("database roles: the runtime role owns nothing", () => {
  let runtime: pg.Client;
  let owner: pg.Client;
  let app: Database;

  beforeAll(async () => {
    await asAdmin(`CREATE ROLE ${OWNER} LOGIN PASSWORD '${PASSWORD}'`);
    await asAdmin(`CREATE ROLE ${RUNTIME} LOGIN PASSWORD '${PASSWORD}'`);
    await asAdmin(`CREATE DATABASE ${DATABASE} OWNER ${OWNER}`);
    await asAdmin(`REVOKE ALL ON DATABASE ${DATABASE} FROM PUBLIC`);
    await asAdmin(`GRANT CONNECT ON DATABASE ${DATABASE} TO ${RUNTIME}`);
    // What `npm start` does with DATABASE_URL (runtime) and DATABASE_OWNER_URL (owner) set.
    app = await openDatabaseAt({ url: urlFor(RUNTIME), ownerUrl: urlFor(OWNER) });
    runtime = new pg.Client({ connectionString: urlFor(RUNTIME) });
    owner = new pg.Client({ connectionString: urlFor(OWNER) });
    await runtime.connect();
    await owner.connect();
  });

  afterAll(async () => {
    await runtime?.end();
    await owner?.end();
    await app?.close();
    await asAdmin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await asAdmin(`DROP ROLE IF EXISTS ${RUNTIME}`);
    await asAdmin(`DROP ROLE IF EXISTS ${OWNER}`);
  });

  async function refused(sql: string, message: RegExp = /permission denied/) {
    const error = await runtime.query(sql).then(
      () => undefined,
      (e: unknown) => e as pg.DatabaseError,
    );
    expect(error, sql).toBeDefined();
    expect(error!.code, sql).toBe("42501"); // insufficient_privilege
    expect(error!.message, sql).toMatch(message);
  }

  it("serves the money path as the runtime role: accounts, top-ups and balances through the owner's trigger", async () => {
    const customer = await createTestCustomer(app.prisma);
    await topUp(app.prisma, customer, 3_000);
    const wallet = await app.prisma.ledgerAccount.findUniqueOrThrow({ where: { id: customer.wallet.id } });
    expect(wallet.balance).toBe(3_000n);
  });

  it("refuses to switch triggers off: session_replication_role, DISABLE TRIGGER, DROP TRIGGER", async () => {
    await refused("SET session_replication_role = replica");
    await refused("SET LOCAL session_replication_role = replica");
    await refused(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`, /must be owner/);
    await refused(`ALTER TABLE ledger_entry DISABLE TRIGGER ALL`, /must be owner/);
    await refused(`DROP TRIGGER audit_event_append_only ON audit_event`, /must be owner/);
    await refused(`DROP TRIGGER ledger_entry_moves_balance ON ledger_entry`, /must be owner/);
    await refused(
      `CREATE TRIGGER sneaky BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change()`,
    );
  });

  it("refuses to rewrite, delete or truncate the append-only tables at the privilege level", async () => {
    for (const table of APPEND_ONLY_TABLES) {
      const { rows } = await owner.query<{ c: string }>(
        `SELECT column_name AS c FROM information_schema.columns WHERE table_name = $1 LIMIT 1`,
        [table],
      );
      const column = rows[0]!.c;
      await refused(
        `UPDATE ${table} SET ${column} = ${column} WHERE false`,
        new RegExp(`permission denied for table ${table}`),
      );
      await refused(`DELETE FROM ${table} WHERE false`, new RegExp(`permission denied for table ${table}`));
      await refused(`TRUNCATE ${table}`, new RegExp(`permission denied for table ${table}`));
    }
  });

  it("writes audit rows through the intake, which only the sealer, with the owner's rights, empties", async () => {
    const action = `test.roles.intake.${suffix}`;
    await intakeAuditEvents(app.sql, [
      { actor: { kind: "system", id: "system:test" }, origin: NO_ORIGIN, action, outcome: "SUCCESS" },
    ]);
    await refused(`DELETE FROM audit_intake WHERE action = '${action}'`, /permission denied for table audit_intake/);
    // The counters the intake is checked against are the owner's: the runtime role numbers rows only by inserting them.
    for (const table of OWNER_WRITTEN_TABLES) {
      await refused(`UPDATE ${table} SET slot = slot WHERE false`, new RegExp(`permission denied for table ${table}`));
      await refused(`INSERT INTO ${table} VALUES (-1, 0)`, new RegExp(`permission denied for table ${table}`));
      await refused(`DELETE FROM ${table} WHERE false`, new RegExp(`permission denied for table ${table}`));
    }
    const { rows: numbered } = await runtime.query<{ slot: number | null }>(
      `SELECT slot FROM audit_intake WHERE action = $1`,
      [action],
    );
    expect(numbered).toEqual([{ slot: expect.any(Number) }]);
    expect(await sealAuditIntakeNow(app.sql)).toBeGreaterThanOrEqual(1);
    // An audited read, appended to the chain as a batch by the runtime role through the owner's function.
    await recordAuditEventsShared(app.sql, [
      { actor: { kind: "system", id: "system:test" }, origin: NO_ORIGIN, action: `${action}.read`, outcome: "SUCCESS" },
    ]);
    const { rows: read } = await runtime.query(`SELECT seq FROM audit_event WHERE action = $1`, [`${action}.read`]);
    expect(read).toHaveLength(1);
    await refused(
      `SELECT firebreak_chain_audit_rows(NULL)`,
      /permission denied for function firebreak_chain_audit_rows/,
    );
    const { rows } = await runtime.query<{ hash: string; pending: number }>(
      `SELECT hash, (SELECT count(*)::int FROM audit_intake) AS pending FROM audit_event WHERE action = $1`,
      [action],
    );
    expect(rows).toEqual([{ hash: expect.stringMatching(/^[0-9a-f]{64}$/), pending: 0 }]);
  });

  it("refuses to write cached balances except through ledger entries", async () => {
    await refused(`UPDATE ledger_account SET balance = 1000000`, /permission denied for table ledger_account/);
    await refused(
      `INSERT INTO ledger_account (id, code, kind, balance) VALUES (gen_random_uuid(), 'x', 'MERCHANT_PAYABLE', 1000000)`,
      /permission denied: a new ledger account starts at balance 0/,
    );
    await refused(`DELETE FROM ledger_account WHERE false`, /permission denied for table ledger_account/);
  });

  it("may not create objects, change the migration history or own anything", async () => {
    await refused(`CREATE TABLE intruder (id int)`, /permission denied for schema public/);
    await refused(
      `CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
      /permission denied for schema public/,
    );
    await refused(`DELETE FROM "_prisma_migrations"`, /permission denied for table _prisma_migrations/);
    const { rows } = await runtime.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = current_user`,
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it("opens an up-to-date database without CREATE, and names the fix when migrations are pending", async () => {
    const again = await openDatabaseAt({ url: urlFor(RUNTIME) });
    await again.close();
    await owner.query(
      `DELETE FROM "_prisma_migrations" WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations")`,
    );
    await expect(openDatabaseAt({ url: urlFor(RUNTIME) })).rejects.toThrow(/DATABASE_OWNER_URL/);
  });

  it("covers tables added by later migrations without a new grant", async () => {
    await owner.query(`CREATE TABLE later_feature (id int PRIMARY KEY, note text)`);
    await runtime.query(`INSERT INTO later_feature VALUES (1, 'a')`);
    await runtime.query(`UPDATE later_feature SET note = 'b'`);
    expect((await runtime.query(`SELECT note FROM later_feature`)).rows).toEqual([{ note: "b" }]);
  });
});
