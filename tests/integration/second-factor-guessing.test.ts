// Someone who has a lead's password guesses the authenticator code, spreading the guesses over sources and time so that
// no window ever blocks them for long (docs/decisions/089-security-audit-round-six.md, finding 1). The windowed blocks of
// ADR 018 refill every 30 minutes; a limit on consecutive wrong sign-in codes stops the guessing for good, until an
// admin unlocks the member, and the lead's own signed-in session keeps stepping up meanwhile.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBootstrapAdmin } from "~/auth/bootstrap-admin.server";
import {
  SECOND_FACTOR_ACCOUNT_FAILURE_LIMIT,
  SECOND_FACTOR_CONSECUTIVE_LIMIT,
  SECOND_FACTOR_FAILURE_LIMIT,
} from "~/auth/second-factor.server";
import { totpCodeForStep, totpStepAt } from "~/auth/totp.server";
import { prisma } from "~/db.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { createClient, redirectPath, startHttpApp, uniqueClientIp, type TestHttpApp } from "../support/http-app";
import { createStaff, nextTotpCode, signIn, signInWithPasswordOnly, stepUp, type TestStaff } from "../support/staff";

const THIRTY_ONE_MINUTES = 31 * 60 * 1000;
const TOTP_STEP_MS = 30_000;

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app.close());
afterEach(() => resetClock());

/** A well-formed code that is certainly wrong for this secret right now. */
function wrongCode(staff: TestStaff): string {
  const current = totpStepAt(now());
  const valid = new Set([-1n, 0n, 1n].map((offset) => totpCodeForStep(staff.totpSecret!, current + offset)));
  for (let candidate = 0; ; candidate++) {
    const code = String(candidate).padStart(6, "0");
    if (!valid.has(code)) return code;
  }
}

/** Codes the server actually compared with the secret (not refused before that by a block). */
function codesChecked(staffId: string): Promise<number> {
  return prisma.auditEvent.count({
    where: {
      action: "staff.sign-in.second-factor",
      targetId: staffId,
      outcome: "FAILED",
      after: { path: ["reason"], equals: "wrong-code" },
    },
  });
}

/** One round of the attacker: as many wrong codes as the windows allow, from fresh sources, then wait them out. */
async function guessingRound(lead: TestStaff): Promise<void> {
  const sources = SECOND_FACTOR_ACCOUNT_FAILURE_LIMIT / SECOND_FACTOR_FAILURE_LIMIT;
  for (let s = 0; s < sources; s++) {
    const attacker = await signInWithPasswordOnly(app, lead, { ip: uniqueClientIp() });
    for (let i = 0; i < SECOND_FACTOR_FAILURE_LIMIT; i++) {
      await attacker.post("/sign-in/totp", { code: wrongCode(lead) });
    }
  }
  advanceClock(THIRTY_ONE_MINUTES);
}

