// Stopping a bulk freeze or a cohort reset while it runs leaves the accounts it had not reached open to whoever took
// them over: it is the reopening direction, so it needs a fresh code as an unfreeze does. Starting one needed a code
// already; cancelling a bulk reversal (money not yet moved stays put) stays one click (ADR 122).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { StepUpRequiredError } from "~/audit/perform-action.server";
import type { Role } from "~/auth/permissions";
import { prisma } from "~/db.server";
import { BULK_FREEZE_KIND } from "~/jobs/bulk-freeze.server";
import { BULK_REVERSAL_KIND } from "~/jobs/bulk-reversal.server";
import { cancelJob } from "~/jobs/job-controls.server";
import { enqueueJob } from "~/jobs/job-enqueue.server";
import { COHORT_RESET_JOB } from "~/recovery/cohort-reset.server";
import { redirectPath, startHttpApp } from "../support/http-app";
import { createStaffContext } from "../support/ledger-fixtures";
import { createStaff, signIn, stepUp } from "../support/staff";

async function queued(kind: string, creator: { id: string; role: Role }) {
  return prisma.$transaction((tx) =>
    enqueueJob(tx, {
      kind,
      params: { test: true },
      totals: { items: 2 },
      items: [1, 2].map((amount) => ({ subjectId: randomUUID(), amount, phase: 0 })),
      createdBy: creator,
    }),
  );
}

async function statusOf(jobId: string) {
  return (await prisma.bulkJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } })).status;
}

describe("cancelling a job", () => {
  it.each([BULK_FREEZE_KIND, COHORT_RESET_JOB])(
    "%s: a lead's session without a fresh code cannot stop it; with one it stops",
    async (kind) => {
      const creator = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
      const job = await queued(kind, creator.actor);
      const stolen = await createStaffContext(prisma, "SECURITY_LEAD");
      await expect(cancelJob(stolen, { jobId: job.id, reason: "stop it" })).rejects.toBeInstanceOf(StepUpRequiredError);
      expect(await statusOf(job.id)).toBe("QUEUED");
      const denied = await prisma.auditEvent.findFirst({
        where: { action: "jobs.cancel", targetId: job.id, outcome: "DENIED", actorId: stolen.actor.id },
      });
      expect(denied?.after).toMatchObject({ reason: "step-up-required" });

      const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
      expect(await cancelJob(lead, { jobId: job.id, reason: "wrong cohort" })).toBe("CANCELLED");
    },
  );

  it("a bulk reversal stops with one click: nothing it has not reached is left open", async () => {
    const creator = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const job = await queued(BULK_REVERSAL_KIND, creator.actor);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    expect(await cancelJob(lead, { jobId: job.id, reason: "wrong charges" })).toBe("CANCELLED");
  });

  it("over HTTP, the job page sends a lead without a fresh code to confirm first, and the job runs on", async () => {
    const app = await startHttpApp();
    try {
      const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
      const creator = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
      const job = await queued(BULK_FREEZE_KIND, creator.actor);
      const page = `/jobs/${job.id}`;
      const refused = await lead.post(page, { intent: "cancel", reason: "stop it" });
      expect(refused.status).toBe(302);
      expect(redirectPath(refused)).toBe(`/step-up?redirectTo=${encodeURIComponent(page)}`);
      expect(await statusOf(job.id)).toBe("QUEUED");
      await stepUp(lead, page);
      const ok = await lead.post(page, { intent: "cancel", reason: "wrong cohort" });
      expect(redirectPath(ok)).toBe(page);
      expect(await statusOf(job.id)).toBe("CANCELLED");
    } finally {
      await app.close();
    }
  });
});
