// Working rows that matter for seconds do not pile up (ADR 090): auth housekeeping drops the one-time form keys (ADR 087)
// and the marks of committed staff actions a day old, and keeps the fresh ones.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  COMMITTED_ACTION_RETENTION_MS,
  FORCED_RESET_TALLY_RETENTION_MS,
  CONTAINMENT_TALLY_RETENTION_MS,
  FORM_KEY_RETENTION_MS,
  purgeStaleAuthRows,
} from "~/auth/auth-housekeeping.server";
import { AlreadySubmittedError, claimSubmission } from "~/audit/submitted-once.server";
import { prisma } from "~/db.server";

const HOUR = 60 * 60 * 1000;

async function claim(key: string, staffId: string): Promise<void> {
  await prisma.$transaction((tx) =>
    claimSubmission(tx, { key, action: "test.form", staffId, messageKey: "test.already" }),
  );
}

describe("auth housekeeping and the one-time form keys", () => {
  it("drops keys older than a day and keeps the fresh ones", async () => {
    const staffId = randomUUID();
    const old = randomUUID();
    const fresh = randomUUID();
    const at = new Date();
    await prisma.formSubmission.createMany({
      data: [
        { key: old, action: "test.form", staffId, createdAt: new Date(at.getTime() - FORM_KEY_RETENTION_MS - HOUR) },
        { key: fresh, action: "test.form", staffId, createdAt: new Date(at.getTime() - HOUR) },
      ],
    });

    const outcome = await purgeStaleAuthRows(at);

    expect(FORM_KEY_RETENTION_MS).toBe(24 * HOUR);
    expect(outcome.formKeys).toBeGreaterThanOrEqual(1);
    expect(await prisma.formSubmission.findUnique({ where: { key: old } })).toBeNull();
    expect(await prisma.formSubmission.findUnique({ where: { key: fresh } })).not.toBeNull();
    // The fresh key still refuses a second post of its form.
    await expect(claim(fresh, staffId)).rejects.toBeInstanceOf(AlreadySubmittedError);
  });

  it("drops the marks of committed staff actions a day old and keeps the fresh ones", async () => {
    const old = randomUUID();
    const fresh = randomUUID();
    const at = new Date();
    await prisma.committedAction.createMany({
      data: [
        { id: old, committedAt: new Date(at.getTime() - COMMITTED_ACTION_RETENTION_MS - HOUR) },
        { id: fresh, committedAt: new Date(at.getTime() - HOUR) },
      ],
    });

    const outcome = await purgeStaleAuthRows(at);

    expect(COMMITTED_ACTION_RETENTION_MS).toBe(24 * HOUR);
    expect(outcome.committedActions).toBeGreaterThanOrEqual(1);
    expect(await prisma.committedAction.findUnique({ where: { id: old } })).toBeNull();
    expect(await prisma.committedAction.findUnique({ where: { id: fresh } })).not.toBeNull();
  });

  it("drops a day-old tally of a member's forced resets and keeps the last hour's (ADR 104)", async () => {
    const staffId = randomUUID();
    const customerId = randomUUID();
    const at = new Date();
    await prisma.staffForcedReset.createMany({
      data: [
        { staffId, customerId, createdAt: new Date(at.getTime() - FORCED_RESET_TALLY_RETENTION_MS - HOUR) },
        { staffId, customerId, createdAt: new Date(at.getTime() - HOUR / 2) },
      ],
    });

    const outcome = await purgeStaleAuthRows(at);

    expect(FORCED_RESET_TALLY_RETENTION_MS).toBe(24 * HOUR);
    expect(outcome.forcedResetTally).toBeGreaterThanOrEqual(1);
    expect(await prisma.staffForcedReset.count({ where: { staffId } })).toBe(1);
  });

  it("drops a day-old tally of a member's containments and keeps the last hour's (ADR 115)", async () => {
    const staffId = randomUUID();
    const customerId = randomUUID();
    const at = new Date();
    await prisma.staffContainment.createMany({
      data: [
        { staffId, customerId, createdAt: new Date(at.getTime() - CONTAINMENT_TALLY_RETENTION_MS - HOUR) },
        { staffId, customerId, createdAt: new Date(at.getTime() - HOUR / 2) },
      ],
    });

    const outcome = await purgeStaleAuthRows(at);

    expect(CONTAINMENT_TALLY_RETENTION_MS).toBe(24 * HOUR);
    expect(outcome.containmentTally).toBeGreaterThanOrEqual(1);
    expect(await prisma.staffContainment.count({ where: { staffId } })).toBe(1);
  });
});
