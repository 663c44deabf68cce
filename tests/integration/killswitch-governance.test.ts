// Engage (one lead, step-up, reason), release (four-eyes), stale requests, automatic release, and the audit trail of
// every attempt — including the refused ones, which must change nothing and be recorded as DENIED.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import type { Role } from "~/auth/permissions";
import { AUTO_RELEASE_ACTOR, releaseDueSwitches } from "~/killswitch/auto-release.server";
import type { KillSwitchContext } from "~/killswitch/context.server";
import { cancelAutomaticRelease, engageSwitch } from "~/killswitch/engage.server";
import {
  approveRelease,
  rejectRelease,
  releaseWithoutApproval,
  requestRelease,
  withdrawRelease,
} from "~/killswitch/release.server";
import { DomainError } from "~/lib/domain-error";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";
import { onFile } from "../support/staff";

const origin = { ip: "10.0.0.7", userAgent: "vitest", requestId: "req-governance" };
const HOUR = 60 * 60 * 1000;

function staff(role: Role = "SECURITY_LEAD", steppedUpAt: Date | null = new Date()): KillSwitchContext {
  return { actor: { kind: "staff", id: randomUUID(), role }, origin, steppedUpAt };
}

let releaseLock: () => Promise<void>;
beforeAll(async () => {
  releaseLock = await holdKillSwitchTestLock();
});
afterAll(async () => {
  await releaseLock();
});

// Leave every switch as found: released, no pending request.
afterEach(async () => {
  for (const killSwitch of await prisma.killSwitch.findMany({ where: { engaged: true } })) {
    const pending = await prisma.killSwitchReleaseRequest.findUnique({ where: { pendingSwitchKey: killSwitch.key } });
    const request =
      pending ?? (await requestRelease(await onFile(staff()), { key: killSwitch.key, reason: "test cleanup" }));
    await approveRelease(staff(), { requestId: request.id });
  }
});

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal, but the action succeeded");
}

async function lastAudit(actorId: string, action: string) {
  return prisma.auditEvent.findFirst({ where: { actorId, action }, orderBy: { seq: "desc" } });
}

async function switchRow(key: string) {
  return prisma.killSwitch.findUniqueOrThrow({ where: { key } });
}

/** Runs a refused attempt and checks: the expected code, a clear message, nothing changed, a DENIED audit row. */
async function expectDenied(
  ctx: KillSwitchContext,
  action: string,
  attempt: () => Promise<unknown>,
  code: string,
  key = "reset.self_service",
) {
  const before = await switchRow(key);
  const requestsBefore = await prisma.killSwitchReleaseRequest.findMany({
    where: { switchKey: key },
    orderBy: { id: "asc" },
  });
  const error = await refusal(attempt());
  expect(error.code).toBe(code);
  expect(error.message.length).toBeGreaterThan(20);
  expect(await switchRow(key)).toEqual(before);
  expect(await prisma.killSwitchReleaseRequest.findMany({ where: { switchKey: key }, orderBy: { id: "asc" } })).toEqual(
    requestsBefore,
  );
  const audit = await lastAudit(ctx.actor.kind === "staff" ? ctx.actor.id : "", action);
  expect(audit).toMatchObject({ outcome: "DENIED", ip: "10.0.0.7", requestId: "req-governance" });
  const recorded = JSON.stringify(audit?.after);
  // The spine records what refused it: a missing permission, a stale step-up (the spec's), or the service's code.
  const expected: Record<string, string> = {
    PERMISSION_DENIED: "missingPermission",
    STEP_UP_REQUIRED: "step-up-required",
  };
  expect(recorded).toContain(expected[code] ?? code);
  return error;
}

