// Enforcement across processes and when the switch state cannot be read. The cross-process test needs
// PostgreSQL (FIREBREAK_TEST_DB=postgresql), whose database both processes open: an embedded PGlite database belongs
// to one process.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createInterface, type Interface } from "node:readline";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { PrismaClient } from "~/generated/prisma/client";
import type { KillSwitchContext } from "~/killswitch/context.server";
import { engageSwitch } from "~/killswitch/engage.server";
import { approveRelease, requestRelease } from "~/killswitch/release.server";
import { DomainError } from "~/lib/domain-error";
import { createSimulatedCustomer } from "~/wallet/simulated-customers.server";
import { topUp } from "~/wallet/top-up.server";
import { untilSomeoneWaitsOnALock } from "../support/database-sessions";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";
import { onFile } from "../support/staff";

const origin = { ip: "127.0.0.1", userAgent: "vitest", requestId: "req-enforcement" };
const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";

function lead(): KillSwitchContext {
  return { actor: { kind: "staff", id: randomUUID(), role: "SECURITY_LEAD" }, origin, steppedUpAt: new Date() };
}

async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ACCEPTED";
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

async function release(key: string) {
  const request = await requestRelease(await onFile(lead()), { key, reason: "test over" });
  await approveRelease(lead(), { requestId: request.id });
}

let releaseLock: () => Promise<void>;
beforeAll(async () => {
  releaseLock = await holdKillSwitchTestLock();
});
afterAll(async () => {
  await releaseLock();
});

/** A long-lived child process that makes top-ups on request (scripts/bench/lib/kill-switch-top-up-child.ts). */
class TopUpChild {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
  ) {}

  static async start(): Promise<TopUpChild> {
    const child = spawn(
      path.resolve("node_modules/.bin/tsx"),
      [path.resolve("scripts/bench/lib/kill-switch-top-up-child.ts")],
      { env: { ...process.env, NODE_ENV: "test" }, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const reader: Interface = createInterface({ input: child.stdout });
    const started = new TopUpChild(child, reader[Symbol.asyncIterator]());
    const ready = await started.next();
    if (!ready.ready) throw new Error(`child did not start: ${stderr}`);
    expect(ready.pid).not.toBe(process.pid);
    return started;
  }

  private async next(): Promise<Record<string, unknown>> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error("child exited");
    return JSON.parse(value) as Record<string, unknown>;
  }

  async topUp(request: { customerId: string; fundingSourceId: string; amount: number }) {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    return this.next();
  }

  async stop() {
    this.child.stdin.end();
    await new Promise((resolve) => this.child.once("exit", resolve));
  }
}

describe.skipIf(!onPostgres)("across processes (PostgreSQL)", () => {
  it("a top-up in another, already running process is refused as soon as the engagement commits", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const card = customer.fundingSources.find((s) => s.kind === "CREDIT_CARD")!.id;
    const child = await TopUpChild.start();
    try {
      expect(await child.topUp({ customerId: customer.id, fundingSourceId: card, amount: 1000 })).toMatchObject({
        outcome: "ACCEPTED",
        balance: 1000,
      });
      await engageSwitch(lead(), { key: "topup.credit_card", reason: "cross-process test" });
      // No waiting, no polling: the very next request in the other process sees the committed state.
      expect(await child.topUp({ customerId: customer.id, fundingSourceId: card, amount: 1000 })).toMatchObject({
        outcome: "TOPUP_SUSPENDED",
      });
      await release("topup.credit_card");
      expect(await child.topUp({ customerId: customer.id, fundingSourceId: card, amount: 1000 })).toMatchObject({
        outcome: "ACCEPTED",
        balance: 2000,
      });
    } finally {
      await child.stop();
    }
  });

  it("a top-up waiting on a switch change in progress is refused once it commits, and never accepted after it", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const bank = customer.fundingSources.find((s) => s.kind === "BANK")!.id;
    // Hold the engagement open (uncommitted) on another connection, as a slow engage would.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("UPDATE kill_switch SET engaged = true, version = version + 1 WHERE key = 'topup.all'");
      const waiting = outcomeOf(topUp({ customerId: customer.id, fundingSourceId: bank, amount: 500 }));
      // Committed only once the top-up waits on the row: one that read the switch afterwards would prove nothing.
      await untilSomeoneWaitsOnALock("the top-up to wait on the switch change");
      await holder.query("COMMIT");
      expect(await waiting).toBe("TOPUP_SUSPENDED");
    } finally {
      await holder.query("UPDATE kill_switch SET engaged = false, version = version + 1 WHERE key = 'topup.all'");
      await holder.end();
    }
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id } })).toBe(0);
  });

  it("fails closed when the switch row stays locked longer than the lock timeout", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const bank = customer.fundingSources.find((s) => s.kind === "BANK")!.id;
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT key FROM kill_switch WHERE key = 'topup.bank' FOR UPDATE");
      expect(await outcomeOf(topUp({ customerId: customer.id, fundingSourceId: bank, amount: 500 }))).toBe(
        "TOPUP_SWITCH_STATE_UNAVAILABLE",
      );
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id } })).toBe(0);
  });
});

