// Lockout must not become an incident-day weapon (docs/decisions/018-lockout-without-a-weapon.md). The attacker's side:
// knowing a lead's email, or even the password, must not lock the lead out or block the lead's signed-in step-up;
// guessing is still stopped (per source, then account-wide). The lead's side: the lead signs in and steps up anyway.
// And the per-address throttle buckets IPv6 by /64, so rotating addresses inside one /64 buys no extra guesses.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addressBucket } from "~/auth/address-bucket";
import { IP_FAILURE_LIMIT } from "~/auth/ip-throttle.server";
import { SECOND_FACTOR_FAILURE_LIMIT } from "~/auth/second-factor.server";
import { ACCOUNT_LOCK_PASSWORD_FAILURES, SOURCE_PASSWORD_FAILURE_LIMIT } from "~/auth/sign-in.server";
import { prisma } from "~/db.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { createClient, redirectPath, startHttpApp, uniqueClientIp, type TestHttpApp } from "../support/http-app";
import { createStaff, nextTotpCode, signIn, signInWithPasswordOnly } from "../support/staff";

const TOTP_STEP_MS = 30_000;

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app.close());
afterEach(() => resetClock());

async function postSignIn(email: string, password: string, ip: string) {
  return createClient(app, { ip }).post("/sign-in", { email, password });
}

describe("the attacker who knows only a lead's email", () => {
  it("locks out their own source, not the lead", async () => {
    const lead = await createStaff({ role: "SECURITY_LEAD" });
    const attackerIp = uniqueClientIp();
    for (let i = 0; i < SOURCE_PASSWORD_FAILURE_LIMIT + 5; i++)
      expect((await postSignIn(lead.email, `guess-${i}`, attackerIp)).status).toBe(400);
    // The right password from the attacker's source is refused too: the source is locked out of this account.
    expect((await postSignIn(lead.email, lead.password, attackerIp)).status).toBe(400);
    const wrongChecked = await prisma.auditEvent.count({
      where: {
        action: "staff.sign-in.password",
        targetId: lead.id,
        after: { path: ["reason"], equals: "wrong-password" },
      },
    });
    expect(wrongChecked).toBe(SOURCE_PASSWORD_FAILURE_LIMIT);

    // The lead, from the office, signs in at once.
    await signIn(app, lead, { ip: uniqueClientIp() });
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: lead.id } })).lockedUntil).toBeNull();
  });

  it("meets an account-wide lock when guessing from many sources (PCI DSS 8.3.4 still holds)", async () => {
    const lead = await createStaff({ role: "SECURITY_LEAD" });
    for (let i = 0; i < ACCOUNT_LOCK_PASSWORD_FAILURES; i++)
      expect((await postSignIn(lead.email, `spray-${i}`, uniqueClientIp())).status).toBe(400);
    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: lead.id } });
    expect(row.lockedUntil).not.toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "staff.lock", targetId: lead.id } })).toBe(1);
    expect((await postSignIn(lead.email, lead.password, uniqueClientIp())).status).toBe(400);
  }, 240_000);
});

