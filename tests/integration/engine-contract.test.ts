// The adapter layer's contract: what the console relies on from its database, asserted on whichever engine the run
// uses (embedded PGlite or PostgreSQL). The two engines run the same SQL; what differs is the driver and Prisma adapter
// in between (app/db/open-database.server.ts, app/db/sql-runner.server.ts): how errors reach the app, whether a failure
// at COMMIT is reported, how values come back. The embedded stage runs only a named set of integration files
// (tests/support/embedded-files.ts); this file is what lets the others run on PostgreSQL alone.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { database, prisma } from "~/db.server";
import { systemAccountId } from "~/ledger/post-transaction.server";
import { isTransientDbError } from "~/db/transient-errors";
import { isUniqueViolation } from "~/db/unique-violation";
import { createTestCustomer } from "../support/customers";

const onPostgres = database.mode === "postgresql";

/** A ledger transaction whose one entry leaves it unbalanced: refused only at COMMIT (a deferred constraint trigger). */
const UNBALANCED_INSERT = `WITH t AS (
    INSERT INTO ledger_transaction (id, kind, customer_id, amount, occurred_at)
    VALUES ($1::uuid, 'TOP_UP', $2::uuid, 500, now()) RETURNING id)
  INSERT INTO ledger_entry (transaction_id, account_id, amount) SELECT id, $3::uuid, 500 FROM t`;

async function countTransactions(customerId: string): Promise<number> {
  return prisma.ledgerTransaction.count({ where: { customerId } });
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Record<string, unknown>,
  );
  expect(outcome, "expected a rejection").toBeDefined();
  return outcome!;
}

