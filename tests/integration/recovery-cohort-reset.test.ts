// Forced resets for a saved cohort: bulk:run only, one job with progress; every account reset once with its
// own audit row; closed accounts skipped with the reason; hijacked emails contained with the link held; a crashed
// runner's job resumed by the next without resetting anyone twice.
import type { ActionConfirmation } from "~/auth/action-confirmation.server";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { getJobProgress } from "~/jobs/job-progress.server";
import { runJob } from "~/jobs/job-loop.server";
import {
  COHORT_RESET_START,
  cohortResetHandler,
  previewCohortReset,
  startCohortReset,
  type CohortResetReport,
} from "~/recovery/cohort-reset.server";
import { findUnreviewedChange } from "~/recovery/contact-review.server";
import { validateCustomerSession } from "~/wallet/customer-auth-session.server";
import { confirmWithNextCode, createSignedInStaff, staffContext } from "../support/staff";
import { createStaffContext } from "../support/ledger-fixtures";
import { createRecoveryCustomer, hijackEmail, type RecoveryCustomer } from "./recovery-fixtures";

const reason = "credential-stuffing cohort from the 7pay replay";

// Starting a cohort reset needs a fresh step-up (the spine checks it), and the job runner re-reads its creator's role.
const createLead = () => createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });

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

describe("cohort reset preview at scale", () => {
  it("previews a 10,000-member cohort set-based, counting held links by the same rule as one account", async () => {
    const lead = await createLead();
    const tag = randomUUID().slice(0, 8);
    const MEMBERS = 10_000;
    // Bulk-made members: every 100th hijacked from a brand-new device, every 250th closed, every 500th unverified.
    await prisma.$executeRaw`
      INSERT INTO customer (id, display_id, name, name_kana, email, email_verified, phone, birth_date, status)
      SELECT gen_random_uuid(), ${"K" + tag + "-"} || n, '規模 太郎', 'キボ タロウ', ${"scale-" + tag + "-"} || n || '@example.com',
             n % 500 <> 0, '+8190' || lpad(n::text, 8, '0'), DATE '1980-01-01',
             (CASE WHEN n % 250 = 0 THEN 'CLOSED' ELSE 'ACTIVE' END)::"CustomerStatus"
      FROM generate_series(1, ${MEMBERS}::int) AS n`;
    const cohort = await prisma.cohort.create({
      data: { name: `scale ${tag}`, definition: {}, memberCount: MEMBERS, createdById: lead.actor.id },
    });
    await prisma.$executeRaw`
      INSERT INTO cohort_member (cohort_id, customer_id, risk_score, reasons)
      SELECT ${cohort.id}::uuid, id, 80, '[]'::jsonb FROM customer WHERE display_id LIKE ${"K" + tag + "-%"}`;
    await prisma.$executeRaw`
      WITH victims AS (
        SELECT id, email FROM customer
        WHERE display_id LIKE ${"K" + tag + "-%"} AND (substring(display_id from '[0-9]+$'))::int % 100 = 0
      ), devices AS (
        INSERT INTO device (id, customer_id, fingerprint, platform, first_seen_at)
        SELECT gen_random_uuid(), id, 'thief-' || id, 'android', now() - interval '1 hour' FROM victims
        RETURNING id, customer_id
      )
      INSERT INTO contact_change (id, customer_id, field, old_value, new_value, changed_at, source, device_id)
      SELECT gen_random_uuid(), v.id, 'EMAIL', v.email, 'drop-' || v.id || '@attacker.example',
             now() - interval '30 minutes', 'APP', d.id
      FROM victims v JOIN devices d ON d.customer_id = v.id`;

    const preview = await previewCohortReset(cohort.id);
    // 100 hijacked, of which 20 are closed (n % 500 is also n % 250) and skipped before the email is looked at.
    expect(preview).toMatchObject({
      accounts: MEMBERS,
      closed: 40,
      noVerifiedEmail: 0,
      emailUnderReview: 80,
      linksToSend: MEMBERS - 40 - 80,
    });
    // The set-based rule agrees with the per-account one.
    const sample = await prisma.customer.findMany({
      where: { displayId: { in: [`K${tag}-100`, `K${tag}-101`, `K${tag}-300`] } },
      select: { id: true, displayId: true },
    });
    const perAccount = await prisma.$transaction(async (tx) =>
      Promise.all(sample.map(async (c) => [c.displayId, Boolean(await findUnreviewedChange(tx, c.id, "EMAIL"))])),
    );
    expect(Object.fromEntries(perAccount)).toEqual({
      [`K${tag}-100`]: true,
      [`K${tag}-101`]: false,
      [`K${tag}-300`]: true,
    });
  }, 180_000);
});

