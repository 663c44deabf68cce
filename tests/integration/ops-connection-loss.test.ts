// A dropped connection is not a failed job: pg_terminate_backend in the middle of a batch (every backend of this
// database, as a failover or an administrator would) rolls that batch back; the runner reconnects with backoff and
// finishes the job, each item settled once, no "jobs.fail" in the audit trail. A batch that found every pool connection
// busy is tried again the same way.
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import type { ServerBuild } from "@remix-run/node";
import { isConnectionLoss, isOverloaded, isTransientDbError } from "~/db/transient-errors";
import { withDatabaseOutageAs503 } from "~/ops/http-ops.server";
import en from "~/i18n/locales/en/common";
import { enqueueJob } from "~/jobs/job-enqueue.server";
import { getJobProgress } from "~/jobs/job-progress.server";
import { runJob } from "~/jobs/job-loop.server";
import { type JobHandler, type JobItem } from "~/jobs/job-handlers.server";
import { startAuthHousekeeping } from "~/auth/auth-housekeeping.server";
import { subscribeToAlerts } from "~/detect/alert-feed.server";
import { CURSOR_NAME } from "~/detect/live-evaluation.server";
import { startDetectWorker } from "~/detect/live-worker.server";
import { createStaffContext } from "../support/ledger-fixtures";
import { bringTestDatabaseBack, takeTestDatabaseAway, terminateTestDatabaseBackends } from "../support/postgres-admin";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";

describe("transient error classification", () => {
  it("treats connection loss and contention as transient, and nothing else", () => {
    const terminated = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
    });
    expect(isConnectionLoss(terminated)).toBe(true);
    expect(isConnectionLoss(new Error("wrapped", { cause: { originalCode: "57P01" } }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error("Can't reach database server"), { code: "P1001" }))).toBe(true);
    expect(isConnectionLoss(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isTransientDbError(Object.assign(new Error("deadlock detected"), { code: "40P01" }))).toBe(true);
    expect(isTransientDbError(new Error("permission denied for table audit_event"))).toBe(false);
    expect(isTransientDbError(new Error("ledger transaction x does not balance"))).toBe(false);
  });

  it("tells a pool with no free connection (a burst of load) from a lost database, and both from a defect", () => {
    const poolWait = Object.assign(new Error("Timed out fetching a new connection from the connection pool."), {
      code: "P2024",
    });
    expect(isOverloaded(poolWait)).toBe(true);
    expect(isOverloaded(new Error("Transaction API error: Unable to start a transaction in the given time."))).toBe(
      true,
    );
    expect(isOverloaded(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isConnectionLoss(poolWait)).toBe(false);
    expect(isTransientDbError(poolWait)).toBe(true);
    expect(isOverloaded(new Error("permission denied for table audit_event"))).toBe(false);
  });

  it("a page whose loader finds every connection busy answers 503 saying nothing changed, not 500", async () => {
    const failing = (error: Error) =>
      withDatabaseOutageAs503({
        routes: { page: { id: "page", path: "page", module: { loader: () => Promise.reject(error) } } },
      } as unknown as ServerBuild).routes.page!.module.loader as (args: unknown) => Promise<unknown>;
    const request = new Request("http://console.test/page", { headers: { "Accept-Language": "en" } });
    const args = { request, params: {}, context: {} };
    const busy = await failing(Object.assign(new Error("Timed out fetching a new connection"), { code: "P2024" }))(
      args,
    ).catch((thrown: unknown) => thrown);
    expect(busy).toBeInstanceOf(Response);
    expect((busy as Response).status).toBe(503);
    expect((busy as Response).headers.get("Retry-After")).toBe("5");
    expect(await (busy as Response).text()).toBe(en.errorPage.busy);
    const defect = new Error("ledger transaction x does not balance");
    await expect(failing(defect)(args)).rejects.toBe(defect);
  });
});

describe("job runner when no pool connection comes free", () => {
  it("tries the batch again instead of failing the job", async () => {
    let busy = 0;
    const handler: JobHandler = {
      kind: `test.overload.${randomUUID()}`,
      permission: "bulk:run",
      batchSize: 2,
      async processBatch(_tx, _job, items: JobItem[]) {
        // What an interactive transaction reports when every connection stayed busy for its whole wait.
        if (busy++ === 0) throw new Error("Transaction API error: Unable to start a transaction in the given time.");
        return {
          outcomes: items.map((i) => ({ itemId: i.id, status: "SUCCEEDED" as const, resultAmount: i.amount })),
          amountMoved: 0,
        };
      },
      async finish() {
        return {};
      },
    };
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    const job = await prisma.$transaction((tx) =>
      enqueueJob(tx, {
        kind: handler.kind,
        params: {},
        totals: { items: 3 },
        items: Array.from({ length: 3 }, () => ({ subjectId: randomUUID(), amount: 0 })),
        createdBy: lead.actor,
      }),
    );
    const outcome = await runJob(job.id, { handlers: [handler] });
    expect(busy).toBeGreaterThan(1);
    expect(outcome).toMatchObject({ status: "SUCCEEDED" });
    expect(await getJobProgress(job.id)).toMatchObject({ status: "SUCCEEDED", itemsSucceeded: 3, itemsFailed: 0 });
    expect(await prisma.auditEvent.count({ where: { action: "jobs.fail", targetId: job.id } })).toBe(0);
  });
});