describe("engage", () => {
  it("one security lead engages at once; state, history and audit agree", async () => {
    const ctx = staff();
    const before = await switchRow("signin.new_device");
    const releaseAt = new Date(Date.now() + 2 * HOUR);
    const result = await engageSwitch(ctx, {
      key: "signin.new_device",
      reason: "  credential stuffing from new devices  ",
      releaseAt,
    });
    expect(result).toMatchObject({ engaged: true, version: before.version + 1 });
    const after = await switchRow("signin.new_device");
    expect(after).toMatchObject({
      engaged: true,
      version: before.version + 1,
      changedById: ctx.actor.kind === "staff" ? ctx.actor.id : null,
      reason: "credential stuffing from new devices",
      releaseAt,
    });
    const change = await prisma.killSwitchChange.findUniqueOrThrow({
      where: { switchKey_version: { switchKey: "signin.new_device", version: after.version } },
    });
    expect(change).toMatchObject({
      kind: "ENGAGE",
      engaged: true,
      actorKind: "STAFF",
      reason: "credential stuffing from new devices",
    });
    const audit = await lastAudit(change.actorId, "killswitch.engage");
    expect(audit).toMatchObject({
      outcome: "SUCCESS",
      targetType: "kill_switch",
      targetId: "signin.new_device",
      reason: "credential stuffing from new devices",
    });
    expect(audit?.before).toMatchObject({ engaged: false });
    expect(audit?.after).toMatchObject({ engaged: true, version: after.version });
  });

  it("refuses a missing, whitespace-only or NUL-bearing reason, an unknown switch, a non-lead, no step-up, a double engage", async () => {
    const ctx = staff();
    await expectDenied(
      ctx,
      "killswitch.engage",
      () => engageSwitch(ctx, { key: "reset.self_service", reason: "" }),
      "REASON_REQUIRED",
    );
    await expectDenied(
      ctx,
      "killswitch.engage",
      () => engageSwitch(ctx, { key: "reset.self_service", reason: " \t\n " }),
      "REASON_REQUIRED",
    );
    await expectDenied(
      ctx,
      "killswitch.engage",
      () => engageSwitch(ctx, { key: "reset.self_service", reason: "stuffing\u0000" }),
      "REASON_INVALID",
    );
    const nul = await refusal(requestRelease(ctx, { key: "topup.all\u0000", reason: "typo" }));
    expect(nul).toMatchObject({ code: "KILL_SWITCH_NOT_FOUND", status: 404 });
    const unknown = await refusal(engageSwitch(ctx, { key: "topup.everything", reason: "typo" }));
    expect(unknown).toMatchObject({ code: "KILL_SWITCH_NOT_FOUND", status: 404 });
    expect(await lastAudit(ctx.actor.kind === "staff" ? ctx.actor.id : "", "killswitch.engage")).toMatchObject({
      outcome: "DENIED",
      targetId: "topup.everything",
    });
    for (const role of ["AGENT", "COMPLIANCE", "ADMIN"] as const) {
      const other = staff(role);
      await expectDenied(
        other,
        "killswitch.engage",
        () => engageSwitch(other, { key: "reset.self_service", reason: "I want to" }),
        "PERMISSION_DENIED",
      );
    }
    const stale = staff("SECURITY_LEAD", new Date(Date.now() - HOUR));
    await expectDenied(
      stale,
      "killswitch.engage",
      () => engageSwitch(stale, { key: "reset.self_service", reason: "no step-up" }),
      "STEP_UP_REQUIRED",
    );
    await expectDenied(
      ctx,
      "killswitch.engage",
      () =>
        engageSwitch(ctx, { key: "reset.self_service", reason: "too soon", releaseAt: new Date(Date.now() + 60_000) }),
      "RELEASE_TIME_TOO_SOON",
    );
    await engageSwitch(ctx, { key: "reset.self_service", reason: "reset links phished" });
    await expectDenied(
      ctx,
      "killswitch.engage",
      () => engageSwitch(ctx, { key: "reset.self_service", reason: "again" }),
      "KILL_SWITCH_ALREADY_ENGAGED",
    );
  });
});

