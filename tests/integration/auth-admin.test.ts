// Staff administration over real HTTP: permissions per role (deny by default, denial audited), step-up before a role
// change, guard rails (self, last admin), invites, new links, TOTP reset and re-enabling (links by mail only, never to
// the admin).
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { maskEmail } from "~/accounts/masking";
import { en } from "~/i18n/resources";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { STEP_UP_WINDOW_MS } from "~/auth/guard.server";
import { totpCodeForStep, totpStepAt } from "~/auth/totp.server";
import { disableStaff, resetStaffTotp } from "~/auth/staff-admin.server";
import { prisma } from "~/db.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { retryMessage } from "~/notify/notice-queries.server";
import type { OutboxWorker } from "~/notify/outbox-worker.server";
import { createClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { startTestWorker, untilTheWorkerHasMovedOn } from "../support/notify-fixtures";
import { SmtpSink, waitFor, type SinkMail } from "../support/smtp-sink";
import {
  createStaff,
  signedInContextOf,
  signIn,
  signInAfterLink,
  staffContextOf,
  stepUp,
  type StaffClient,
} from "../support/staff";

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app.close());
afterEach(() => resetClock());

describe("permissions", () => {
  it.each(["AGENT", "SECURITY_LEAD", "COMPLIANCE"] as const)(
    "refuses %s the staff pages with a 403 that says why, and audits the denial",
    async (role) => {
      const client = await signIn(app, await createStaff({ role }));
      const page = await client.get("/admin/staff");
      expect(page.status).toBe(403);
      const html = await page.text();
      expect(html).toContain("Not allowed");
      // The role as people call it ("Support agent"), in the member's language (English for test staff).
      expect(html).toContain(`Your role (${en.common.role[role]}) does not allow this`);
      expect(html).toContain(`the permission to ${en.common.permission.staff.manage}`);
      const target = await createStaff();
      const change = await client.post(`/admin/staff/${target.id}`, { intent: "disable", reason: "not mine to do" });
      expect(change.status).toBe(403);
      expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
      const denials = await prisma.auditEvent.findMany({
        where: { action: "access.denied", actorId: client.staff.id },
        orderBy: { seq: "asc" },
      });
      expect(denials.map((d) => [d.outcome, d.targetId])).toEqual([
        ["DENIED", "GET /admin/staff"],
        ["DENIED", `POST /admin/staff/${target.id}`],
      ]);
    },
  );
});

describe("step-up", () => {
  // Lowering a role is one admin's decision (a raise waits for a second admin: staff-grants.test.ts); it still takes a
  // fresh code.
  it("is required for a role change, lasts 5 minutes, and the change is audited with before and after", async () => {
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const target = await createStaff({ role: "SECURITY_LEAD" });
    const targetSession = await signIn(app, target);
    expect((await targetSession.get("/approvals")).status).toBe(200);
    const form = { intent: "change-role", role: "AGENT", reason: "Back to the phones after the incident" };

    const refused = await admin.post(`/admin/staff/${target.id}`, form);
    expect(refused.status).toBe(302);
    expect(redirectPath(refused)).toBe(`/step-up?redirectTo=${encodeURIComponent(`/admin/staff/${target.id}`)}`);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("SECURITY_LEAD");
    expect(await (await admin.get(`/admin/staff/${target.id}`)).text()).toContain('data-testid="step-up-notice"');

    await stepUp(admin, `/admin/staff/${target.id}`);
    const changed = await admin.post(`/admin/staff/${target.id}`, form);
    expect(changed.status).toBe(302);
    expect(redirectPath(changed)).toBe(`/admin/staff/${target.id}`);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("AGENT");
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.role.change", targetId: target.id },
    });
    expect(audit).toMatchObject({
      outcome: "SUCCESS",
      reason: "Back to the phones after the incident",
      actorId: admin.staff.id,
    });
    expect(audit.before).toEqual({ role: "SECURITY_LEAD" });
    expect(audit.after).toEqual({ role: "AGENT" });
    // The member's open session carries the new role at once.
    expect((await targetSession.get("/approvals")).status).toBe(403);

    advanceClock(STEP_UP_WINDOW_MS);
    const stale = await admin.post(`/admin/staff/${target.id}`, { ...form, role: "SECURITY_LEAD" });
    expect(redirectPath(stale)).toMatch(/^\/step-up/);
  });

  it("only returns to a path on this site", async () => {
    const client = await signIn(app, await createStaff());
    for (const target of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]) {
      const response = await client.post("/step-up", { code: "000000", redirectTo: target });
      expect(response.status).not.toBe(500);
    }
    const { nextTotpCode } = await import("../support/staff");
    const ok = await client.post("/step-up", { code: nextTotpCode(client.staff), redirectTo: "//evil.example/x" });
    expect(redirectPath(ok)).toBe("/");
    expect(ok.headers.get("location")).toBe("/");
  });
});