describe("fail closed", () => {
  it("refuses a top-up when the database cannot be reached", async () => {
    // Nothing listens on port 1: every query fails to connect.
    const unreachable = new PrismaClient({
      adapter: new PrismaPg({
        connectionString: "postgresql://firebreak@127.0.0.1:1/none",
        connectionTimeoutMillis: 2000,
      }),
    });
    try {
      const attempt = topUp(
        { customerId: randomUUID(), fundingSourceId: randomUUID(), amount: 1000 },
        { db: unreachable },
      );
      await expect(attempt).rejects.toMatchObject({ code: "TOPUP_SWITCH_STATE_UNAVAILABLE", status: 503 });
      await expect(attempt).rejects.toThrow(/could not be confirmed/);
    } finally {
      await unreachable.$disconnect();
    }
  });

  // A database whose switch query misbehaves: every other statement goes to the real database.
  function clientWhereSwitchQuery(behaviour: "throws" | "returns-nothing") {
    return {
      $transaction: ((fn: (tx: unknown) => Promise<unknown>, options?: unknown) =>
        prisma.$transaction(
          (tx) =>
            fn(
              new Proxy(tx, {
                get(target, property, receiver) {
                  const value = Reflect.get(target, property, receiver);
                  if (property !== "$queryRaw") return value;
                  return (strings: TemplateStringsArray, ...values: unknown[]) => {
                    if (strings.join("?").includes("FROM kill_switch")) {
                      if (behaviour === "throws")
                        return Promise.reject(new Error("permission denied for table kill_switch"));
                      return Promise.resolve([]);
                    }
                    return (value as (s: TemplateStringsArray, ...v: unknown[]) => unknown).call(
                      target,
                      strings,
                      ...values,
                    );
                  };
                },
              }),
            ),
          options as never,
        )) as typeof prisma.$transaction,
    };
  }

  it("refuses a top-up when the switch query fails or a switch row is missing", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const card = customer.fundingSources.find((s) => s.kind === "CREDIT_CARD")!.id;
    for (const behaviour of ["throws", "returns-nothing"] as const) {
      expect(
        await outcomeOf(
          topUp(
            { customerId: customer.id, fundingSourceId: card, amount: 1000 },
            { db: clientWhereSwitchQuery(behaviour) },
          ),
        ),
      ).toBe("TOPUP_SWITCH_STATE_UNAVAILABLE");
    }
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id } })).toBe(0);
    // The same customer and card are fine with a database that answers.
    expect(await outcomeOf(topUp({ customerId: customer.id, fundingSourceId: card, amount: 1000 }))).toBe("ACCEPTED");
  });
});
