// Start-up waits for an unreachable database with backoff instead of exiting (a worker started before PostgreSQL
// accepts connections, as after a failover), and proceeds as soon as it answers.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/smtp-sink";
import { onServer } from "../support/postgres-admin";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const ADMIN_URL = process.env.FIREBREAK_TEST_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const NAME = `firebreak_wait_${randomBytes(4).toString("hex")}`;

async function admin(sql: string): Promise<void> {
  await onServer(ADMIN_URL, (client) => client.query(sql));
}

describe.skipIf(!onPostgres)("start-up while the database refuses connections (PostgreSQL)", () => {
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  });

  it("keeps retrying, then starts once the database answers", async () => {
    await admin(`CREATE DATABASE ${NAME}`);
    await admin(`ALTER DATABASE ${NAME} ALLOW_CONNECTIONS false`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${NAME}`;
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/worker.ts")], {
      env: { ...process.env, NODE_ENV: "test", DATABASE_URL: url.toString(), FIREBREAK_DB_WAIT_MS: "90000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(`${code ?? signal}`)));
    try {
      await waitFor("a retry", () => stderr.includes("database not reachable yet"), 60_000);
      expect(child.exitCode).toBeNull();
      await admin(`ALTER DATABASE ${NAME} ALLOW_CONNECTIONS true`);
      await waitFor("the workers", () => stdout.includes("background workers running"), 60_000);
    } finally {
      child.kill("SIGTERM");
    }
    // Its output goes with the exit code, so a failure says why the worker ended as it did.
    expect({ exit: await exited, output: stdout + stderr }).toEqual({ exit: "0", output: expect.any(String) });
  }, 150_000);
});