describe("guard rails", () => {
  it("refuses changing one's own role (audited as a failed attempt)", async () => {
    const self = await createStaff({ role: "ADMIN" });
    const admin = await signIn(app, self);
    await stepUp(admin);
    const own = await admin.post(`/admin/staff/${self.id}`, { intent: "change-role", role: "AGENT", reason: "oops" });
    expect(own.status).toBe(409);
    expect(await own.text()).toContain("your own account");
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: self.id } })).role).toBe("ADMIN");
    expect(
      await prisma.auditEvent.count({ where: { action: "staff.role.change", targetId: self.id, outcome: "FAILED" } }),
    ).toBe(1);
  });

  // Two admins disabling each other at the same moment must not leave nobody able to manage staff. The file owns its
  // database in both modes; on PostgreSQL the two requests really run concurrently.
  it("never disables the last active admin", async () => {
    const first = await createStaff({ role: "ADMIN" });
    const second = await createStaff({ role: "ADMIN" });
    await prisma.staffUser.updateMany({
      where: { role: "ADMIN", id: { notIn: [first.id, second.id] }, disabledAt: null },
      data: { disabledAt: new Date() },
    });
    const [a, b] = [await signIn(app, first), await signIn(app, second)];
    const responses = await Promise.all([
      a.post(`/admin/staff/${second.id}`, { intent: "disable", reason: "mutual" }),
      b.post(`/admin/staff/${first.id}`, { intent: "disable", reason: "mutual" }),
    ]);
    // One wins; the other is refused (409; 403 when the spine finds its session ended by the winner's change) or, if
    // that happened before its guard ran, sent to sign in.
    const outcomes = responses.map((r) =>
      r.status === 302 && redirectPath(r)?.startsWith("/admin/staff/")
        ? "disabled"
        : r.status === 409 || r.status === 403
          ? "refused"
          : redirectPath(r),
    );
    expect(outcomes.filter((o) => o === "disabled")).toHaveLength(1);
    expect(outcomes.filter((o) => o !== "disabled")[0]).toMatch(/^(refused|\/sign-in)/);
    expect(await prisma.staffUser.count({ where: { role: "ADMIN", disabledAt: null } })).toBe(1);

    // The losing side of that race, made deterministic: an admin whose request was authorised just before their own
    // account was disabled tries to disable the last active admin.
    const [winner, loser] = outcomes[0] === "disabled" ? [first, second] : [second, first];
    // Their session went with their account: the spine refuses before the last-admin rule is even asked.
    const staleContext = staffContextOf(loser, { id: "stale", steppedUpAt: null });
    await expect(disableStaff(staleContext, winner.id, "race")).rejects.toMatchObject({ code: "SESSION_ENDED" });
    expect(await prisma.staffUser.count({ where: { role: "ADMIN", disabledAt: null } })).toBe(1);
  });
});