describe.skipIf(!onPostgres)("job runner under pg_terminate_backend (PostgreSQL)", () => {
  it("retries the batch after the connection is killed and finishes the job, each item once", async () => {
    const settled: string[] = [];
    let killed = 0;
    const handler: JobHandler = {
      kind: `test.connection-loss.${randomUUID()}`,
      permission: "bulk:run",
      batchSize: 2,
      async processBatch(tx, _job, items: JobItem[]) {
        if (killed === 0) {
          killed = await terminateTestDatabaseBackends();
          await tx.$queryRaw`SELECT 1`; // the batch's own connection is gone: this throws
        }
        return {
          outcomes: items.map((i) => ({ itemId: i.id, status: "SUCCEEDED" as const, resultAmount: i.amount })),
          amountMoved: 0,
          auditEvents: items.map((i) => ({ action: "test.item", outcome: "SUCCESS" as const, targetId: i.subjectId })),
        };
      },
      async finish() {
        return {};
      },
    };
    // Items settled in a rolled-back batch are not "settled"; the audit trail shows what committed.
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    const job = await prisma.$transaction((tx) =>
      enqueueJob(tx, {
        kind: handler.kind,
        params: {},
        totals: { items: 5 },
        items: Array.from({ length: 5 }, () => ({ subjectId: randomUUID(), amount: 0 })),
        createdBy: lead.actor,
      }),
    );
    const outcome = await runJob(job.id, { handlers: [handler] });
    expect(killed).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ status: "SUCCEEDED" });
    expect(await getJobProgress(job.id)).toMatchObject({ status: "SUCCEEDED", itemsSucceeded: 5, itemsFailed: 0 });
    const events = await prisma.auditEvent.findMany({ where: { action: "test.item", actorId: lead.actor.id } });
    settled.push(...events.map((e) => e.targetId ?? ""));
    expect(new Set(settled).size).toBe(5);
    expect(settled).toHaveLength(5);
    expect(await prisma.auditEvent.count({ where: { action: "jobs.fail", targetId: job.id } })).toBe(0);
  });
});

describe.skipIf(!onPostgres)(
  "the detectors, the alert banner and auth housekeeping while the database is away (PostgreSQL)",
  () => {
    it("wait it out as an operating condition (a warning, never an error) and evaluate the minutes missed once it is back", async () => {
      const MINUTE = 60_000;
      const behind = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE);
      await prisma.detectorCursor.upsert({
        where: { name: CURSOR_NAME },
        create: { name: CURSOR_NAME, minute: behind, updatedAt: behind },
        update: { minute: behind },
      });
      const log = { error: vi.fn(), warn: vi.fn() };
      // The console's own error output fails the test (tests/support/console-errors.ts): the banner's feed reports there.
      const warn = vi.spyOn(console, "warn");
      let stop: (() => Promise<void>) | undefined;
      let unsubscribe: (() => void) | undefined;
      let stopHousekeeping: (() => Promise<void>) | undefined;
      try {
        await takeTestDatabaseAway();
        stop = startDetectWorker({ pollMs: 50, log });
        unsubscribe = subscribeToAlerts(() => undefined);
        stopHousekeeping = startAuthHousekeeping();
        await vi.waitFor(
          () => {
            expect(log.warn.mock.calls.length).toBeGreaterThan(2);
            for (const worker of ["alert feed: database unavailable", "auth housekeeping:"]) {
              expect(warn.mock.calls.some(([line]) => String(line).startsWith(worker))).toBe(true);
            }
          },
          { timeout: 20_000, interval: 50 },
        );
      } finally {
        await bringTestDatabaseBack();
      }
      try {
        // Back by itself: the minutes missed meanwhile are evaluated.
        await vi.waitFor(
          async () => {
            const cursor = await prisma.detectorCursor.findUniqueOrThrow({ where: { name: CURSOR_NAME } });
            expect(cursor.minute.getTime()).toBeGreaterThan(behind.getTime() + 2 * MINUTE);
          },
          { timeout: 30_000, interval: 200 },
        );
      } finally {
        unsubscribe?.();
        await stop?.();
        await stopHousekeeping?.();
        warn.mockRestore();
      }
      expect(log.error).not.toHaveBeenCalled();
      expect(String(log.warn.mock.calls[0]![0])).toMatch(/^detectors: database unavailable/);
    });
  },
);
