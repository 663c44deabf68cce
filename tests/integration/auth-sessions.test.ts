// Session lifetime over real HTTP with the controllable clock: 15-minute idle timeout, 12-hour absolute lifetime,
// sign-out that ends the session on the server, and an admin ending or disabling someone's sessions at once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ABSOLUTE_LIFETIME_MS, hashToken, IDLE_TIMEOUT_MS } from "~/auth/session.server";
import { purgeStaleAuthRows } from "~/auth/auth-housekeeping.server";
import { prisma } from "~/db.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { createClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn } from "../support/staff";

const ONE_MINUTE = 60 * 1000;
const FOURTEEN_MINUTES = 14 * ONE_MINUTE;

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app.close());
afterEach(() => resetClock());

function isSignInRedirect(response: Response): boolean {
  return response.status === 302 && (redirectPath(response) ?? "").startsWith("/sign-in");
}

describe("idle timeout", () => {
  it("keeps an active session and ends one left alone for 15 minutes", async () => {
    expect(IDLE_TIMEOUT_MS).toBe(15 * ONE_MINUTE);
    const client = await signIn(app, await createStaff());
    const token = client.cookies.get("firebreak_session")!;
    advanceClock(FOURTEEN_MINUTES);
    expect((await client.get("/")).status).toBe(200);
    advanceClock(FOURTEEN_MINUTES);
    expect((await client.get("/")).status).toBe(200);
    advanceClock(IDLE_TIMEOUT_MS);
    const expired = await client.get("/admin/staff");
    expect(isSignInRedirect(expired)).toBe(true);
    expect(redirectPath(expired)).toBe("/sign-in?redirectTo=%2Fadmin%2Fstaff&expired=1");
    expect(await (await client.get(redirectPath(expired)!)).text()).toContain("Your session has ended");
    expect(await prisma.staffSession.findUnique({ where: { id: hashToken(token) } })).toBeNull();
  });
});

describe("absolute lifetime", () => {
  it("ends even a constantly active session after 12 hours", async () => {
    expect(ABSOLUTE_LIFETIME_MS).toBe(12 * 60 * ONE_MINUTE);
    const client = await signIn(app, await createStaff());
    let elapsed = 0;
    while (elapsed + FOURTEEN_MINUTES < ABSOLUTE_LIFETIME_MS) {
      advanceClock(FOURTEEN_MINUTES);
      elapsed += FOURTEEN_MINUTES;
      const response = await client.get("/");
      expect([elapsed, response.status]).toEqual([elapsed, 200]);
    }
    advanceClock(ABSOLUTE_LIFETIME_MS - elapsed);
    expect(isSignInRedirect(await client.get("/"))).toBe(true);
  });
});

describe("sign-out", () => {
  it("ends the session on the server: the old cookie no longer works (audited)", async () => {
    const client = await signIn(app, await createStaff());
    const token = client.cookies.get("firebreak_session")!;
    const response = await client.post("/sign-out", {});
    expect(response.status).toBe(302);
    expect(redirectPath(response)).toBe("/sign-in");
    expect(response.headers.getSetCookie().some((c) => /^firebreak_session=;.*Max-Age=0/.test(c))).toBe(true);
    expect(await prisma.staffSession.findUnique({ where: { id: hashToken(token) } })).toBeNull();

    const stolen = createClient(app);
    stolen.cookies.set("firebreak_session", token);
    expect(isSignInRedirect(await stolen.get("/"))).toBe(true);
    expect(await prisma.auditEvent.count({ where: { action: "staff.sign-out", actorId: client.staff.id } })).toBe(1);
  });

  it("is a POST: GET /sign-out changes nothing", async () => {
    const client = await signIn(app, await createStaff());
    expect((await client.get("/sign-out")).status).toBe(302);
    expect((await client.get("/")).status).toBe(200);
  });
});

describe("ending someone else's sessions", () => {
  it("disabling a member ends all their sessions at once and stops them signing in (audited)", async () => {
    const target = await createStaff({ role: "AGENT" });
    const laptop = await signIn(app, target);
    const phone = await signIn(app, target);
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const response = await admin.post(`/admin/staff/${target.id}`, { intent: "disable", reason: "Left the company" });
    expect(response.status).toBe(302);
    expect(await prisma.staffSession.count({ where: { staffId: target.id } })).toBe(0);
    expect(isSignInRedirect(await laptop.get("/"))).toBe(true);
    expect(isSignInRedirect(await phone.get("/"))).toBe(true);
    expect((await createClient(app).post("/sign-in", { email: target.email, password: target.password })).status).toBe(
      400,
    );
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "staff.disable", targetId: target.id } });
    expect(audit).toMatchObject({ actorId: admin.staff.id, outcome: "SUCCESS", reason: "Left the company" });
    expect(audit.after).toMatchObject({ sessionsEnded: 2 });
  });

  it("an admin can end all sessions of a member without disabling them", async () => {
    const target = await createStaff({ role: "SECURITY_LEAD" });
    const session = await signIn(app, target);
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    expect((await admin.post(`/admin/staff/${target.id}`, { intent: "end-sessions" })).status).toBe(302);
    expect(isSignInRedirect(await session.get("/"))).toBe(true);
    await signIn(app, target);
  });
});

describe("housekeeping", () => {
  it("drops sessions past their limits and stale sign-in rows, and keeps live ones", async () => {
    const staff = await createStaff();
    const live = await signIn(app, staff);
    const liveId = hashToken(live.cookies.get("firebreak_session")!);
    const longAgo = new Date(Date.now() - 2 * IDLE_TIMEOUT_MS);
    await prisma.staffSession.create({
      data: {
        id: `stale-${liveId}`,
        staffId: staff.id,
        stage: "FULL",
        lastSeenAt: longAgo,
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const ip = `purge-${liveId.slice(0, 8)}`;
    await prisma.signInAttempt.create({ data: { ip, occurredAt: new Date(Date.now() - 60 * ONE_MINUTE) } });
    // Real time, not the test clock: rows this file's other tests created must not look stale.
    const outcome = await purgeStaleAuthRows(new Date());
    expect(outcome.sessions).toBeGreaterThanOrEqual(1);
    expect(await prisma.staffSession.findUnique({ where: { id: `stale-${liveId}` } })).toBeNull();
    expect(await prisma.staffSession.findUnique({ where: { id: liveId } })).not.toBeNull();
    expect(await prisma.signInAttempt.count({ where: { ip } })).toBe(0);
    expect((await live.get("/")).status).toBe(200);
  });
});