describe(`the database adapters' contract (${database.mode})`, () => {
  describe("errors", () => {
    it("a trigger's message reaches the app through Prisma, the raw runner and an interactive transaction", async () => {
      const { customer, wallet } = await createTestCustomer(prisma);
      const entry = await prisma.$transaction(async (tx) => {
        const clearing = await systemAccountId(tx, "clearing:CREDIT_CARD");
        const t = await tx.ledgerTransaction.create({
          data: { kind: "TOP_UP", customerId: customer.id, amount: 700, occurredAt: new Date() },
        });
        await tx.ledgerEntry.create({ data: { transactionId: t.id, accountId: clearing, amount: -700 } });
        return tx.ledgerEntry.create({ data: { transactionId: t.id, accountId: wallet.id, amount: 700 } });
      });

      await expect(prisma.ledgerEntry.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
      await expect(
        prisma.$transaction((tx) => tx.$executeRaw`DELETE FROM ledger_entry WHERE id = ${entry.id}`),
      ).rejects.toThrow(/append-only/);
      const raw = await rejection(
        database.sql.query(`DELETE FROM ledger_entry WHERE id = $1::int8`, [String(entry.id)]),
      );
      expect(String(raw.message)).toMatch(/ledger_entry is append-only: DELETE is not allowed/);
      expect(raw.code).toBe("42501");
    });

    it("a trigger's ERRCODE reaches the raw runner as its SQLSTATE", async () => {
      const { customer } = await createTestCustomer(prisma);
      const error = await rejection(
        database.sql.query(
          `INSERT INTO ledger_transaction (id, kind, customer_id, amount, occurred_at, reverses_id)
           VALUES ($1::uuid, 'TOP_UP', $2::uuid, 1, now(), $3::uuid)`,
          [randomUUID(), customer.id, randomUUID()],
        ),
      );
      expect(error.code).toBe("23514");
      expect(String(error.message)).toMatch(/only a reversal may reference another transaction/);
    });

    it("a deferred check failing at COMMIT fails the Prisma transaction and commits nothing", async () => {
      const { customer, wallet } = await createTestCustomer(prisma);
      await expect(
        prisma.$transaction((tx) => tx.$executeRawUnsafe(UNBALANCED_INSERT, randomUUID(), customer.id, wallet.id)),
      ).rejects.toThrow(/does not balance/);
      expect(await countTransactions(customer.id)).toBe(0);
      // The connection is usable afterwards: the next transaction commits.
      await prisma.$transaction((tx) => tx.customer.update({ where: { id: customer.id }, data: { name: "次" } }));
      expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).name).toBe("次");
    });

    it("a deferred check failing at COMMIT fails sqlTransaction and commits nothing", async () => {
      const { customer, wallet } = await createTestCustomer(prisma);
      await expect(
        database.sqlTransaction((tx) => tx.query(UNBALANCED_INSERT, [randomUUID(), customer.id, wallet.id])),
      ).rejects.toThrow(/does not balance/);
      expect(await countTransactions(customer.id)).toBe(0);
    });

    it("a unique violation is Prisma's P2002, and 23505 on the raw runner", async () => {
      const { customer } = await createTestCustomer(prisma);
      // Another customer under the same display ID.
      const duplicate = () => ({
        data: {
          displayId: customer.displayId,
          name: "重複",
          nameKana: "ジュウフク",
          email: `dup-${randomUUID()}@example.com`,
          phone: "+819000000000",
          birthDate: new Date("1990-04-01"),
        },
      });
      expect(isUniqueViolation(await rejection(prisma.customer.create(duplicate())))).toBe(true);
      const inTransaction = await rejection(prisma.$transaction((tx) => tx.customer.create(duplicate())));
      expect(isUniqueViolation(inTransaction)).toBe(true);
      const raw = await rejection(
        database.sql.query(
          `INSERT INTO customer (id, display_id, name, name_kana, email, phone, birth_date)
           SELECT gen_random_uuid(), display_id, name, name_kana, email, phone, birth_date FROM customer WHERE id = $1`,
          [customer.id],
        ),
      );
      expect(raw.code).toBe("23505");
    });

    // Hostile input that reaches the database (a non-UUID in a uuid column) must fail alike on both engines: with its
    // SQLSTATE and message, and not taken for contention or a lost connection (app/db/transient-errors.ts).
    it("a value the database refuses fails with its SQLSTATE, and is not taken for a transient error", async () => {
      const viaPrisma = await rejection(prisma.$queryRaw`SELECT ${"not-a-uuid"}::uuid AS id`);
      expect(String(viaPrisma.message)).toMatch(/22P02/);
      expect(String(viaPrisma.message)).toMatch(/invalid input syntax for type uuid/);
      expect(isTransientDbError(viaPrisma)).toBe(false);
      const viaModel = await rejection(prisma.customer.findMany({ where: { id: "not-a-uuid" } }));
      expect(isTransientDbError(viaModel)).toBe(false);
      const raw = await rejection(database.sql.query(`SELECT $1::uuid AS id`, ["not-a-uuid"]));
      expect(raw.code).toBe("22P02");
      expect(isTransientDbError(raw)).toBe(false);
    });
  });

  describe("transactions", () => {
    it("roll back when their callback throws, in Prisma and in sqlTransaction", async () => {
      const { customer } = await createTestCustomer(prisma);
      const boom = new Error("boom");
      await expect(
        prisma.$transaction(async (tx) => {
          await tx.customer.update({ where: { id: customer.id }, data: { name: "消える" } });
          throw boom;
        }),
      ).rejects.toBe(boom);
      await expect(
        database.sqlTransaction(async (tx) => {
          await tx.query(`UPDATE customer SET name = '消える' WHERE id = $1`, [customer.id]);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).name).toBe(customer.name);
    });

    it("set_config(…, true) and SET LOCAL last for the transaction only", async () => {
      const sessionSettings = `SELECT current_setting('statement_timeout') AS st, current_setting('session_replication_role') AS srr`;
      // The session's own defaults: PostgreSQL's, or on the console's pooled connections its statement bounds (ADR 080).
      const before = (await database.sql.query<{ st: string; srr: string }>(sessionSettings)).rows[0];
      expect(before?.srr).toBe("origin");
      const settings = await database.sqlTransaction(async (tx) => {
        await tx.query(`SELECT set_config('statement_timeout', '1234', true), set_config('lock_timeout', '567', true)`);
        await tx.query(`SET LOCAL session_replication_role = replica`);
        const { rows } = await tx.query<{ st: string; lt: string; srr: string }>(
          `SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt,
                  current_setting('session_replication_role') AS srr`,
        );
        return rows[0];
      });
      expect(settings).toEqual({ st: "1234ms", lt: "567ms", srr: "replica" });
      const { rows } = await database.sql.query<{ st: string; srr: string }>(sessionSettings);
      expect(rows[0]).toEqual(before);
      const inPrisma = await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('statement_timeout', ${"2500"}, true)`;
        return tx.$queryRaw<{ st: string }[]>`SELECT current_setting('statement_timeout') AS st`;
      });
      expect(inPrisma[0]?.st).toBe("2500ms");
    });

    it("a read-only transaction refuses a write with 25006", async () => {
      const { customer } = await createTestCustomer(prisma);
      const error = await rejection(
        database.sqlTransaction(async (tx) => {
          await tx.query(`SELECT set_config('transaction_read_only', 'on', true)`);
          await tx.query(`UPDATE customer SET name = 'x' WHERE id = $1`, [customer.id]);
        }),
      );
      expect(error.code).toBe("25006");
    });

    // The caller search and the audit search rely on it on PostgreSQL; the embedded engine, one connection in the
    // same process, has no statement timeout (app/accounts/caller-search.server.ts says so).
    it(
      onPostgres
        ? "statement_timeout cancels a slow statement with 57014"
        : "statement_timeout is accepted and cancels nothing",
      async () => {
        const outcome = await database
          .sqlTransaction(async (tx) => {
            await tx.query(`SELECT set_config('statement_timeout', '50', true)`);
            await tx.query(`SELECT pg_sleep(0.3)`);
            return "finished";
          })
          .catch((error: { code?: string }) => error.code);
        expect(outcome).toBe(onPostgres ? "57014" : "finished");
      },
    );

    it("advisory transaction locks are taken and released with the transaction", async () => {
      const key = 7_000_000_000 + Math.floor(Math.random() * 1_000_000);
      await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${key}::bigint)`;
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${41}::int, hashtext(${"staff"}))`;
      });
      await database.sqlTransaction((tx) => tx.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [key]));
      const { rows } = await database.sql.query<{ free: boolean }>(`SELECT pg_try_advisory_lock($1::bigint) AS free`, [
        key,
      ]);
      expect(rows[0]?.free).toBe(true);
      await database.sql.query(`SELECT pg_advisory_unlock_all()`);
    });

    it("$executeRaw returns the number of rows it changed", async () => {
      const { customer } = await createTestCustomer(prisma);
      const changed = await prisma.$transaction(
        (tx) => tx.$executeRaw`UPDATE customer SET name = name WHERE id = ${customer.id}::uuid OR false`,
      );
      expect(changed).toBe(1);
      expect(await prisma.$executeRaw`UPDATE customer SET name = name WHERE id = ${randomUUID()}::uuid`).toBe(0);
    });
  });

  describe("statements and values", () => {
    it("a named prepared statement runs again under its name, in the pool and in a transaction", async () => {
      const text = `SELECT $1::int + 1 AS n`;
      const options = { name: `engine_contract_${randomUUID().slice(0, 8)}` };
      for (const n of [1, 2, 3]) {
        expect((await database.sql.query<{ n: number }>(text, [n], options)).rows).toEqual([{ n: n + 1 }]);
      }
      const inTransaction = await database.sqlTransaction(async (tx) => {
        const first = await tx.query<{ n: number }>(text, [10], options);
        const second = await tx.query<{ n: number }>(text, [20], options);
        return [...first.rows, ...second.rows];
      });
      expect(inTransaction).toEqual([{ n: 11 }, { n: 21 }]);
    });

    it("a JS array binds as a SQL array, through the raw runner and Prisma", async () => {
      const values = ["a", "b c", 'q"uote', "日本"];
      const { rows } = await database.sql.query<{ n: number; back: string[] }>(
        `SELECT cardinality($1::text[]) AS n, $1::text[] AS back`,
        [values],
      );
      expect(rows[0]).toEqual({ n: 4, back: values });
      const ids = [randomUUID(), randomUUID()];
      const viaPrisma = await prisma.$queryRaw<{ hit: boolean }[]>`SELECT ${ids[1]}::uuid = ANY(${ids}::uuid[]) AS hit`;
      expect(viaPrisma[0]?.hit).toBe(true);
    });

    it("bigint: Prisma gives BigInt; the raw runner gives what Number() and BigInt() read exactly", async () => {
      const big = 2n ** 60n + 7n;
      const { customer, wallet } = await createTestCustomer(prisma);
      expect(typeof (await prisma.ledgerAccount.findUniqueOrThrow({ where: { id: wallet.id } })).balance).toBe(
        "bigint",
      );
      const viaPrisma = await prisma.$queryRaw<{ v: bigint; c: bigint }[]>`
        SELECT ${big}::int8 AS v, count(*) AS c FROM customer WHERE id = ${customer.id}::uuid`;
      expect(viaPrisma[0]).toEqual({ v: big, c: 1n });
      const { rows } = await database.sql.query<{ v: unknown; c: unknown }>(
        `SELECT $1::int8 AS v, count(*) AS c FROM customer WHERE id = $2`,
        [big.toString(), customer.id],
      );
      expect(BigInt(rows[0]!.v as string)).toBe(big);
      expect(Number(rows[0]!.c)).toBe(1);
    });

    it("timestamptz round-trips to the millisecond as a Date; date columns read as text stay the same day", async () => {
      const at = new Date("2026-02-28T15:30:45.123Z");
      const viaPrisma = await prisma.$queryRaw<{ t: Date }[]>`SELECT ${at}::timestamptz AS t`;
      expect(viaPrisma[0]?.t).toEqual(at);
      const { rows } = await database.sql.query<{ t: Date; d: string; jst: string }>(
        `SELECT $1::timestamptz AS t, ($1::timestamptz AT TIME ZONE 'Asia/Tokyo')::date::text AS d,
                to_char($1::timestamptz AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') AS jst`,
        [at.toISOString()],
      );
      expect(rows[0]?.t).toBeInstanceOf(Date);
      expect(rows[0]?.t.getTime()).toBe(at.getTime());
      expect(rows[0]?.d).toBe("2026-03-01");
      expect(rows[0]?.jst).toBe("2026-03-01 00:30");
      const { customer } = await createTestCustomer(prisma);
      const stored = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
      expect(stored.birthDate.toISOString()).toBe("1990-04-01T00:00:00.000Z");
    });

    it("JSON columns round-trip through Prisma and come back parsed from the raw runner", async () => {
      const value = { yen: 1_200, names: ["試験", 'a"b'], nested: { ok: true, none: null } };
      const { rows } = await database.sql.query<{ j: unknown; t: string }>(
        `SELECT $1::jsonb AS j, jsonb_typeof($1::jsonb) AS t`,
        [JSON.stringify(value)],
      );
      expect(rows[0]).toEqual({ j: value, t: "object" });
      const viaPrisma = await prisma.$queryRaw<{ j: unknown }[]>`SELECT ${JSON.stringify(value)}::jsonb AS j`;
      expect(viaPrisma[0]?.j).toEqual(value);
    });
  });
});
