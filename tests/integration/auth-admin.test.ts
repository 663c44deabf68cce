// Staff administration over real HTTP: permissions per role (deny by default, denial audited), step-up before a role
// change, guard rails (self, last admin), invites and TOTP reset.
import { en } from "~/i18n/resources";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { STEP_UP_WINDOW_MS } from "~/auth/guard.server";
import { disableStaff } from "~/auth/staff-admin.server";
import { prisma } from "~/db.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { createClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, staffContextOf, stepUp } from "../support/staff";

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
      expect(html).toContain("staff:manage");
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
  it("is required for a role change, lasts 5 minutes, and the change is audited with before and after", async () => {
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const target = await createStaff({ role: "AGENT" });
    const targetSession = await signIn(app, target);
    const form = { intent: "change-role", role: "SECURITY_LEAD", reason: "Promoted for the incident" };

    const refused = await admin.post(`/admin/staff/${target.id}`, form);
    expect(refused.status).toBe(302);
    expect(redirectPath(refused)).toBe(`/step-up?redirectTo=${encodeURIComponent(`/admin/staff/${target.id}`)}`);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("AGENT");
    expect(await (await admin.get(`/admin/staff/${target.id}`)).text()).toContain('data-testid="step-up-notice"');

    await stepUp(admin, `/admin/staff/${target.id}`);
    const changed = await admin.post(`/admin/staff/${target.id}`, form);
    expect(changed.status).toBe(302);
    expect(redirectPath(changed)).toBe(`/admin/staff/${target.id}`);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("SECURITY_LEAD");
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.role.change", targetId: target.id },
    });
    expect(audit).toMatchObject({ outcome: "SUCCESS", reason: "Promoted for the incident", actorId: admin.staff.id });
    expect(audit.before).toEqual({ role: "AGENT" });
    expect(audit.after).toEqual({ role: "SECURITY_LEAD" });
    // The member's open session carries the new role at once.
    expect(await (await targetSession.get("/")).text()).toContain("SECURITY_LEAD");

    advanceClock(STEP_UP_WINDOW_MS);
    const stale = await admin.post(`/admin/staff/${target.id}`, { ...form, role: "AGENT" });
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
    // One wins; the other is refused (409) or, if the winner's change ended its session first, sent to sign in.
    const outcomes = responses.map((r) =>
      r.status === 302 && redirectPath(r)?.startsWith("/admin/staff/")
        ? "disabled"
        : r.status === 409
          ? "refused"
          : redirectPath(r),
    );
    expect(outcomes.filter((o) => o === "disabled")).toHaveLength(1);
    expect(outcomes.filter((o) => o !== "disabled")[0]).toMatch(/^(refused|\/sign-in)/);
    expect(await prisma.staffUser.count({ where: { role: "ADMIN", disabledAt: null } })).toBe(1);

    // The losing side of that race, made deterministic: an admin whose request was authorised just before their own
    // account was disabled tries to disable the last active admin.
    const [winner, loser] = outcomes[0] === "disabled" ? [first, second] : [second, first];
    const staleContext = staffContextOf(loser, { id: "stale", steppedUpAt: null });
    await expect(disableStaff(staleContext, winner.id, "race")).rejects.toThrow("last active admin");
    expect(await prisma.staffUser.count({ where: { role: "ADMIN", disabledAt: null } })).toBe(1);
  });
});

describe("invitations and resets", () => {
  it("invites by one-time link after step-up; the link is shown once and never stored or audited in clear", async () => {
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const email = `invitee-${Date.now()}@staff.test`;
    const form = { intent: "invite", email, displayName: "New Agent", role: "AGENT" };
    expect(redirectPath(await admin.post("/admin/staff?index", form))).toMatch(/^\/step-up/);
    await stepUp(admin, "/admin/staff");
    const response = await admin.post("/admin/staff?index", form);
    expect(response.status).toBe(200);
    const link = /data-testid="invite-link"[^>]*>([^<]+)</.exec(await response.text())![1]!;
    const token = link.split("/invite/")[1]!;
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const invited = await prisma.staffUser.findUniqueOrThrow({ where: { email } });
    expect(invited).toMatchObject({ role: "AGENT", passwordHash: null, totpEnrolledAt: null });
    expect(await prisma.staffInvite.count({ where: { id: token } })).toBe(0);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "staff.invite", targetId: invited.id } });
    expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(token);
    expect((await createClient(app).get(`/invite/${token}`)).status).toBe(200);

    const duplicate = await admin.post("/admin/staff?index", form);
    expect(duplicate.status).toBe(409);
  });

  it("resets a member's authenticator: sessions end, codes and password go, only the one-time link enrols again", async () => {
    const target = await createStaff({ role: "AGENT" });
    const targetClient = await signIn(app, target);
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    await stepUp(admin);
    const response = await admin.post(`/admin/staff/${target.id}`, { intent: "reset-totp", reason: "Lost phone" });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('data-testid="totp-reset-done"');
    const link = /data-testid="invite-link"[^>]*>([^<]+)</.exec(page)![1]!;
    expect(redirectPath(await targetClient.get("/"))).toMatch(/^\/sign-in/);
    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } });
    expect(row).toMatchObject({ totpSecretEncrypted: null, totpEnrolledAt: null, totpLastUsedStep: null });
    expect(await prisma.staffRecoveryCode.count({ where: { staffId: target.id } })).toBe(0);

    // Whoever knows the old password (the member, or whoever stole it) can no longer reach enrolment with it.
    const withOldPassword = await createClient(app).post("/sign-in", {
      email: target.email,
      password: target.password,
    });
    expect(withOldPassword.status).toBe(400);
    expect(redirectPath(withOldPassword)).toBeNull();

    // The link's holder sets a new password and goes on to enrol a new authenticator.
    const password = "a new passphrase after the lost phone";
    const accepted = await createClient(app).post(new URL(link).pathname, { password, confirmPassword: password });
    expect(redirectPath(accepted)).toBe("/sign-in/enroll");
  });

  it("sends a new password link after step-up; setting the new password ends every old session", async () => {
    const member = await createStaff({ role: "AGENT" });
    const oldSession = await signIn(app, member);
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    expect(redirectPath(await admin.post(`/admin/staff/${member.id}`, { intent: "reissue-link" }))).toMatch(
      /^\/step-up/,
    );
    await stepUp(admin);
    const response = await admin.post(`/admin/staff/${member.id}`, { intent: "reissue-link" });
    expect(response.status).toBe(200);
    const link = /data-testid="invite-link"[^>]*>([^<]+)</.exec(await response.text())![1]!;
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