describe("release (four-eyes)", () => {
  it("is requested by one lead and executed by a second lead's approval", async () => {
    const first = await onFile(staff());
    const second = staff();
    await engageSwitch(first, { key: "reset.self_service", reason: "reset abuse" });
    const engaged = await switchRow("reset.self_service");
    const request = await requestRelease(first, { key: "reset.self_service", reason: "abuse stopped" });
    expect(request).toMatchObject({ status: "PENDING", switchVersion: engaged.version });
    // Requesting changes nothing yet.
    expect(await switchRow("reset.self_service")).toMatchObject({ engaged: true, version: engaged.version });

    await approveRelease(second, { requestId: request.id, comment: "checked the logs" });
    const released = await switchRow("reset.self_service");
    expect(released).toMatchObject({ engaged: false, version: engaged.version + 1, releaseAt: null });
    const change = await prisma.killSwitchChange.findUniqueOrThrow({
      where: { switchKey_version: { switchKey: "reset.self_service", version: released.version } },
    });
    const ids = [first, second].map((c) => (c.actor.kind === "staff" ? c.actor.id : ""));
    expect(change).toMatchObject({
      kind: "RELEASE",
      engaged: false,
      actorId: ids[0],
      approvedById: ids[1],
      releaseRequestId: request.id,
    });
    expect(await prisma.killSwitchReleaseRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "APPROVED",
      decidedById: ids[1],
      pendingSwitchKey: null,
    });
    expect(await lastAudit(ids[0]!, "killswitch.release.request")).toMatchObject({
      outcome: "SUCCESS",
      reason: "abuse stopped",
    });
    expect(await lastAudit(ids[1]!, "killswitch.release.approve")).toMatchObject({
      outcome: "SUCCESS",
      targetId: request.id,
    });
    expect(await lastAudit(ids[1]!, "killswitch.release")).toMatchObject({
      outcome: "SUCCESS",
      targetId: "reset.self_service",
    });
  });

  it("refuses a release with no approval, a self-approval, a non-lead approval and a second pending request", async () => {
    const requester = await onFile(staff());
    await engageSwitch(requester, { key: "reset.self_service", reason: "reset abuse" });
    await expectDenied(
      requester,
      "killswitch.release",
      () => releaseWithoutApproval(requester, { key: "reset.self_service", reason: "just let it go" }),
      "RELEASE_NEEDS_APPROVAL",
    );
    await expectDenied(
      requester,
      "killswitch.release.request",
      () => requestRelease(requester, { key: "reset.self_service", reason: "   " }),
      "REASON_REQUIRED",
    );
    const request = await requestRelease(requester, { key: "reset.self_service", reason: "abuse stopped" });
    await expectDenied(
      requester,
      "killswitch.release.approve",
      () => approveRelease(requester, { requestId: request.id }),
      "SELF_APPROVAL",
    );
    const agent = staff("AGENT");
    await expectDenied(
      agent,
      "killswitch.release.approve",
      () => approveRelease(agent, { requestId: request.id }),
      "PERMISSION_DENIED",
    );
    const noStepUp = staff("SECURITY_LEAD", null);
    await expectDenied(
      noStepUp,
      "killswitch.release.approve",
      () => approveRelease(noStepUp, { requestId: request.id }),
      "STEP_UP_REQUIRED",
    );
    const other = staff();
    await expectDenied(
      other,
      "killswitch.release.request",
      () => requestRelease(other, { key: "reset.self_service", reason: "me too" }),
      "RELEASE_ALREADY_REQUESTED",
    );
    await expectDenied(
      other,
      "killswitch.release.approve",
      () => approveRelease(other, { requestId: randomUUID() }),
      "RELEASE_REQUEST_NOT_FOUND",
    );
    expect((await switchRow("reset.self_service")).engaged).toBe(true);
  });

  it("a request can be withdrawn by its requester and rejected by another lead, each with a reason", async () => {
    const requester = await onFile(staff());
    const other = staff();
    await engageSwitch(requester, { key: "reset.self_service", reason: "reset abuse" });
    const first = await requestRelease(requester, { key: "reset.self_service", reason: "abuse stopped?" });
    await expectDenied(
      other,
      "killswitch.release.withdraw",
      () => withdrawRelease(other, { requestId: first.id, reason: "not yours" }),
      "NOT_REQUESTER",
    );
    await expectDenied(
      requester,
      "killswitch.release.withdraw",
      () => withdrawRelease(requester, { requestId: first.id, reason: "" }),
      "REASON_REQUIRED",
    );
    await withdrawRelease(requester, { requestId: first.id, reason: "still seeing resets" });
    expect(await prisma.killSwitchReleaseRequest.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      status: "WITHDRAWN",
      decisionReason: "still seeing resets",
    });
    await expectDenied(
      other,
      "killswitch.release.approve",
      () => approveRelease(other, { requestId: first.id }),
      "RELEASE_REQUEST_NOT_PENDING",
    );

    const second = await requestRelease(requester, { key: "reset.self_service", reason: "quiet for an hour" });
    await expectDenied(
      requester,
      "killswitch.release.reject",
      () => rejectRelease(requester, { requestId: second.id, reason: "changed my mind" }),
      "REQUESTER_CANNOT_REJECT",
    );
    await expectDenied(
      other,
      "killswitch.release.reject",
      () => rejectRelease(other, { requestId: second.id, reason: " " }),
      "REASON_REQUIRED",
    );
    await rejectRelease(other, { requestId: second.id, reason: "new wave from 203.0.113.0/24" });
    expect(await prisma.killSwitchReleaseRequest.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      status: "REJECTED",
      decidedById: other.actor.kind === "staff" ? other.actor.id : null,
    });
    expect((await switchRow("reset.self_service")).engaged).toBe(true);
  });

  it("a request goes stale when the switch changes, and a stale request cannot be approved", async () => {
    const first = await onFile(staff());
    const second = staff();
    await engageSwitch(first, {
      key: "reset.self_service",
      reason: "reset abuse",
      releaseAt: new Date(Date.now() + 3 * HOUR),
    });
    const request = await requestRelease(first, { key: "reset.self_service", reason: "abuse stopped" });
    await cancelAutomaticRelease(second, { key: "reset.self_service", reason: "keep it until the review" });
    expect(await prisma.killSwitchReleaseRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "STALE",
      pendingSwitchKey: null,
    });
    const staleAudit = await prisma.auditEvent.findFirst({
      where: { action: "killswitch.release.stale", targetId: request.id },
    });
    expect(staleAudit).toMatchObject({ outcome: "SUCCESS" });
    const error = await expectDenied(
      second,
      "killswitch.release.approve",
      () => approveRelease(second, { requestId: request.id }),
      "RELEASE_REQUEST_STALE",
    );
    expect(error.message).toContain("version");
    expect((await switchRow("reset.self_service")).engaged).toBe(true);
  });
});