// The one-time link of an invitation, a new link or an authenticator reset goes by mail to the member's own address, in
// their language, and never to the admin: not in the action's response, the page, its data, or the audit trail. The
// links are read here from the mail, delivered by the outbox worker to an SMTP sink.
describe("invitations and resets", () => {
  let sink: SmtpSink;
  let worker: OutboxWorker;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    worker = startTestWorker(sink);
  });
  afterAll(async () => {
    await worker.stop();
    await sink.stop();
  });

  /** The mails that reached `email`, each with the one-time link it carries. */
  function mailsTo(email: string) {
    return sink.received
      .filter((m) => m.envelopeTo.includes(email))
      .map((m) => {
        const link = /https?:\/\/\S+\/invite\/([a-z2-7]{32})/.exec(m.parsed.text ?? "");
        return { mail: m, link: link?.[0] ?? null, token: link?.[1] ?? null };
      });
  }

  async function nextLinkMail(email: string, count: number) {
    await waitFor(`mail ${count} to ${email}`, () => mailsTo(email).length >= count);
    const found = mailsTo(email)[count - 1]!;
    expect(found.token).toMatch(/^[a-z2-7]{32}$/);
    return found as { mail: SinkMail; link: string; token: string };
  }

  const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));

  /** What the admin can read after the action: the response, the page it leads to and that page's data. */
  async function adminView(admin: StaffClient, response: Response, staffId: string): Promise<string> {
    const page = await admin.get(`/admin/staff/${staffId}`);
    expect(page.status).toBe(200);
    const data = await admin.get(`/admin/staff/${staffId}.data`);
    return [await response.text(), await page.text(), await data.text()].join("\n");
  }

  async function auditOf(action: string, targetId: string) {
    return prisma.auditEvent.findFirstOrThrow({ where: { action, targetId }, orderBy: { seq: "desc" } });
  }

  it("invites by a link mailed to the new member in their language; the admin never sees it", async () => {
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const email = `invitee-${Date.now()}@staff.test`;
    const form = { intent: "invite", email, displayName: "New Agent", role: "AGENT" };
    expect(redirectPath(await admin.post("/admin/staff?index", form))).toMatch(/^\/step-up/);
    await stepUp(admin, "/admin/staff");
    const response = await admin.post("/admin/staff?index", form);
    const invited = await prisma.staffUser.findUniqueOrThrow({ where: { email } });
    expect(response.status).toBe(302);
    expect(redirectPath(response)).toBe(`/admin/staff/${invited.id}`);
    expect(invited).toMatchObject({ role: "AGENT", passwordHash: null, totpEnrolledAt: null, language: "ja" });

    // A new member reads Japanese until they switch: the mail is in Japanese, to the address the admin entered.
    const { mail, link, token } = await nextLinkMail(email, 1);
    expect(mail.envelopeTo).toEqual([email]);
    expect(mail.parsed.subject).toBe("Firebreak コンソールへの招待");
    expect(mail.parsed.text).toContain("New Agent 様");

    const seen = await adminView(admin, response, invited.id);
    expect(seen).not.toContain(token);
    expect(seen).toContain('data-testid="link-mail"');
    expect(seen).toContain(maskEmail(email));
    expect(seen).toContain("in•••");
    await waitFor("the mail recorded as sent", async () =>
      (await admin.get(`/admin/staff/${invited.id}`)).text().then((html) => html.includes('data-status="SENT"')),
    );

    const audit = await auditOf("staff.invite", invited.id);
    expect(json(audit)).not.toContain(token);
    expect(audit.after).toMatchObject({ linkMail: { language: "ja" } });
    // The outbox blanks the body once the mail is settled: no clear link stays in the database.
    const row = await prisma.outboundMessage.findFirstOrThrow({ where: { staffId: invited.id } });
    expect(row).toMatchObject({ status: "SENT", textBody: null, htmlBody: null, recipient: email });
    expect(await prisma.staffInvite.count({ where: { id: token } })).toBe(0);

    expect((await createClient(app).get(new URL(link).pathname)).status).toBe(200);
    expect((await admin.post("/admin/staff?index", form)).status).toBe(409);

    // A member who reads English is invited in English: the mail and their console.
    const english = { ...form, email: `en-${email}`, language: "en" };
    expect((await admin.post("/admin/staff?index", english)).status).toBe(302);
    expect(await prisma.staffUser.findUniqueOrThrow({ where: { email: english.email } })).toMatchObject({
      language: "en",
    });
    const inEnglish = await nextLinkMail(english.email, 1);
    expect(inEnglish.mail.parsed.subject).toBe("Your invitation to the Firebreak console");
    expect(inEnglish.mail.parsed.text).toContain("Dear New Agent,");
  });

  it("resets a member's authenticator: sessions end, codes and password go, only the mailed link enrols again", async () => {
    const target = await createStaff({ role: "SECURITY_LEAD", language: "en" });
    const targetClient = await signIn(app, target);
    const admin = await signIn(app, await createStaff({ role: "ADMIN", language: "ja" }));
    await stepUp(admin);
    const response = await admin.post(`/admin/staff/${target.id}`, { intent: "reset-totp", reason: "Lost phone" });
    expect(response.status).toBe(302);
    expect(redirectPath(await targetClient.get("/"))).toMatch(/^\/sign-in/);
    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } });
    expect(row).toMatchObject({ totpSecretEncrypted: null, totpEnrolledAt: null, totpLastUsedStep: null });
    expect(await prisma.staffRecoveryCode.count({ where: { staffId: target.id } })).toBe(0);

    // The member reads English, the admin Japanese: the mail follows the member.
    const { mail, token } = await nextLinkMail(target.email, 1);
    expect(mail.envelopeTo).toEqual([target.email]);
    expect(mail.parsed.subject).toBe("Your one-time link to the Firebreak console");
    expect(mail.parsed.text).toContain("An admin reset your authenticator");
    expect(await adminView(admin, response, target.id)).not.toContain(token);
    const audit = await auditOf("staff.totp.reset", target.id);
    expect(json(audit)).not.toContain(token);
    expect(audit.after).toMatchObject({ passwordVoided: true, linkMail: { language: "en" } });

    // Whoever knows the old password (the member, or whoever stole it) can no longer reach enrolment with it; the
    // link's holder sets a new password and goes on to enrol a new authenticator.
    expect(await signInAfterLink(app, target, token, "a new passphrase after the lost phone")).toMatchObject({
      oldPassword: { status: 400, redirect: null },
      next: "/sign-in/enroll",
    });
  });

  it("refuses to reset a disabled member's authenticator: no link goes to an account that cannot use it", async () => {
    const target = await createStaff({ role: "AGENT" });
    const admin = await signedInContextOf(await createStaff({ role: "ADMIN" }));
    await disableStaff(admin, target.id, "left the team");
    await expect(resetStaffTotp(admin, target.id, "Lost phone")).rejects.toMatchObject({ code: "STAFF_DISABLED" });
    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } });
    expect(row.totpEnrolledAt).not.toBeNull();
    expect(row.passwordHash).not.toBeNull();
    expect(await prisma.outboundMessage.count({ where: { staffId: target.id } })).toBe(0);
  });

  it("re-enables a member without their old credentials: only the set-up link mailed to them lets them back in", async () => {
    const member = await createStaff({ role: "AGENT", language: "en" });
    const oldSession = await signIn(app, member);
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const disabled = await admin.post(`/admin/staff/${member.id}`, { intent: "disable", reason: "laptop stolen" });
    expect(disabled.status).toBe(302);
    const form = { intent: "enable", reason: "laptop recovered, wiped" };
    expect(redirectPath(await admin.post(`/admin/staff/${member.id}`, form))).toMatch(/^\/step-up/);
    await stepUp(admin);
    const response = await admin.post(`/admin/staff/${member.id}`, form);
    expect(response.status).toBe(302);
    expect(redirectPath(response)).toBe(`/admin/staff/${member.id}`);
    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: member.id } });
    expect(row).toMatchObject({
      disabledAt: null,
      passwordHash: null,
      totpSecretEncrypted: null,
      totpEnrolledAt: null,
      totpLastUsedStep: null,
      failedPasswordCount: 0,
      lockedUntil: null,
    });
    expect(await prisma.staffRecoveryCode.count({ where: { staffId: member.id } })).toBe(0);
    expect(redirectPath(await oldSession.get("/"))).toMatch(/^\/sign-in/);

    // One mail, to the member's own address, in their language; the admin receives nothing and never sees the link.
    const { mail, token } = await nextLinkMail(member.email, 1);
    expect(mail.envelopeTo).toEqual([member.email]);
    expect(mail.parsed.text).toContain("An admin enabled your account again");
    expect(sink.received.filter((m) => m.envelopeTo.includes(admin.staff.email))).toHaveLength(0);
    const seen = await adminView(admin, response, member.id);
    expect(seen).not.toContain(token);
    expect(seen).toContain('data-testid="link-mail"');
    expect(seen).toContain(maskEmail(member.email));
    const audit = await auditOf("staff.enable", member.id);
    expect(json(audit)).not.toContain(token);
    expect(audit).toMatchObject({ outcome: "SUCCESS", reason: form.reason });
    expect(audit.after).toMatchObject({ disabledAt: null, passwordVoided: true, linkMail: { language: "en" } });

    // Whoever holds the old password (the member, or whoever took it) no longer gets in with it. The link's holder
    // sets a new password; the old authenticator is not asked for, nor accepted: they enrol anew.
    const password = "a new passphrase after the stolen laptop";
    const { browser, ...afterLink } = await signInAfterLink(app, member, token, password);
    expect(afterLink).toEqual({ oldPassword: { status: 400, redirect: null }, next: "/sign-in/enroll" });
    const oldCode = () => totpCodeForStep(member.totpSecret!, totpStepAt(now()));
    const withOldCode = await browser.post("/sign-in/totp", { code: oldCode() });
    expect(redirectPath(withOldCode)).toMatch(/^\/sign-in\/enroll/);
    const enrolPage = await (await browser.get("/sign-in/enroll")).text();
    const manualKey = /data-testid="totp-manual-key"[^>]*>([^<]+)</.exec(enrolPage)![1]!.replace(/\s/g, "");
    const secret = decodeBase32IgnorePadding(manualKey);
    const step = totpStepAt(now());
    expect(redirectPath(await browser.post("/sign-in/enroll", { code: totpCodeForStep(secret, step) }))).toBe(
      "/sign-in/recovery-codes",
    );
    const enrolled = Object.assign(browser, { staff: { ...member, password, totpSecret: secret, lastStep: step } });
    expect((await enrolled.post("/step-up", { code: oldCode(), redirectTo: "/" })).status).toBe(400);
    await stepUp(enrolled);
  });

  it("mails a new password link after step-up; setting the new password ends every old session", async () => {
    const member = await createStaff({ role: "AGENT", language: "ja" });
    const oldSession = await signIn(app, member);
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    expect(redirectPath(await admin.post(`/admin/staff/${member.id}`, { intent: "reissue-link" }))).toMatch(
      /^\/step-up/,
    );
    await stepUp(admin);
    const response = await admin.post(`/admin/staff/${member.id}`, { intent: "reissue-link" });
    expect(response.status).toBe(302);
    const { mail, link, token } = await nextLinkMail(member.email, 1);
    expect(mail.parsed.subject).toBe("Firebreak コンソールのワンタイムリンク");
    expect(await adminView(admin, response, member.id)).not.toContain(token);
    expect(json(await auditOf("staff.invite.reissue", member.id))).not.toContain(token);
    expect((await oldSession.get("/")).status).toBe(200);

    const browser = createClient(app);
    const password = "a brand new passphrase after the leak";
    const accepted = await browser.post(new URL(link).pathname, { password, confirmPassword: password });
    expect(redirectPath(accepted)).toBe("/sign-in/totp");
    expect(redirectPath(await oldSession.get("/"))).toMatch(/^\/sign-in/);
    expect((await createClient(app).post("/sign-in", { email: member.email, password: member.password })).status).toBe(
      400,
    );
    member.password = password;
    await signIn(app, member);
  });

  it("never resends a link mail whose delivery is uncertain: the admin sends a new link, which voids the old", async () => {
    const member = await createStaff({ role: "AGENT" });
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    await stepUp(admin);
    sink.dropAfterData(1); // the connection dies after the data, before the server's reply
    await admin.post(`/admin/staff/${member.id}`, { intent: "reissue-link" });
    const first = await nextLinkMail(member.email, 1);
    const doubtful = (await waitFor("the mail flagged uncertain", () =>
      prisma.outboundMessage.findFirst({ where: { staffId: member.id, status: "UNCERTAIN" } }),
    ))!;
    // The worker must not try again, not even once it has gone on to a later message.
    await untilTheWorkerHasMovedOn();
    expect(sink.countByKey(dedupeHeaderOf(doubtful.dedupeKey))).toBe(1);
    expect(await prisma.outboundMessage.findUniqueOrThrow({ where: { id: doubtful.id } })).toMatchObject({
      status: "UNCERTAIN",
      attempts: 1,
    });
    const page = await (await admin.get(`/admin/staff/${member.id}`)).text();
    expect(page).toContain('data-status="UNCERTAIN"');
    expect(page).not.toContain(first.token);

    // Nobody resends it by hand either: an agent reviewing doubtful mail is refused, and nothing is queued.
    const agent = await createStaff({ role: "AGENT" });
    const agentContext = await signedInContextOf(agent, { steppedUp: false });
    await expect(retryMessage(agentContext, doubtful.id, "not in the relay's log")).rejects.toMatchObject({
      code: "STAFF_LINK_NOT_RESENT",
    });
    expect(await prisma.outboundMessage.findUniqueOrThrow({ where: { id: doubtful.id } })).toMatchObject({
      status: "UNCERTAIN",
    });

    // A new link goes out and the doubtful one no longer works.
    await admin.post(`/admin/staff/${member.id}`, { intent: "reissue-link" });
    const second = await nextLinkMail(member.email, 2);
    expect(second.token).not.toBe(first.token);
    expect(await (await createClient(app).get(new URL(first.link).pathname)).text()).toContain("does not work");
    expect((await createClient(app).get(new URL(second.link).pathname)).status).toBe(200);
  });

  it("shows each member's recent security events to the admin, denials included", async () => {
    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE" }));
    await compliance.get("/admin/staff");
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const page = await (await admin.get(`/admin/staff/${compliance.staff.id}`)).text();
    expect(page).toContain('data-action="access.denied" data-outcome="DENIED"');
    expect(page).toContain("GET /admin/staff");
    expect(page).toContain('data-action="staff.sign-in"');
  });
});
