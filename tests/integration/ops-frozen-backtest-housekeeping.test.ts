// A rule backtest and auth housekeeping when their database freezes in the middle of their work
// (docs/decisions/085-reliability-round-four.md): the connections open at that moment stop answering for good and a new
// server answers behind the same address, as a frozen primary replaced. The backtest's figures are saved in a
// transaction whose COMMIT reaches the server but whose answer never comes back (saved or not is unknown to the runner):
// the job succeeds through the new server before the frozen connections are let go, with its figures saved once.
// Housekeeping's first delete is done by the server and never answered: the next run finishes the sweep. (The other
// workers: ops-frozen-jobs.test.ts, ops-frozen-workers.test.ts.)
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { startAuthHousekeeping } from "~/auth/auth-housekeeping.server";
import { prisma } from "~/db.server";
import { startJobRunner } from "~/jobs/job-loop.server";
import { backtestJob, queueBacktest } from "~/risk/backtest-job.server";
import { draftRule } from "~/risk/rules.server";
import { createTestCustomer } from "../support/customers";
import { doneBeforeLetGo, frozenOrFail, openProcessDatabaseThroughProxy } from "../support/frozen-worker";
import { createStaffContext, topUp } from "../support/ledger-fixtures";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const through = await vi.hoisted(async () => {
  if (process.env.FIREBREAK_TEST_DB !== "postgresql") return null;
  const { openProcessDatabaseThroughProxy: open } = await import("../support/frozen-worker");
  return open();
});
void openProcessDatabaseThroughProxy; // opened above, before ~/db.server was imported

afterEach(() => {
  through?.proxy.resume();
});
afterAll(async () => {
  await through?.proxy.close();
});

const ONE_DAY = 24 * 60 * 60 * 1000;

describe.skipIf(!onPostgres)("a backtest whose figures' COMMIT is never answered (PostgreSQL)", () => {
  it("succeeds through the new server before the frozen one answers, its figures saved once", async () => {
    const { proxy, directUrl } = through!;
    const customer = await createTestCustomer(prisma);
    for (let k = 0; k < 3; k++) await topUp(prisma, customer, 70003);
    const author = await createStaffContext(prisma, "SECURITY_LEAD");
    const rule = await draftRule(author, {
      ruleKey: `frozen-${randomUUID().slice(0, 8)}`,
      name: "frozen save",
      condition: "amount == 70003",
      outcome: "BLOCK",
      channel: "ALL",
    });
    const { jobId } = await queueBacktest(author, rule.id);
    const frozen = proxy.freezeWhenSent("COMMIT", { after: "risk_backtest" });
    const stop = startJobRunner({ handlers: [backtestJob], pollIntervalMs: 50 });
    try {
      await frozenOrFail(frozen, "the COMMIT of the figures");
      const before = await doneBeforeLetGo(proxy, directUrl, async (client) => {
        const { rows } = await client.query<{ status: string }>("SELECT status FROM bulk_job WHERE id = $1", [jobId]);
        return rows[0]?.status === "SUCCEEDED";
      });
      expect(before).toBe(true);
    } finally {
      await stop();
    }
    expect(await prisma.riskBacktest.count({ where: { jobId } })).toBe(1);
    const saved = await prisma.riskBacktest.findUniqueOrThrow({ where: { jobId } });
    expect((saved.results as { matched: { topUps: number } }).matched.topUps).toBeGreaterThanOrEqual(3);
  });
});

describe.skipIf(!onPostgres)("auth housekeeping when its first delete is never answered (PostgreSQL)", () => {
  it("gives up on it and finishes the sweep through the new server before the frozen one answers", async () => {
    const { proxy, directUrl } = through!;
    const member = await createStaffContext(prisma, "AGENT");
    const long = new Date(Date.now() - ONE_DAY);
    const stale = `stale-${randomUUID()}`;
    await prisma.staffSession.create({
      data: { id: stale, staffId: member.actor.id, stage: "FULL", lastSeenAt: long, expiresAt: long },
    });
    const ip = `frozen-${randomUUID().slice(0, 8)}`;
    await prisma.signInAttempt.create({ data: { ip, occurredAt: long } });
    const frozen = proxy.freezeWhenSent("staff_session");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const stop = startAuthHousekeeping({ intervalMs: 200 });
    try {
      await frozenOrFail(frozen, "the sessions' delete");
      const before = await doneBeforeLetGo(proxy, directUrl, async (client) => {
        const { rows } = await client.query("SELECT 1 FROM sign_in_attempt WHERE ip = $1", [ip]);
        return rows.length === 0;
      });
      expect(before).toBe(true);
      expect(warn.mock.calls.some(([line]) => String(line).startsWith("auth housekeeping:"))).toBe(true);
    } finally {
      await stop();
      warn.mockRestore();
    }
    expect(await prisma.staffSession.findUnique({ where: { id: stale } })).toBeNull();
  });
});
