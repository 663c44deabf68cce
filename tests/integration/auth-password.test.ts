// The password step over real HTTP: no enumeration, the 10-failure lockout of one source (audited lock and unlock, by
// time and by an admin) and the per-address throttle against credential stuffing. The account-wide lock and the
// lead's side of the lockout are in lockout-weapon.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SOURCE_PASSWORD_FAILURE_LIMIT, GENERIC_SIGN_IN_ERROR } from "~/auth/sign-in.server";
import { IP_FAILURE_LIMIT } from "~/auth/ip-throttle.server";
import { prisma } from "~/db.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { createClient, redirectPath, startHttpApp, uniqueClientIp, type TestHttpApp } from "../support/http-app";
import { actionDataOf, dataPath, readSingleFetch } from "../support/single-fetch";
import { createStaff, signIn, type TestStaff } from "../support/staff";

const THIRTY_MINUTES = 30 * 60 * 1000;
const TEN_MINUTES = 10 * 60 * 1000;

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app.close());
afterEach(() => resetClock());

async function postSignIn(email: string, password: string, ip?: string) {
  const client = createClient(app, { ip });
  const response = await client.post("/sign-in", { email, password });
  return { client, response, body: await response.text() };
}

/** The page minus what differs on every request anyway (nonces, request IDs) and the email the user typed. */
function normalise(html: string, email: string): string {
  // The request ID is in the page's meta tag and again in the streamed loader data (whatever its encoding).
  const requestId = /<meta name="request-id" content="([^"]+)"\/>/.exec(html)?.[1];
  return (requestId ? html.replaceAll(requestId, "<request-id>") : html)
    .replaceAll(email, "<email>")
    .replace(/nonce="[^"]*"/g, 'nonce=""');
}

async function auditRows(action: string, targetId: string) {
  return prisma.auditEvent.findMany({ where: { action, targetId }, orderBy: { seq: "asc" } });
}

