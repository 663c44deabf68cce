// A service token outlives the admin who created it without being forgotten (ADR 094): disabling or demoting its
// creator leaves it working (a payment service must not fail closed because someone left), names it on the audit row
// and the admin's confirmation, and flags it on the token page with a one-click revoke for another admin.
// Run `npx remix build` first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { createClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let remaining: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  remaining = await signIn(app, await createStaff({ role: "ADMIN", displayName: "Admin Ueda", language: "ja" }));
});

afterAll(async () => {
  await app?.close();
  resetClock();
});

/** A token the given admin creates over HTTP, as the page shows it once. */
async function tokenCreatedBy(admin: StaffClient, serviceName: string): Promise<string> {
  await stepUp(admin, "/admin/service-tokens");
  const created = await admin.post("/admin/service-tokens", { intent: "create", formId: "create", serviceName });
  expect(created.status).toBe(200);
  return /fbk_svc_[a-z2-7]{52}/.exec(await created.text())![0];
}

async function tokenPage(client: StaffClient): Promise<string> {
  const page = await client.get("/admin/service-tokens");
  expect(page.status).toBe(200);
  return (await page.text()).replaceAll("<!-- -->", "");
}

describe("a service token whose creator leaves", () => {
  it("keeps working, is named on the disable, flagged on the page and revoked in one click by another admin", async () => {
    const leaving = await signIn(app, await createStaff({ role: "ADMIN", displayName: "Admin Sato" }));
    const token = await tokenCreatedBy(leaving, "orphan-gateway");
    const stored = await prisma.serviceToken.findFirstOrThrow({ where: { serviceName: "orphan-gateway" } });
    expect(await tokenPage(remaining)).not.toContain('data-testid="orphaned-tokens"');

    const disabled = await remaining.post(`/admin/staff/${leaving.staff.id}`, { intent: "disable", reason: "left" });
    expect(disabled.status).toBe(302);
    const toast = await (await remaining.get(redirectPath(disabled)!)).text();
    expect(toast).toContain("このメンバーが作成したAPIトークン1件はまだ使える");
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.disable", targetId: leaving.staff.id, outcome: "SUCCESS" },
    });
    expect(audit.after).toMatchObject({
      serviceTokensLeftLive: [{ tokenId: stored.id, serviceName: "orphan-gateway", tokenPrefix: stored.tokenPrefix }],
    });

    // The payment path is not stopped behind anyone's back: the service still reads the switches.
    const machine = createClient(app);
    const auth = { authorization: `Bearer ${token}` };
    expect((await machine.get("/api/v1/kill-switches", { headers: auth })).status).toBe(200);

    // The other admin sees it flagged, in Japanese, with the revoke's reason already filled in.
    await stepUp(remaining, "/admin/service-tokens");
    const page = await tokenPage(remaining);
    expect(page).toContain('data-testid="orphaned-tokens"');
    expect(page).toContain("有効なトークンのうち1件は、現在トークンを管理できない人が作成したもの");
    expect(page).toContain("孤立：作成者のアカウントは無効です");
    expect(page).toContain('value="孤立：作成者がトークンを管理できなくなったため"');
    expect(page).toContain("孤立したトークンを失効させる");

    const revoked = await remaining.post("/admin/service-tokens", {
      intent: "revoke",
      formId: `revoke:${stored.id}`,
      tokenId: stored.id,
      reason: "孤立：作成者がトークンを管理できなくなったため",
    });
    expect(revoked.status).toBe(302);
    expect((await machine.get("/api/v1/kill-switches", { headers: auth })).status).toBe(401);
    expect(await tokenPage(remaining)).not.toContain('data-testid="orphaned-tokens"');
    expect(
      await prisma.auditEvent.findFirst({
        where: { action: "service-token.revoke", targetId: stored.id, outcome: "SUCCESS", actorId: remaining.staff.id },
      }),
    ).not.toBeNull();
  });

  it("is flagged when its creator is demoted to a role that cannot manage tokens", async () => {
    advanceClock(31_000); // each TOTP step is accepted once: the remaining admin's next code is a new step
    const demoted = await signIn(app, await createStaff({ role: "ADMIN", displayName: "Admin Kato" }));
    const token = await tokenCreatedBy(demoted, "demoted-gateway");
    await stepUp(remaining, `/admin/staff/${demoted.staff.id}`);
    const lowered = await remaining.post(`/admin/staff/${demoted.staff.id}`, {
      intent: "change-role",
      role: "AGENT",
      reason: "moved to the incident desk",
    });
    expect(lowered.status).toBe(302);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.role.change", targetId: demoted.staff.id, outcome: "SUCCESS" },
    });
    expect(audit.after).toMatchObject({ role: "AGENT", serviceTokensLeftLive: [{ serviceName: "demoted-gateway" }] });

    const page = await tokenPage(remaining);
    expect(page).toContain("孤立：作成者はトークンを管理できなくなりました");
    const machine = createClient(app);
    expect((await machine.get("/api/v1/kill-switches", { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
  });
});
