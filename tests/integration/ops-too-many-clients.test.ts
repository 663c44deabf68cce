// A server with no connection slot left (docs/decisions/085-reliability-round-four.md): "sorry, too many clients
// already", or a role at its connection limit, both SQLSTATE 53300, as every process reconnects at once after a restart
// or a failover. Nothing ran, and a slot frees as soon as another client leaves: a lost connection, to wait out like a
// server that is still starting. Before, it was none of the transient errors: start-up exited at once, a job batch was
// marked FAILED, a page answered 500.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabaseAt } from "~/db/open-database.server";
import { isConnectionLoss } from "~/db/transient-errors";
import { onServer } from "../support/postgres-admin";
import { waitFor } from "../support/smtp-sink";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
// A role of this file's own, at its connection limit: every connection it opens is refused with 53300, as on a server
// whose slots are all taken, without taking the slots the other test files share.
const ROLE = `${new URL(process.env.DATABASE_URL ?? "postgresql://x/firebreak_test").pathname.slice(1)}_full_${randomBytes(4).toString("hex")}`;

function urlAs(role: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.username = role;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  await onServer(process.env.DATABASE_URL!, (client) => client.query(sql));
}

describe.skipIf(!onPostgres)("a server with no connection slot left (PostgreSQL)", () => {
  beforeAll(async () => {
    // A member of the owner: it reads and writes what the console does, and is no superuser, so the limit holds.
    await admin(`CREATE ROLE "${ROLE}" LOGIN CONNECTION LIMIT 0 IN ROLE postgres`);
  });
  afterAll(async () => {
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${ROLE}'`);
    await admin(`DROP ROLE IF EXISTS "${ROLE}"`);
  });

  it("is a lost connection to every pool, not a defect", async () => {
    const db = await openDatabaseAt({ url: urlAs(ROLE) }, { migrate: false });
    try {
      const refusals = await Promise.all([
        db.prisma.killSwitch.findMany().catch((error: unknown) => error),
        db.sql.query("SELECT 1").catch((error: unknown) => error),
        db.customerAuth.prisma.killSwitch.findMany().catch((error: unknown) => error),
        db.customerAuth.sql.query("SELECT 1").catch((error: unknown) => error),
        db
          .readOnlySql()
          .query("SELECT 1")
          .catch((error: unknown) => error),
      ]);
      for (const refusal of refusals) {
        expect(String(refusal)).toMatch(/too many connections/);
        expect(isConnectionLoss(refusal)).toBe(true);
      }
    } finally {
      await db.close();
    }
  });

  it("start-up waits for a slot instead of exiting, and starts once one frees", async () => {
    await admin(`ALTER ROLE "${ROLE}" CONNECTION LIMIT 0`);
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/worker.ts")], {
      env: { ...process.env, NODE_ENV: "test", DATABASE_URL: urlAs(ROLE), FIREBREAK_DB_WAIT_MS: "90000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(`${code ?? signal}`)));
    try {
      await waitFor("a retry", () => stderr.includes("database not reachable yet") || child.exitCode !== null, 60_000);
      expect({ exit: child.exitCode, output: stderr }).toEqual({ exit: null, output: expect.any(String) });
      await admin(`ALTER ROLE "${ROLE}" CONNECTION LIMIT -1`);
      await waitFor(
        "the workers",
        () => stdout.includes("background workers running") || child.exitCode !== null,
        60_000,
      );
    } finally {
      child.kill("SIGTERM");
    }
    // Its output goes with the exit code, so a failure says why the worker ended as it did.
    expect({ exit: await exited, output: stdout + stderr }).toEqual({ exit: "0", output: expect.any(String) });
  }, 150_000);
});