describe("the attacker who knows a lead's password", () => {
  it("cannot block the lead's signed-in session from stepping up", async () => {
    const lead = await createStaff({ role: "SECURITY_LEAD" });
    const leadClient = await signIn(app, lead, { ip: uniqueClientIp() });

    const attacker = await signInWithPasswordOnly(app, lead, { ip: uniqueClientIp() });
    const statuses: number[] = [];
    for (let i = 0; i < SECOND_FACTOR_FAILURE_LIMIT; i++)
      statuses.push((await attacker.post("/sign-in/totp", { code: "000000" })).status);
    expect(statuses).toEqual([...Array<number>(SECOND_FACTOR_FAILURE_LIMIT - 1).fill(400), 429]);
    // The attacker's own source is now blocked…
    expect((await attacker.post("/sign-in/totp", { code: nextTotpCode(lead) })).status).toBe(429);

    // …and the lead's session still steps up with the next code.
    advanceClock(TOTP_STEP_MS);
    const response = await leadClient.post("/step-up", { code: nextTotpCode(lead), redirectTo: "/" });
    expect(response.status).toBe(302);
    expect(redirectPath(response)).toBe("/");
  });

  it("a session's own wrong step-up codes block that session only", async () => {
    const lead = await createStaff({ role: "SECURITY_LEAD" });
    const stolen = await signIn(app, lead, { ip: uniqueClientIp() });
    const own = await signIn(app, lead, { ip: uniqueClientIp() });
    for (let i = 0; i < SECOND_FACTOR_FAILURE_LIMIT; i++)
      await stolen.post("/step-up", { code: "000000", redirectTo: "/" });
    advanceClock(TOTP_STEP_MS);
    expect((await stolen.post("/step-up", { code: nextTotpCode(lead), redirectTo: "/" })).status).toBe(429);
    advanceClock(TOTP_STEP_MS); // a fresh code for the second session
    expect((await own.post("/step-up", { code: nextTotpCode(lead), redirectTo: "/" })).status).toBe(302);
    const blocks = await prisma.auditEvent.findMany({
      where: { action: "staff.second-factor.block", targetId: lead.id },
    });
    expect(blocks).toHaveLength(1);
  });

  it("an admin clears a block for another member (audited), never for themselves", async () => {
    const admin = await createStaff({ role: "ADMIN" });
    const adminClient = await signIn(app, admin, { ip: uniqueClientIp() });
    for (let i = 0; i < SECOND_FACTOR_FAILURE_LIMIT; i++)
      await adminClient.post("/step-up", { code: "000000", redirectTo: "/" });
    expect((await adminClient.post(`/admin/staff/${admin.id}`, { intent: "unlock" })).status).not.toBe(302);
    expect(await prisma.staffTotpFailure.count({ where: { staffId: admin.id } })).toBe(SECOND_FACTOR_FAILURE_LIMIT);

    const other = await signIn(app, await createStaff({ role: "ADMIN" }), { ip: uniqueClientIp() });
    expect((await other.post(`/admin/staff/${admin.id}`, { intent: "unlock" })).status).toBe(302);
    expect(await prisma.staffTotpFailure.count({ where: { staffId: admin.id } })).toBe(0);
    const unlocks = await prisma.auditEvent.findMany({ where: { action: "staff.unlock", targetId: admin.id } });
    expect(unlocks.map((row) => [row.actorId, row.outcome])).toEqual([
      [admin.id, "FAILED"],
      [other.staff.id, "SUCCESS"],
    ]);
  });
});

describe("address buckets", () => {
  it("groups IPv6 by /64 and keeps IPv4 addresses apart", () => {
    expect(addressBucket("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:0db8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("2001:db8:1:3::1")).not.toBe(addressBucket("2001:db8:1:2::1"));
    expect(addressBucket("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(addressBucket("198.51.100.7")).toBe("198.51.100.7");
    expect(addressBucket("198.51.100.8")).not.toBe(addressBucket("198.51.100.7"));
  });

  it("throttles a whole IPv6 /64 once it has used up its failures", async () => {
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    for (let i = 1; i <= IP_FAILURE_LIMIT; i++)
      expect(
        (await postSignIn(`nobody-${i}-${Date.now()}@staff.test`, "wrong-password-1", `${prefix}::${i}`)).status,
      ).toBe(400);
    // A fresh address inside the same /64 is throttled; another /64 is not.
    expect((await postSignIn("nobody@staff.test", "wrong-password-1", `${prefix}:ffff::99`)).status).toBe(429);
    expect(
      (await postSignIn("nobody@staff.test", "wrong-password-1", `${prefix.replace(/:7$/, ":8")}::1`)).status,
    ).toBe(400);
  });
});
