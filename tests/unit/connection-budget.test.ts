// The connection budget's arithmetic (docs/decisions/114-connection-budget-and-a-full-customers-pool.md): what a web
// process and a worker process may hold, and when the configured processes pass the server's limit.
import { describe, expect, it } from "vitest";
import {
  connectionBudgetWarning,
  deploymentConnections,
  WEB_PROCESS_CONNECTIONS,
  WORKER_PROCESS_CONNECTIONS,
} from "~/db/connection-budget";

const DEFAULT_SERVER = { maxConnections: 100, reserved: 3 };

describe("the connection budget", () => {
  it("counts every pool of a web process and the console's two of a worker", () => {
    // Console Prisma 10 + its driver 10 + two read-only searches 4 each + top-ups 4 + customers 4.
    expect(WEB_PROCESS_CONNECTIONS).toBe(36);
    expect(WORKER_PROCESS_CONNECTIONS).toBe(20);
    expect(deploymentConnections(1)).toBe(56);
    expect(deploymentConnections(3)).toBe(128);
  });

  it("is quiet while the processes fit the server's slots, reserved ones left out", () => {
    expect(connectionBudgetWarning(2, DEFAULT_SERVER)).toBeNull(); // 92 of 97
    expect(connectionBudgetWarning(2, { maxConnections: 92, reserved: 0 })).toBeNull(); // exactly full
  });

  it("names the numbers and the settings to change when they do not", () => {
    expect(connectionBudgetWarning(3, DEFAULT_SERVER)).toBe(
      "[db] connection budget: 3 web processes × 36 + 1 worker process × 20 = 128 connections at peak, but the " +
        "server lets this role open 97 (max_connections 100 − 3 reserved): raise max_connections on the server, " +
        "lower FIREBREAK_WEB_PROCESSES, or put a connection pooler in front",
    );
    // The reserved slots are what tips it: 92 needed, 92 allowed of 95.
    expect(connectionBudgetWarning(2, { maxConnections: 95, reserved: 3 })).toBeNull();
    expect(connectionBudgetWarning(2, { maxConnections: 94, reserved: 3 })).toContain("= 92 connections at peak");
    expect(connectionBudgetWarning(1, { maxConnections: 40, reserved: 3 })).toContain("1 web process × 36");
  });
});
