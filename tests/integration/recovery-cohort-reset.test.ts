// Forced resets for a saved cohort: bulk:run only, one job with progress; every account reset once with its
// own audit row; closed accounts skipped with the reason; hijacked emails contained with the link held; a crashed
// runner's job resumed by the next without resetting anyone twice.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { getJobProgress, runJob } from "~/jobs/job-runner.server";
import {
  cohortResetHandler,
  previewCohortReset,
  startCohortReset,
  type CohortResetReport,
} from "~/recovery/cohort-reset.server";
import { validateCustomerSession } from "~/wallet/customer-auth-session.server";
import { createRecoveryCustomer, hijackEmail, staffContext, type RecoveryCustomer } from "./recovery-fixtures";

const reason = "credential-stuffing cohort from the 7pay replay";

async function createLead() {
  const staff = await prisma.staffUser.create({
    data: { email: `lead-${randomUUID()}@firebreak.test`, displayName: "Lead", role: "SECURITY_LEAD" },
  });
  return staffContext("SECURITY_LEAD", staff.id);
}

async function createCohort(members: RecoveryCustomer[], createdById: string) {
  return prisma.cohort.create({
    data: {
      name: `reset cohort ${randomUUID().slice(0, 6)}`,
      definition: {},
      memberCount: members.length,
      createdById,
      members: { create: members.map((m) => ({ customerId: m.id, riskScore: 90, reasons: [] })) },
    },
  });
}

describe("cohort resets", () => {
  it("need bulk:run: an agent is refused and nothing is queued", async () => {
    const lead = await createLead();
    const cohort = await createCohort([await createRecoveryCustomer()], lead.actor.id);
    const agent = staffContext("AGENT");
    await expect(
      startCohortReset(agent, { cohortId: cohort.id, requireTwoFactor: true, reason }),
    ).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    expect(await prisma.bulkJob.count({ where: { createdById: agent.actor.id } })).toBe(0);
    const [row] = await prisma.auditEvent.findMany({
      where: { action: "recovery.cohort-reset.start", targetId: cohort.id },
    });
    expect(row).toMatchObject({ outcome: "DENIED" });
  });

  it("preview, start, run: every account contained once, links sent or held, closed ones skipped, progress 100%", async () => {
    const lead = await createLead();
    const plain = [await createRecoveryCustomer(), await createRecoveryCustomer(), await createRecoveryCustomer()];
    const hijacked = await createRecoveryCustomer();
    const hijack = await hijackEmail(hijacked);
    const closed = await createRecoveryCustomer({ status: "CLOSED" });
    const cohort = await createCohort([...plain, hijacked, closed], lead.actor.id);

    expect(await previewCohortReset(cohort.id)).toMatchObject({
      accounts: 5,
      closed: 1,
      emailUnderReview: 1,
      noVerifiedEmail: 0,
      linksToSend: 3,
    });

    const key = randomUUID();
    const started = await startCohortReset(lead, {
      cohortId: cohort.id,
      requireTwoFactor: true,
      reason,
      idempotencyKey: key,
    });
    expect(started).toMatchObject({ accounts: 5, alreadyStarted: false });
    // A double submit of the confirming form finds the same job.
    const again = await startCohortReset(lead, {
      cohortId: cohort.id,
      requireTwoFactor: true,
      reason,
      idempotencyKey: key,
    });
    expect(again).toMatchObject({ jobId: started.jobId, alreadyStarted: true });
    expect((await getJobProgress(started.jobId))!.status).toBe("QUEUED");

    const outcome = await runJob(started.jobId, { handlers: [cohortResetHandler], batchSize: 2 });
    expect(outcome).toMatchObject({ status: "SUCCEEDED", batches: 3 });

    const progress = (await getJobProgress(started.jobId))!;
    expect(progress).toMatchObject({
      status: "SUCCEEDED",
      itemsTotal: 5,
      itemsSucceeded: 4,
      itemsSkipped: 1,
      percent: 100,
    });
    const job = await prisma.bulkJob.findUniqueOrThrow({ where: { id: started.jobId } });
    expect(job.report as unknown as CohortResetReport).toEqual({
      accounts: 5,
      reset: 4,
      linksQueued: 3,
      linksHeld: [{ code: "CONTACT_UNDER_REVIEW", count: 1 }],
      skipped: [{ code: "ACCOUNT_CLOSED", count: 1 }],
    });

    for (const customer of [...plain, hijacked]) {
      expect(await validateCustomerSession(customer.sessionToken)).toEqual({ ok: false, reason: "REVOKED" });
      expect(await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({
        mustChangePassword: true,
        mustEnrollTwoFactor: true,
      });
      const audits = await prisma.auditEvent.findMany({
        where: { action: "recovery.force-reset", targetId: customer.id },
      });
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ outcome: "SUCCESS", actorId: lead.actor.id, after: { jobId: started.jobId } });
    }
    for (const customer of plain) {
      expect(
        await prisma.outboundMessage.count({ where: { customerId: customer.id, recipient: customer.email } }),
      ).toBe(1);
    }
    expect(await prisma.outboundMessage.count({ where: { recipient: hijack.attackerEmail } })).toBe(0);
    expect(await prisma.passwordResetToken.count({ where: { customerId: hijacked.id } })).toBe(0);
    // The closed account was not touched.
    expect(await validateCustomerSession(closed.sessionToken)).toEqual({ ok: false, reason: "ACCOUNT_CLOSED" });
    expect(await prisma.customer.findUniqueOrThrow({ where: { id: closed.id } })).toMatchObject({
      mustChangePassword: false,
    });
    expect(await prisma.customerSession.count({ where: { customerId: closed.id, revokedAt: null } })).toBe(1);
  });

  it("a runner that dies mid-job leaves it to the next, which resets every remaining account exactly once", async () => {
    const lead = await createLead();
    const members = [];
    for (let i = 0; i < 5; i++) members.push(await createRecoveryCustomer());
    const cohort = await createCohort(members, lead.actor.id);
    const { jobId } = await startCohortReset(lead, { cohortId: cohort.id, requireTwoFactor: false, reason });

    await expect(
      runJob(jobId, {
        handlers: [cohortResetHandler],
        batchSize: 2,
        hooks: {
          beforeCommit: ({ batch }) => {
            if (batch === 2) throw new Error("the process died mid-batch");
          },
        },
      }),
    ).rejects.toThrow("died");
    expect((await getJobProgress(jobId))!).toMatchObject({ status: "RUNNING", itemsSucceeded: 2 });

    const later = () => new Date(Date.now() + 5 * 60 * 1000);
    const resumed = await runJob(jobId, { handlers: [cohortResetHandler], batchSize: 2, clock: later });
    expect(resumed).toMatchObject({ status: "SUCCEEDED" });
    for (const customer of members) {
      expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(1);
      expect(await prisma.outboundMessage.count({ where: { customerId: customer.id } })).toBe(1);
    }
  });

  it("refuses an unknown cohort with a clear message", async () => {
    const lead = await createLead();
    await expect(
      startCohortReset(lead, { cohortId: randomUUID(), requireTwoFactor: false, reason }),
    ).rejects.toMatchObject({ code: "COHORT_NOT_FOUND", status: 404 });
    await expect(previewCohortReset("nonsense")).rejects.toMatchObject({ code: "COHORT_NOT_FOUND" });
  });
});