describe("automatic release", () => {
  it("releases at the time set when engaging, as the system actor, and makes pending requests stale", async () => {
    const lead = await onFile(staff());
    const releaseAt = new Date(Date.now() + 2 * HOUR);
    await engageSwitch(lead, { key: "signin.new_device", reason: "overnight block", releaseAt });
    const engaged = await switchRow("signin.new_device");
    const request = await requestRelease(lead, { key: "signin.new_device", reason: "early release" });

    const early = await releaseDueSwitches(new Date(releaseAt.getTime() - 1000));
    expect(early.released).not.toContain("signin.new_device");
    expect((await switchRow("signin.new_device")).engaged).toBe(true);

    const due = await releaseDueSwitches(new Date(releaseAt.getTime() + 1000));
    expect(due.released).toContain("signin.new_device");
    const released = await switchRow("signin.new_device");
    expect(released).toMatchObject({
      engaged: false,
      version: engaged.version + 1,
      changedById: null,
      releaseAt: null,
    });
    const change = await prisma.killSwitchChange.findUniqueOrThrow({
      where: { switchKey_version: { switchKey: "signin.new_device", version: released.version } },
    });
    expect(change).toMatchObject({
      kind: "AUTO_RELEASE",
      actorId: AUTO_RELEASE_ACTOR.id,
      actorKind: "SYSTEM",
      releaseAt,
    });
    expect(await lastAudit(AUTO_RELEASE_ACTOR.id, "killswitch.auto-release")).toMatchObject({
      outcome: "SUCCESS",
      actorRole: "SYSTEM",
      targetId: "signin.new_device",
    });
    expect((await prisma.killSwitchReleaseRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      "STALE",
    );
  });

  it("does nothing once the automatic release was cancelled", async () => {
    const lead = await onFile(staff());
    const releaseAt = new Date(Date.now() + HOUR);
    await engageSwitch(lead, { key: "signin.new_device", reason: "overnight block", releaseAt });
    await cancelAutomaticRelease(lead, { key: "signin.new_device", reason: "attack continues" });
    const outcome = await releaseDueSwitches(new Date(releaseAt.getTime() + HOUR));
    expect(outcome.released).not.toContain("signin.new_device");
    expect((await switchRow("signin.new_device")).engaged).toBe(true);
  });
});

describe("the database backs the rules", () => {
  it("keeps the history append-only and refuses a release that names no second person", async () => {
    const lead = await onFile(staff());
    await engageSwitch(lead, { key: "reset.self_service", reason: "reset abuse" });
    const change = await prisma.killSwitchChange.findFirstOrThrow({
      where: { switchKey: "reset.self_service" },
      orderBy: { version: "desc" },
    });
    await expect(
      prisma.killSwitchChange.update({ where: { id: change.id }, data: { reason: "rewritten" } }),
    ).rejects.toThrow(/append-only/);
    await expect(prisma.killSwitchChange.delete({ where: { id: change.id } })).rejects.toThrow(/append-only/);
    const actorId = lead.actor.kind === "staff" ? lead.actor.id : "";
    await expect(
      prisma.killSwitchChange.create({
        data: {
          switchKey: "reset.self_service",
          kind: "RELEASE",
          engaged: false,
          version: 999_999,
          actorId,
          actorKind: "STAFF",
          approvedById: actorId,
          releaseRequestId: randomUUID(),
          reason: "self-approved",
          occurredAt: new Date(),
        },
      }),
    ).rejects.toThrow(/kill_switch_change_release_four_eyes/);
  });
});