describe("the attacker who has a lead's password and time", () => {
  it("gets no more than the consecutive limit of guesses, however they spread them", async () => {
    const lead = await createStaff({ role: "SECURITY_LEAD" });
    const leadClient = await signIn(app, lead, { ip: uniqueClientIp() });
    const rounds = Math.ceil(SECOND_FACTOR_CONSECUTIVE_LIMIT / SECOND_FACTOR_ACCOUNT_FAILURE_LIMIT) + 1;
    for (let round = 0; round < rounds; round++) await guessingRound(lead);

    // Without the consecutive limit every round's guesses were checked: 20 every 30 minutes, for ever.
    expect(await codesChecked(lead.id)).toBe(SECOND_FACTOR_CONSECUTIVE_LIMIT);

    // Now even the right code is refused at sign-in, in the reader's language, until an admin unlocks the member.
    const attacker = await signInWithPasswordOnly(app, lead, { ip: uniqueClientIp() });
    const refused = await attacker.post("/sign-in/totp", { code: nextTotpCode(lead) });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("ask an admin to unlock");
    // A member who reads Japanese (the console's default) is told so on arrival at the code page.
    await prisma.staffUser.update({ where: { id: lead.id }, data: { language: "ja" } });
    const japanese = await signInWithPasswordOnly(app, lead, { ip: uniqueClientIp() });
    expect(await (await japanese.get("/sign-in/totp")).text()).toContain("管理者が解除するまでサインインできません");
    await prisma.staffUser.update({ where: { id: lead.id }, data: { language: "en" } });
    const lock = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.second-factor.block", targetId: lead.id, after: { path: ["scope"], equals: "account" } },
    });
    expect(lock.after).toMatchObject({ untilUnlocked: true, consecutiveFailures: SECOND_FACTOR_CONSECUTIVE_LIMIT });
    const denied = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.sign-in.second-factor", targetId: lead.id, outcome: "DENIED" },
      orderBy: { seq: "desc" },
    });
    expect(denied.after).toMatchObject({ reason: "locked-until-unlocked" });

    // The lead's signed-in session still steps up: only signing in is stopped.
    advanceClock(TOTP_STEP_MS);
    expect((await leadClient.post("/step-up", { code: nextTotpCode(lead), redirectTo: "/" })).status).toBe(302);

    // A second admin unlocks the member (audited); the lead signs in again.
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }), { ip: uniqueClientIp() });
    const memberPage = await (await admin.get(`/admin/staff/${lead.id}`)).text();
    expect(memberPage).toContain(`${SECOND_FACTOR_CONSECUTIVE_LIMIT}: signing in is blocked until an admin unlocks it`);
    // Lifting this block takes a fresh code (ADR 094): a stolen admin session alone cannot give the guesser 100 more.
    expect(memberPage).not.toContain('value="unlock"');
    expect(memberPage).toContain("step-up-notice");
    const unsteppedUnlock = await admin.post(`/admin/staff/${lead.id}`, { intent: "unlock" });
    expect(unsteppedUnlock.status).toBe(403);
    expect(await unsteppedUnlock.text()).toContain("authenticator code");
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: lead.id } })).signInCodeFailures).toBe(
      SECOND_FACTOR_CONSECUTIVE_LIMIT,
    );
    const unlockRefused = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.unlock", targetId: lead.id },
    });
    expect(unlockRefused).toMatchObject({ outcome: "DENIED", actorId: admin.staff.id });
    await stepUp(admin, `/admin/staff/${lead.id}`);
    expect(await (await admin.get(`/admin/staff/${lead.id}`)).text()).toContain('value="unlock"');
    expect((await admin.post(`/admin/staff/${lead.id}`, { intent: "unlock" })).status).toBe(302);
    const unlock = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.unlock", targetId: lead.id, outcome: "SUCCESS" },
    });
    expect(unlock.before).toMatchObject({ consecutiveSignInCodeFailures: SECOND_FACTOR_CONSECUTIVE_LIMIT });
    advanceClock(TOTP_STEP_MS);
    await signIn(app, lead, { ip: uniqueClientIp() });
  }, 300_000);

  it("starts counting afresh after the member signs in with a right code", async () => {
    const lead = await createStaff({ role: "SECURITY_LEAD" });
    await guessingRound(lead);
    await signIn(app, lead, { ip: uniqueClientIp() });
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: lead.id } })).signInCodeFailures).toBe(0);
    const again = await signInWithPasswordOnly(app, lead, { ip: uniqueClientIp() });
    advanceClock(TOTP_STEP_MS);
    const response = await again.post("/sign-in/totp", { code: nextTotpCode(lead) });
    expect(redirectPath(response)).toBe("/");
  }, 120_000);

  it("a sole admin locked by them comes back through the command line's new link", async () => {
    const admin = await createStaff({ role: "ADMIN" });
    // As the first case leaves a member: the limit of wrong codes in a row reached.
    await prisma.staffUser.update({
      where: { id: admin.id },
      data: { signInCodeFailures: SECOND_FACTOR_CONSECUTIVE_LIMIT },
    });
    const { invite } = await createBootstrapAdmin({ email: admin.email, reissue: true });
    const client = createClient(app, { ip: uniqueClientIp() });
    const password = "a new passphrase after the lock";
    const accepted = await client.post(`/invite/${invite.token}`, { password, confirmPassword: password });
    expect(redirectPath(accepted)).toBe("/sign-in/totp");
    const signedIn = await client.post("/sign-in/totp", { code: nextTotpCode(admin) });
    expect(redirectPath(signedIn)).toBe("/");
  });
});
