// The connection budget at start-up (docs/decisions/114-connection-budget-and-a-full-customers-pool.md): a process
// reads the server's max_connections and what is reserved, and when FIREBREAK_WEB_PROCESSES web processes and a worker
// could open more connections than that, logs one line naming the numbers and the settings to change, and starts
// anyway (a pooler may stand in front). The shared server's settings are never changed: the worker is given more web
// processes than the server's real limit carries, and the quiet case reads a limit through the check's seam.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { connectionBudgetWarning, deploymentConnections } from "~/db/connection-budget";
import { readServerConnectionLimit, warnIfOverConnectionBudget } from "~/db/connection-budget.server";
import { waitFor } from "../support/smtp-sink";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";

describe.skipIf(!onPostgres)("the connection budget at start-up (PostgreSQL)", () => {
  it("a worker configured for more web processes than the server allows says so in one line, and runs", async () => {
    const limit = await readServerConnectionLimit(database.sql);
    let webProcesses = 1;
    while (deploymentConnections(webProcesses) <= limit.maxConnections - limit.reserved) webProcesses++;

    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/worker.ts")], {
      env: { ...process.env, NODE_ENV: "test", FIREBREAK_WEB_PROCESSES: String(webProcesses) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(`${code ?? signal}`)));
    try {
      await waitFor("the workers", () => output.includes("background workers running"), 60_000);
    } finally {
      child.kill("SIGTERM");
    }
    expect({ exit: await exited, output }).toEqual({ exit: "0", output: expect.any(String) });
    const budgetLines = output.split("\n").filter((line) => line.includes("connection budget"));
    expect(budgetLines).toEqual([connectionBudgetWarning(webProcesses, limit)]);
    expect(budgetLines[0]).toContain(`max_connections ${limit.maxConnections}`);
  }, 90_000);

  it("is quiet when the processes fit, warns on a low limit, and a limit it cannot read stops nothing", async () => {
    const lines: string[] = [];
    const warn = (line: string) => lines.push(line);
    const server = await readServerConnectionLimit(database.sql);
    // This process's configuration: one web process (FIREBREAK_WEB_PROCESSES is unset outside production).
    if (deploymentConnections(1) <= server.maxConnections - server.reserved) {
      await warnIfOverConnectionBudget({ database, warn });
      expect(lines).toEqual([]);
    }
    await warnIfOverConnectionBudget({
      database,
      warn,
      readLimit: async () => ({ maxConnections: 50, reserved: 3 }),
    });
    expect(lines).toEqual([connectionBudgetWarning(1, { maxConnections: 50, reserved: 3 })]);
    lines.length = 0;
    await warnIfOverConnectionBudget({
      database,
      warn,
      readLimit: () => Promise.reject(new Error("permission denied")),
    });
    expect(lines).toEqual(["[db] connection budget not checked: permission denied"]);
  });
});
