// A form sent without a fresh step-up is refused by the route (sent to re-enter a code) before the spine sees it. That
// refusal is a denial like any other and leaves a DENIED row naming the form and why: a stolen session without the
// authenticator trying the switch board or an admin form is visible in the audit trail
// (docs/decisions/089-security-audit-round-six.md, finding 2). Opening a page that offers such a form is not a denial.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { STEP_UP_WINDOW_MS } from "~/auth/step-up-window";
import { prisma } from "~/db.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, stepUp } from "../support/staff";

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app.close());
afterEach(() => resetClock());

function denialsOf(staffId: string) {
  return prisma.auditEvent.findMany({
    where: { actorId: staffId, action: "access.denied", outcome: "DENIED" },
    orderBy: { seq: "asc" },
    select: { targetType: true, targetId: true, after: true },
  });
}

describe("a form refused for want of a fresh step-up", () => {
  it("is audited as denied, naming the form, when no code was ever entered in the session", async () => {
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    const before = await prisma.killSwitch.findUniqueOrThrow({ where: { key: "topup.bank" } });
    const refused = await lead.post("/kill-switches?index", { intent: "engage", key: "topup.bank", reason: "test" });
    expect(refused.status).toBe(302);
    expect(redirectPath(refused)).toMatch(/^\/step-up\?redirectTo=/);
    expect(await prisma.killSwitch.findUniqueOrThrow({ where: { key: "topup.bank" } })).toEqual(before);
    expect(await denialsOf(lead.staff.id)).toEqual([
      { targetType: "route", targetId: "POST /kill-switches", after: { stepUp: "missing" } },
    ]);
  });

  it("says the code has expired when the session's step-up is older than the window", async () => {
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    await stepUp(admin, "/admin/service-tokens");
    advanceClock(STEP_UP_WINDOW_MS + 1000);
    const refused = await admin.post("/admin/service-tokens", { intent: "create", serviceName: "pos-gateway" });
    expect(redirectPath(refused)).toMatch(/^\/step-up\?redirectTo=/);
    expect(await denialsOf(admin.staff.id)).toEqual([
      { targetType: "route", targetId: "POST /admin/service-tokens", after: { stepUp: "expired" } },
    ]);
  });

  it("is not a denial to open the page that offers the form", async () => {
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    expect((await lead.get("/kill-switches")).status).toBe(200);
    expect(await denialsOf(lead.staff.id)).toEqual([]);
  });
});
