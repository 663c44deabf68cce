// Four eyes on privileged staff access (ADR 066): an invitation with a privileged role, or a raise to one, is a request
// that a second, different, active admin approves after a step-up. Before that nothing exists that could be used — no
// staff row, no link, no mail, no new role. Self-approval and approval by anyone but an admin are refused and audited;
// two admins approving at once give exactly one link; a request lapses after 72 hours. Re-enabling a disabled member
// whose role is privileged waits the same way.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { StepUpRequiredError } from "~/audit/perform-action.server";
import { changeStaffRole, disableStaff, enableStaff, inviteStaff } from "~/auth/staff-admin.server";
import { approveStaffGrant, declineStaffGrant, expireStaffGrants, GRANT_LIFETIME_MS } from "~/auth/staff-grants.server";
import { prisma } from "~/db.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import type { OutboxWorker } from "~/notify/outbox-worker.server";
import { createClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { startTestWorker } from "../support/notify-fixtures";
import { SmtpSink, waitFor } from "../support/smtp-sink";
import {
  createStaff,
  decideGrant,
  fileInvitation,
  freshContextOf as contextOf,
  signIn,
  signInAfterLink,
  signInSteppedUpAdmin,
  stepUp,
} from "../support/staff";

let app: TestHttpApp;
let sink: SmtpSink;
let worker: OutboxWorker;
beforeAll(async () => {
  app = await startHttpApp();
  sink = await SmtpSink.start();
  worker = startTestWorker(sink);
});
afterAll(async () => {
  await worker.stop();
  await sink.stop();
  await app.close();
});
afterEach(() => resetClock());

const newEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@staff.test`;

/** A privileged invitation filed by a new admin, waiting for a second one. */
const invitationWaiting = async (email: string, role: "SECURITY_LEAD" | "ADMIN") =>
  fileInvitation(await createStaff({ role: "ADMIN" }), { email, role });

/** Everything an invitation could have left behind for `email`: a member, a link, a mail. */
async function tracesOf(email: string) {
  const member = await prisma.staffUser.findUnique({ where: { email } });
  return {
    member: member !== null,
    links: member ? await prisma.staffInvite.count({ where: { staffId: member.id } }) : 0,
    mails: await prisma.outboundMessage.count({ where: { recipient: email } }),
  };
}

async function pendingFor(key: string) {
  return prisma.staffGrantRequest.findUniqueOrThrow({ where: { pendingKey: key } });
}

function auditRows(action: string, targetId: string) {
  return prisma.auditEvent.findMany({ where: { action, targetId }, orderBy: { seq: "asc" } });
}

describe("a privileged invitation", () => {
  it("creates no member, link or mail until a second admin approves; the link then goes to the invitee only", async () => {
    const requester = await signInSteppedUpAdmin(app);
    const email = newEmail("new-lead");
    const form = { intent: "invite", email, displayName: "Mei Kato", role: "SECURITY_LEAD", language: "en" };
    const asked = await requester.post("/admin/staff?index", form);
    expect(asked.status).toBe(302);
    expect(redirectPath(asked)).toBe("/admin/staff");
    expect(await tracesOf(email)).toEqual({ member: false, links: 0, mails: 0 });
    const request = await pendingFor(`invite:${email}`);
    expect(request).toMatchObject({ kind: "INVITE", role: "SECURITY_LEAD", status: "PENDING" });
    expect(request.expiresAt.getTime() - request.requestedAt.getTime()).toBe(GRANT_LIFETIME_MS);
    const [filed] = await auditRows("staff.grant.request", request.id);
    expect(filed).toMatchObject({ outcome: "SUCCESS", actorId: requester.staff.id });
    // The requester is told it waits; the request is listed, without an approve button for them.
    const page = await (await requester.get("/admin/staff")).text();
    expect(page).toContain(`The invitation of ${email} as Security lead waits for a second admin`);
    expect(page).toContain(`data-testid="grant-${request.id}"`);
    expect(page).toContain("Your own request: another admin must approve it.");

    const approver = await signInSteppedUpAdmin(app);
    const approverPage = await (await approver.get("/admin/staff")).text();
    expect(approverPage).toContain('value="approve-grant"');
    const approved = await decideGrant(approver, "approve", request.id, "Mei joins the incident team");
    expect(approved.status).toBe(302);
    const member = await prisma.staffUser.findUniqueOrThrow({ where: { email } });
    expect(redirectPath(approved)).toBe(`/admin/staff/${member.id}`);
    expect(member).toMatchObject({ role: "SECURITY_LEAD", language: "en", passwordHash: null });

    // One mail, to the invitee's address only; neither admin receives anything, nor sees the link.
    await waitFor("the invitation mail", () => sink.received.some((m) => m.envelopeTo.includes(email)));
    const mails = sink.received.filter((m) => m.envelopeTo.includes(email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.envelopeTo).toEqual([email]);
    const token = /\/invite\/([a-z2-7]{32})/.exec(mails[0]!.parsed.text ?? "")![1]!;
    for (const admin of [requester, approver]) {
      expect(sink.received.filter((m) => m.envelopeTo.includes(admin.staff.email))).toHaveLength(0);
      expect(await (await admin.get(`/admin/staff/${member.id}`)).text()).not.toContain(token);
    }
    expect(await prisma.staffGrantRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "APPROVED",
      decidedById: approver.staff.id,
      staffId: member.id,
      pendingKey: null,
    });
    const [invite] = await auditRows("staff.invite", member.id);
    expect(invite).toMatchObject({ outcome: "SUCCESS", actorId: approver.staff.id });
    expect(invite!.after).toMatchObject({
      role: "SECURITY_LEAD",
      requestedById: requester.staff.id,
      approvedById: approver.staff.id,
    });
    expect(JSON.stringify(invite!.after)).not.toContain(token);
    expect((await createClient(app).get(`/invite/${token}`)).status).toBe(200);
  });

  it("still goes straight through for an agent: no request, the link mailed at once", async () => {
    const admin = await signInSteppedUpAdmin(app);
    const email = newEmail("new-agent");
    const response = await admin.post("/admin/staff?index", {
      intent: "invite",
      email,
      displayName: "A",
      role: "AGENT",
    });
    const member = await prisma.staffUser.findUniqueOrThrow({ where: { email } });
    expect(redirectPath(response)).toBe(`/admin/staff/${member.id}`);
    expect(await tracesOf(email)).toEqual({ member: true, links: 1, mails: 1 });
    expect(await prisma.staffGrantRequest.count({ where: { email } })).toBe(0);
  });

  it.each(["COMPLIANCE", "ADMIN"] as const)("waits for a second admin for %s too", async (role) => {
    const email = newEmail(role.toLowerCase());
    const outcome = await inviteStaff(await contextOf(await createStaff({ role: "ADMIN" })), {
      email,
      displayName: "X",
      role,
    });
    expect(outcome.kind).toBe("requested");
    expect(await tracesOf(email)).toEqual({ member: false, links: 0, mails: 0 });
  });

  it("refuses the requester's own approval, and audits it as denied", async () => {
    const requester = await signInSteppedUpAdmin(app);
    const email = newEmail("self");
    await requester.post("/admin/staff?index", { intent: "invite", email, displayName: "Me Too", role: "ADMIN" });
    const request = await pendingFor(`invite:${email}`);
    const own = await decideGrant(requester, "approve", request.id, "trust me");
    expect(own.status).toBe(403);
    expect(await own.text()).toContain("another admin must approve it");
    expect(await tracesOf(email)).toEqual({ member: false, links: 0, mails: 0 });
    expect((await prisma.staffGrantRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("PENDING");
    const denied = (await auditRows("staff.grant.approve", request.id)).map((row) => [row.outcome, row.actorId]);
    expect(denied).toEqual([["DENIED", requester.staff.id]]);
    // The database refuses it as well, whatever the code says.
    await expect(
      prisma.staffGrantRequest.update({
        where: { id: request.id },
        data: { status: "APPROVED", decidedById: requester.staff.id, decidedAt: now(), pendingKey: null },
      }),
    ).rejects.toThrow();
  });

  it("refuses an approval by anyone but an admin: the page (403) and the service (denied)", async () => {
    const email = newEmail("by-lead");
    const grant = await invitationWaiting(email, "SECURITY_LEAD");
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    await stepUp(lead);
    const page = await decideGrant(lead, "approve", grant.id, "agreed");
    expect(page.status).toBe(403);
    await expect(
      approveStaffGrant(await contextOf(lead.staff), { requestId: grant.id, reason: "I am a lead" }),
    ).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    expect((await auditRows("staff.grant.approve", grant.id)).map((row) => row.outcome)).toEqual(["DENIED"]);
    // An admin whose role was taken away after their page loaded is refused inside the transaction as well.
    const demoted = await createStaff({ role: "ADMIN" });
    const staleContext = await contextOf(demoted);
    await prisma.staffUser.update({ where: { id: demoted.id }, data: { role: "AGENT" } });
    // The spine reads the role as stored now before the grant's own approver check runs (it refuses first).
    await expect(approveStaffGrant(staleContext, { requestId: grant.id, reason: "stale" })).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
    expect(await tracesOf(email)).toEqual({ member: false, links: 0, mails: 0 });
    expect((await prisma.staffGrantRequest.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe("PENDING");
  });

  it("needs the approver's fresh step-up", async () => {
    const email = newEmail("step-up");
    const grant = await invitationWaiting(email, "ADMIN");
    const approver = await signIn(app, await createStaff({ role: "ADMIN" }));
    const response = await decideGrant(approver, "approve", grant.id, "agreed");
    expect(redirectPath(response)).toMatch(/^\/step-up/);
    await expect(
      approveStaffGrant(await contextOf(approver.staff, false), { requestId: grant.id, reason: "agreed" }),
    ).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(await tracesOf(email)).toEqual({ member: false, links: 0, mails: 0 });
  });

  // On PostgreSQL the two approvals really run at once; the request's row lock serves them one after the other.
  it("gives exactly one member and one link when two admins approve at once", async () => {
    const email = newEmail("race");
    const grant = await invitationWaiting(email, "SECURITY_LEAD");
    const [a, b] = [await signInSteppedUpAdmin(app), await signInSteppedUpAdmin(app)];
    const responses = await Promise.all([a, b].map((admin) => decideGrant(admin, "approve", grant.id, "both agree")));
    expect(responses.map((r) => r.status).sort()).toEqual([302, 409]);
    expect(await tracesOf(email)).toEqual({ member: true, links: 1, mails: 1 });
    expect((await auditRows("staff.grant.approve", grant.id)).map((row) => row.outcome).sort()).toEqual([
      "FAILED",
      "SUCCESS",
    ]);
  });
});

describe("a raise to a privileged role", () => {
  it("changes nothing until a second admin approves, then changes the role with its audit row", async () => {
    const requester = await signInSteppedUpAdmin(app);
    const member = await createStaff({ role: "AGENT" });
    const memberSession = await signIn(app, member);
    const asked = await requester.post(`/admin/staff/${member.id}`, {
      intent: "change-role",
      role: "ADMIN",
      reason: "Runs the night shift's staff",
    });
    expect(redirectPath(asked)).toBe(`/admin/staff/${member.id}`);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("AGENT");
    expect(await prisma.auditEvent.count({ where: { action: "staff.role.change", targetId: member.id } })).toBe(0);
    const memberPage = await (await requester.get(`/admin/staff/${member.id}`)).text();
    expect(memberPage).toContain("waits for a second admin");
    expect(memberPage).toContain('data-testid="member-pending-grants"');
    // A second raise of the same member is refused while the first waits.
    const again = await requester.post(`/admin/staff/${member.id}`, {
      intent: "change-role",
      role: "SECURITY_LEAD",
      reason: "or a lead",
    });
    expect(again.status).toBe(409);
    const request = await pendingFor(`role:${member.id}`);
    expect(request).toMatchObject({ kind: "ROLE_RAISE", fromRole: "AGENT", role: "ADMIN" });

    // The requester cannot approve it through the service either.
    await expect(
      approveStaffGrant(await contextOf(requester.staff), { requestId: request.id, reason: "mine" }),
    ).rejects.toMatchObject({ code: "GRANT_SELF_APPROVAL" });
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("AGENT");

    const approver = await signInSteppedUpAdmin(app);
    const approved = await decideGrant(approver, "approve", request.id, "agreed at the handover");
    expect(redirectPath(approved)).toBe(`/admin/staff/${member.id}`);
    expect(await (await approver.get(`/admin/staff/${member.id}`)).text()).toContain(
      "the new role applies from their next sign-in",
    );
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("ADMIN");
    const [change] = await auditRows("staff.role.change", member.id);
    expect(change).toMatchObject({ outcome: "SUCCESS", actorId: approver.staff.id, reason: request.reason });
    expect(change!.before).toEqual({ role: "AGENT" });
    expect(change!.after).toMatchObject({ role: "ADMIN", requestedById: requester.staff.id });
    // The member's open session was signed into as an agent (and may be a thief's): it ends with the raise, and the
    // new role is used from a sign-in with password and code.
    expect(change!.after).toMatchObject({ sessionsEnded: 1 });
    expect(redirectPath(await memberSession.get("/admin/staff"))).toMatch(/^\/sign-in/);
    const signedInAgain = await signIn(app, member);
    expect((await signedInAgain.get("/admin/staff")).status).toBe(200);
  });

  it("is refused once the member changed since the request", async () => {
    const member = await createStaff({ role: "AGENT" });
    const asked = await changeStaffRole(
      await contextOf(await createStaff({ role: "ADMIN" })),
      member.id,
      "COMPLIANCE",
      "x",
    );
    if (asked.kind !== "requested") throw new Error("expected a request");
    await prisma.staffUser.update({ where: { id: member.id }, data: { disabledAt: now() } });
    await expect(
      approveStaffGrant(await contextOf(await createStaff({ role: "ADMIN" })), {
        requestId: asked.grant.id,
        reason: "agreed",
      }),
    ).rejects.toMatchObject({ code: "GRANT_STALE" });
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("AGENT");
  });

  it("counts powers, not ranks: an admin made a lead gains the switches, so it waits too", async () => {
    const [admin, other] = [await createStaff({ role: "ADMIN" }), await createStaff({ role: "ADMIN" })];
    const asked = await changeStaffRole(await contextOf(admin), other.id, "SECURITY_LEAD", "moves to the leads");
    expect(asked.kind).toBe("requested");
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: other.id } })).role).toBe("ADMIN");
  });

  it("lowering stays one admin's decision", async () => {
    const admin = await signInSteppedUpAdmin(app);
    const lead = await createStaff({ role: "SECURITY_LEAD" });
    const response = await admin.post(`/admin/staff/${lead.id}`, {
      intent: "change-role",
      role: "AGENT",
      reason: "Back to the phones",
    });
    expect(redirectPath(response)).toBe(`/admin/staff/${lead.id}`);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: lead.id } })).role).toBe("AGENT");
    expect(await prisma.staffGrantRequest.count({ where: { staffId: lead.id } })).toBe(0);
  });
});

// A disabled lead, compliance member or admin re-enabled by one admin would get their power back on one word: it waits
// for a second admin like a raise, and the approval re-enables them with fresh credentials only (ADR 004).
describe("re-enabling a privileged member", () => {
  it("changes nothing until a second admin approves; then the old credentials are void and the link goes to them", async () => {
    const requester = await signInSteppedUpAdmin(app);
    const member = await createStaff({ role: "SECURITY_LEAD" });
    const disabled = await requester.post(`/admin/staff/${member.id}`, { intent: "disable", reason: "phone lost" });
    expect(disabled.status).toBe(302);
    const asked = await requester.post(`/admin/staff/${member.id}`, { intent: "enable", reason: "phone found" });
    expect(redirectPath(asked)).toBe(`/admin/staff/${member.id}`);
    const waiting = await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } });
    expect(waiting.disabledAt).not.toBeNull();
    expect(waiting.passwordHash).not.toBeNull();
    expect(await prisma.outboundMessage.count({ where: { staffId: member.id } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "staff.enable", targetId: member.id } })).toBe(0);
    const request = await pendingFor(`enable:${member.id}`);
    expect(request).toMatchObject({ kind: "REENABLE", role: "SECURITY_LEAD", fromRole: "SECURITY_LEAD" });
    const [filed] = await auditRows("staff.grant.request", request.id);
    expect(filed).toMatchObject({ outcome: "SUCCESS", actorId: requester.staff.id, reason: "phone found" });
    const memberPage = await (await requester.get(`/admin/staff/${member.id}`)).text();
    expect(memberPage).toContain("Enabling this Security lead again");
    expect(memberPage).toContain("waits for a second admin");
    // A second request for the same member waits behind the first; the requester cannot approve their own.
    expect((await requester.post(`/admin/staff/${member.id}`, { intent: "enable", reason: "again" })).status).toBe(409);
    await expect(
      approveStaffGrant(await contextOf(requester.staff), { requestId: request.id, reason: "mine" }),
    ).rejects.toMatchObject({ code: "GRANT_SELF_APPROVAL" });
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } })).disabledAt).not.toBeNull();

    const approver = await signInSteppedUpAdmin(app);
    const staffPage = await (await approver.get("/admin/staff")).text();
    expect(staffPage).toContain(`to enable ${member.displayName} (Security lead) again`);
    const approved = await decideGrant(approver, "approve", request.id, "confirmed with the lead by phone");
    expect(redirectPath(approved)).toBe(`/admin/staff/${member.id}`);
    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } });
    expect(row).toMatchObject({
      disabledAt: null,
      passwordHash: null,
      totpSecretEncrypted: null,
      totpEnrolledAt: null,
    });
    expect(await prisma.staffRecoveryCode.count({ where: { staffId: member.id } })).toBe(0);
    const [enabled] = await auditRows("staff.enable", member.id);
    expect(enabled).toMatchObject({ outcome: "SUCCESS", actorId: approver.staff.id, reason: "phone found" });
    expect(enabled!.after).toMatchObject({
      passwordVoided: true,
      requestedById: requester.staff.id,
      approvedById: approver.staff.id,
    });

    // One mail, to the member only; the old password no longer signs in, and the link sets a new one and enrols.
    await waitFor("the set-up mail", () => sink.received.some((m) => m.envelopeTo.includes(member.email)));
    const mails = sink.received.filter((m) => m.envelopeTo.includes(member.email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.envelopeTo).toEqual([member.email]);
    for (const admin of [requester, approver]) {
      expect(sink.received.filter((m) => m.envelopeTo.includes(admin.staff.email))).toHaveLength(0);
    }
    const token = /\/invite\/([a-z2-7]{32})/.exec(mails[0]!.parsed.text ?? "")![1]!;
    expect(JSON.stringify(enabled!.after)).not.toContain(token);
    expect(await signInAfterLink(app, member, token, "a fresh passphrase after the lost phone")).toMatchObject({
      oldPassword: { status: 400 },
      next: "/sign-in/enroll",
    });
  });

  it("re-enables an agent with one admin: no request", async () => {
    const admin = await contextOf(await createStaff({ role: "ADMIN" }));
    const member = await createStaff({ role: "AGENT" });
    await disableStaff(admin, member.id, "left the team");
    expect(await enableStaff(admin, member.id, "came back")).toMatchObject({ kind: "enabled" });
    expect(await prisma.staffGrantRequest.count({ where: { staffId: member.id } })).toBe(0);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } })).disabledAt).toBeNull();
  });

  it("is refused once the member changed since the request", async () => {
    const admin = await contextOf(await createStaff({ role: "ADMIN" }));
    const member = await createStaff({ role: "COMPLIANCE" });
    await disableStaff(admin, member.id, "on leave");
    const outcome = await enableStaff(admin, member.id, "back from leave");
    expect(outcome.kind).toBe("requested");
    await changeStaffRole(admin, member.id, "AGENT", "back as an agent");
    const approver = await contextOf(await createStaff({ role: "ADMIN" }));
    const requestId = (await pendingFor(`enable:${member.id}`)).id;
    await expect(approveStaffGrant(approver, { requestId, reason: "agreed" })).rejects.toMatchObject({
      code: "GRANT_STALE",
    });
    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } });
    expect(row.disabledAt).not.toBeNull();
    expect(row.passwordHash).not.toBeNull();
  });
});

describe("declining and expiry", () => {
  it("declines with a reason (the requester may withdraw their own); without one nothing changes", async () => {
    const requester = await createStaff({ role: "ADMIN" });
    const email = newEmail("declined");
    const filed = await fileInvitation(requester, { email, role: "ADMIN", language: "ja" });
    const admin = await signInSteppedUpAdmin(app);
    const blank = await decideGrant(admin, "decline", filed.id, "");
    expect(blank.status).toBe(400);
    await expect(
      declineStaffGrant(await contextOf(admin.staff), { requestId: filed.id, reason: " " }),
    ).rejects.toMatchObject({ code: "GRANT_REASON_REQUIRED" });
    expect((await prisma.staffGrantRequest.findUniqueOrThrow({ where: { id: filed.id } })).status).toBe("PENDING");
    const declined = await decideGrant(admin, "decline", filed.id, "We did not agree on this");
    expect(redirectPath(declined)).toBe("/admin/staff");
    expect(await prisma.staffGrantRequest.findUniqueOrThrow({ where: { id: filed.id } })).toMatchObject({
      status: "DECLINED",
      decisionReason: "We did not agree on this",
      pendingKey: null,
    });
    expect(await tracesOf(email)).toEqual({ member: false, links: 0, mails: 0 });
    await expect(
      approveStaffGrant(await contextOf(await createStaff({ role: "ADMIN" })), { requestId: filed.id, reason: "late" }),
    ).rejects.toMatchObject({ code: "GRANT_NOT_PENDING" });

    const own = await fileInvitation(requester, { email, role: "ADMIN", language: "ja" });
    await declineStaffGrant(await contextOf(requester), { requestId: own.id, reason: "withdrawn" });
    expect((await auditRows("staff.grant.decline", own.id)).map((row) => [row.outcome, row.actorId])).toEqual([
      ["SUCCESS", requester.id],
    ]);
  });

  it("lapses after 72 hours: no approval, expired by system:auth on its own audit row, and can be filed again", async () => {
    const requester = await createStaff({ role: "ADMIN" });
    const email = newEmail("lapsed");
    const filed = await fileInvitation(requester, { email, role: "SECURITY_LEAD" });
    advanceClock(GRANT_LIFETIME_MS);
    const approver = await createStaff({ role: "ADMIN" });
    await expect(
      approveStaffGrant(await contextOf(approver), { requestId: filed.id, reason: "too late" }),
    ).rejects.toMatchObject({ code: "GRANT_EXPIRED" });
    expect(await tracesOf(email)).toEqual({ member: false, links: 0, mails: 0 });

    expect(await expireStaffGrants()).toBeGreaterThanOrEqual(1);
    expect((await prisma.staffGrantRequest.findUniqueOrThrow({ where: { id: filed.id } })).status).toBe("EXPIRED");
    const [expired] = await auditRows("staff.grant.expire", filed.id);
    expect(expired).toMatchObject({ outcome: "SUCCESS", actorId: "system:auth" });

    const again = await fileInvitation(requester, { email, role: "SECURITY_LEAD" });
    await approveStaffGrant(await contextOf(approver), { requestId: again.id, reason: "in time" });
    expect(await tracesOf(email)).toEqual({ member: true, links: 1, mails: 1 });
  });

  it("is not approved on the word of a requester who is no longer an active admin", async () => {
    const requester = await createStaff({ role: "ADMIN" });
    const email = newEmail("taken-over");
    const filed = await fileInvitation(requester, { email, role: "ADMIN", language: "en" });
    await prisma.staffUser.update({ where: { id: requester.id }, data: { disabledAt: now() } });
    await expect(
      approveStaffGrant(await contextOf(await createStaff({ role: "ADMIN" })), {
        requestId: filed.id,
        reason: "agreed",
      }),
    ).rejects.toMatchObject({ code: "GRANT_REQUESTER_INACTIVE" });
    expect(await tracesOf(email)).toEqual({ member: false, links: 0, mails: 0 });
  });
});

describe("the only active admin", () => {
  it("is told the request waits, and how another admin comes about", async () => {
    const admin = await signInSteppedUpAdmin(app);
    await prisma.staffUser.updateMany({
      where: { role: "ADMIN", id: { not: admin.staff.id }, disabledAt: null },
      data: { disabledAt: now() },
    });
    const email = newEmail("bootstrap");
    await admin.post("/admin/staff?index", { intent: "invite", email, displayName: "Two", role: "ADMIN" });
    const page = await (await admin.get("/admin/staff")).text();
    expect(page).toContain("You are the only active admin: an operator must create another admin on the server first.");
    expect(page).toContain("npm run staff:create-admin");
    expect(await tracesOf(email)).toEqual({ member: false, links: 0, mails: 0 });
  });
});