/** A lead's reset of a saved cohort of five recovery customers, started and not yet run. */
async function startFiveMemberCohortReset() {
  const lead = await createLead();
  const members = [];
  for (let i = 0; i < 5; i++) members.push(await createRecoveryCustomer());
  const cohort = await createCohort(members, lead.actor.id);
  const { jobId } = await startCohortReset(lead, { cohortId: cohort.id, requireTwoFactor: false, reason });
  return { members, jobId };
}

/** Five minutes on: a dead runner's lease has run out, and the next runner may take the job. */
const afterTheLease = () => new Date(Date.now() + 5 * 60 * 1000);

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
    const { members, jobId } = await startFiveMemberCohortReset();

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

    const resumed = await runJob(jobId, { handlers: [cohortResetHandler], batchSize: 2, clock: afterTheLease });
    expect(resumed).toMatchObject({ status: "SUCCEEDED" });
    for (const customer of members) {
      expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(1);
      expect(await prisma.outboundMessage.count({ where: { customerId: customer.id } })).toBe(1);
    }
  });

  it("a runner that dies after a batch committed, still holding the lease, is resumed without resetting or mailing twice", async () => {
    const { members, jobId } = await startFiveMemberCohortReset();

    // Killed between the second batch's commit and anything after it: the lease stays held by the dead runner.
    await expect(
      runJob(jobId, {
        handlers: [cohortResetHandler],
        batchSize: 2,
        hooks: {
          afterCommit: ({ batch }) => {
            if (batch === 2) throw new Error("the process died after the commit");
          },
        },
      }),
    ).rejects.toThrow("died");
    expect((await getJobProgress(jobId))!).toMatchObject({ status: "RUNNING", itemsSucceeded: 4 });
    // Another runner before the lease has run out takes nothing.
    expect(await runJob(jobId, { handlers: [cohortResetHandler], batchSize: 2 })).toBeNull();

    const resumed = await runJob(jobId, { handlers: [cohortResetHandler], batchSize: 2, clock: afterTheLease });
    expect(resumed).toMatchObject({ status: "SUCCEEDED" });
    expect((await getJobProgress(jobId))!).toMatchObject({
      status: "SUCCEEDED",
      itemsTotal: 5,
      itemsSucceeded: 5,
      itemsFailed: 0,
      percent: 100,
    });
    for (const customer of members) {
      expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(1);
      expect(await prisma.outboundMessage.count({ where: { customerId: customer.id } })).toBe(1);
      expect(await prisma.auditEvent.count({ where: { action: "recovery.force-reset", targetId: customer.id } })).toBe(
        1,
      );
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

describe("starting a cohort reset: step-up in the spine, and a code bound to the cohort when it is large", () => {
  it("refuses a lead without a fresh step-up, whoever calls the domain (audited)", async () => {
    const lead = await createLead();
    const cohort = await createCohort([await createRecoveryCustomer()], lead.actor.id);
    const stale = { ...lead, steppedUpAt: null };
    await expect(
      startCohortReset(stale, { cohortId: cohort.id, requireTwoFactor: false, reason }),
    ).rejects.toMatchObject({ code: "STEP_UP_REQUIRED" });
    expect(await prisma.bulkJob.count({ where: { createdById: lead.actor.id } })).toBe(0);
  });

  it("at or above the bound, starts only with a code typed for this very cohort", async () => {
    const signedIn = await createSignedInStaff({ role: "SECURITY_LEAD" });
    const { member, ctx: lead } = signedIn;
    const cohort = await createCohort([await createRecoveryCustomer(), await createRecoveryCustomer()], member.id);
    const other = await createCohort([await createRecoveryCustomer(), await createRecoveryCustomer()], member.id);
    process.env.FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS = "2";
    try {
      const preview = await previewCohortReset(cohort.id);
      expect(preview.needsCode).toBe(true);
      const start = (confirmation?: ActionConfirmation) =>
        startCohortReset(lead, { cohortId: cohort.id, requireTwoFactor: false, reason, confirmation });
      await expect(start()).rejects.toMatchObject({ code: "CONFIRMATION_CODE_REQUIRED" });
      // A code typed for another cohort's reset does not carry over.
      const forOther = await confirmWithNextCode(signedIn, {
        action: COHORT_RESET_START,
        digest: (await previewCohortReset(other.id)).digest,
      });
      await expect(start(forOther)).rejects.toMatchObject({ code: "CONFIRMATION_CODE_REQUIRED" });
      const bound = await confirmWithNextCode(signedIn, { action: COHORT_RESET_START, digest: preview.digest });
      expect(await start(bound)).toMatchObject({ accounts: 2, alreadyStarted: false });
    } finally {
      delete process.env.FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS;
    }
  });
});
