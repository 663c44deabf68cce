// A backtest's replay holds one connection of its own for minutes (one read transaction, ADR 046). When the server ends
// that connection mid-replay (pg_terminate_backend, a failover), the worker process must live on: the replay fails as
// a lost connection, the runner tries the batch again once the database answers, and the figures are saved once.
// Before, node-postgres raised the loss as an "error" event on the checked-out connection, nobody listened, and the
// whole worker died with every other job and detector it was running.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { database, prisma } from "~/db.server";
import { runJob } from "~/jobs/job-loop.server";
import { type JobHandler } from "~/jobs/job-handlers.server";
import { backtestJob, backtestJobHandler, queueBacktest } from "~/risk/backtest-job.server";
import { draftRule } from "~/risk/rules.server";
import { createTestCustomer } from "../support/customers";
import { createStaffContext, topUp } from "../support/ledger-fixtures";
import { terminateTestDatabaseBackends } from "../support/postgres-admin";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
// Long enough for the server's "terminating connection" and the socket's end to reach the idle replay connection.
const LOSS_ARRIVES_MS = 500;

afterEach(() => {
  // The test registers a variant of the handler (one registry per process): put the real one back.
  void runJob(randomUUID(), { handlers: [backtestJob] });
});

describe.skipIf(!onPostgres)("a backtest whose replay connection is terminated (PostgreSQL)", () => {
  it("keeps the worker alive, replays again and saves the figures once", async () => {
    const customer = await createTestCustomer(prisma);
    for (let k = 0; k < 6; k++) await topUp(prisma, customer, 70001);
    const author = await createStaffContext(prisma, "SECURITY_LEAD");
    const rule = await draftRule(author, {
      ruleKey: `loss-${randomUUID().slice(0, 8)}`,
      name: "connection loss",
      condition: "amount == 70001",
      outcome: "BLOCK",
      channel: "ALL",
    });
    const { jobId } = await queueBacktest(author, rule.id);

    // Small pages: many progress reports, each between two reads of the replay's open transaction.
    const real = backtestJobHandler({ pageSize: 2 });
    let terminated = 0;
    const cut: JobHandler = {
      ...real,
      prepareBatch: (job, items, progress) =>
        real.prepareBatch!(job, items, async (done, total) => {
          if (terminated === 0) {
            terminated = await terminateTestDatabaseBackends();
            await new Promise((resolve) => setTimeout(resolve, LOSS_ARRIVES_MS));
          }
          await progress(done, total);
        }),
    };
    const outcome = await runJob(jobId, { handlers: [cut] });

    expect(terminated).toBeGreaterThan(0);
    expect(outcome?.status).toBe("SUCCEEDED");
    expect(await prisma.riskBacktest.count({ where: { jobId } })).toBe(1);
    const saved = await prisma.riskBacktest.findUniqueOrThrow({ where: { jobId } });
    expect((saved.results as { matched: { topUps: number } }).matched.topUps).toBeGreaterThanOrEqual(6);
    expect(await prisma.auditEvent.count({ where: { action: "jobs.fail", targetId: jobId } })).toBe(0);
    // The pool dropped the dead connection: the next transaction on the driver works.
    expect(await database.sqlTransaction(async (sql) => (await sql.query("SELECT 1 AS one")).rows)).toEqual([
      { one: 1 },
    ]);
  });
});