describe("no account enumeration", () => {
  it("answers an unknown email, a wrong password, a disabled and a not-yet-activated account identically", async () => {
    const known = await createStaff();
    const disabled = await createStaff();
    await prisma.staffUser.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const invited = await createStaff({ withPassword: false, enrolled: false });

    const attempts = [
      { email: `nobody-${Date.now()}@staff.test`, password: "whatever-password-1" },
      { email: known.email, password: "not-the-password-1" },
      { email: disabled.email, password: disabled.password },
      { email: invited.email, password: "some-password-123" },
    ];
    const results = [];
    for (const attempt of attempts) {
      const { response, body } = await postSignIn(attempt.email, attempt.password);
      results.push({
        status: response.status,
        setsSessionCookie: response.headers.getSetCookie().some((c) => c.startsWith("firebreak_session=")),
        body: normalise(body, attempt.email),
      });
    }
    expect(results[0]!.status).toBe(400);
    expect(results[0]!.body).toContain(GENERIC_SIGN_IN_ERROR.replaceAll("'", "&#x27;").slice(0, 40));
    for (const result of results) {
      expect(result.setsSessionCookie).toBe(false);
      expect(result.status).toBe(results[0]!.status);
      expect(result.body).toBe(results[0]!.body);
    }
  });

  it("answers the data request of a script-driven form identically too", async () => {
    const known = await createStaff();
    const client = createClient(app);
    const unknown = await client.post(dataPath("/sign-in?index"), {
      email: "ghost@staff.test",
      password: "x-password-123",
    });
    const wrong = await client.post(dataPath("/sign-in?index"), {
      email: known.email,
      password: "x-password-123",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.status).toBe(wrong.status);
    const [a, b] = [actionDataOf(await readSingleFetch(unknown)), actionDataOf(await readSingleFetch(wrong))];
    expect(JSON.stringify(a)).toContain(GENERIC_SIGN_IN_ERROR);
    expect(JSON.stringify(a).replace("ghost@staff.test", "<e>")).toBe(JSON.stringify(b).replace(known.email, "<e>"));
  });
});

describe("lockout after 10 consecutive wrong passwords from one source", () => {
  async function lockOut(staff: TestStaff, ip: string) {
    for (let i = 0; i < SOURCE_PASSWORD_FAILURE_LIMIT; i++) {
      const { response } = await postSignIn(staff.email, `wrong-password-${i}`, ip);
      expect(response.status).toBe(400);
    }
  }

  it("locks the source for 30 minutes (audited), refuses even the right password from it, then lets it in", async () => {
    const staff = await createStaff();
    const ip = uniqueClientIp();
    // Nine failures do not lock; a success resets the count ("consecutive").
    for (let i = 0; i < 9; i++) await postSignIn(staff.email, `wrong-password-${i}`, ip);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: staff.id } })).lockedUntil).toBeNull();
    await signIn(app, staff, { ip });
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: staff.id } })).failedPasswordCount).toBe(0);

    await lockOut(staff, ip);
    expect(await auditRows("staff.lock.source", staff.id)).toHaveLength(1);

    const { response: refused, body } = await postSignIn(staff.email, staff.password, ip);
    expect(refused.status).toBe(400);
    expect(body).toContain("After 10 failed attempts");
    expect(refused.headers.getSetCookie().some((c) => c.startsWith("firebreak_session="))).toBe(false);

    advanceClock(THIRTY_MINUTES - 60_000);
    expect((await postSignIn(staff.email, staff.password, ip)).response.status).toBe(400);

    advanceClock(60_000);
    const { response: allowed } = await postSignIn(staff.email, staff.password, ip);
    expect(allowed.status).toBe(302);
    expect(redirectPath(allowed)).toBe("/sign-in/totp");
  }, 120_000);

  it("lets an admin unlock the account before the 30 minutes are up (audited)", async () => {
    const staff = await createStaff();
    const ip = uniqueClientIp();
    await lockOut(staff, ip);
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const response = await admin.post(`/admin/staff/${staff.id}`, { intent: "unlock" });
    expect(response.status).toBe(302);
    const unlocks = await auditRows("staff.unlock", staff.id);
    expect(unlocks.map((u) => [u.actorId, u.outcome])).toEqual([[admin.staff.id, "SUCCESS"]]);
    expect((await postSignIn(staff.email, staff.password, ip)).response.status).toBe(302);
  });

  it("counts concurrent guesses one by one: no more than 10 from one source are ever checked", async () => {
    const staff = await createStaff();
    const ip = uniqueClientIp();
    const guesses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        postSignIn(staff.email, `parallel-wrong-${i}`, ip).then((r) => r.response.status),
      ),
    );
    expect(guesses.every((status) => status === 400)).toBe(true);
    const failures = await prisma.auditEvent.count({
      where: { action: "staff.sign-in.password", targetId: staff.id, outcome: "FAILED" },
    });
    expect(failures).toBe(16);
    const checked = await prisma.auditEvent.findMany({
      where: { action: "staff.sign-in.password", targetId: staff.id, outcome: "FAILED" },
    });
    const wrongPasswords = checked.filter((row) => (row.after as { reason?: string }).reason === "wrong-password");
    expect(wrongPasswords).toHaveLength(SOURCE_PASSWORD_FAILURE_LIMIT);
  });
});

describe("per-address throttle", () => {
  it(`refuses an address with 429 after ${IP_FAILURE_LIMIT} failures in 10 minutes, across accounts (audited)`, async () => {
    const ip = "198.51.100.77";
    const victim = await createStaff();
    for (let i = 0; i < IP_FAILURE_LIMIT; i++) {
      const { response } = await postSignIn(`stuffed-${i}-${Date.now()}@staff.test`, `leaked-password-${i}`, ip);
      expect(response.status).toBe(400);
    }
    // Even the right password is refused from that address while the window holds the failures.
    const { response, body } = await postSignIn(victim.email, victim.password, ip);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(body).toContain("Too many failed sign-ins from your network");
    const throttled = await prisma.auditEvent.findMany({ where: { action: "staff.sign-in.throttled", targetId: ip } });
    expect(throttled).toHaveLength(1);
    expect(throttled[0]!.outcome).toBe("DENIED");

    // Another address is unaffected.
    expect((await postSignIn(victim.email, victim.password)).response.status).toBe(302);

    advanceClock(TEN_MINUTES + 1000);
    expect((await postSignIn(victim.email, victim.password, ip)).response.status).toBe(302);
  });
});
