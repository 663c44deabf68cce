// The story `npm run simulate:recovery` plays: a takeover like 7pay's, then the recovery, one line per step, each with
// the outcome the rules demand. It shows the wallet back end honouring a forced reset (revoked sessions fail, the old
// password is refused, the link works once and expires, 2FA enrolment is required), the kill switches as they are
// set in the console right now, and that the attacker's address never receives a link. Tokens are never printed.
import type { Db } from "~/db.server";
import { advanceClock, now } from "~/lib/clock.server";
import { forceReset } from "~/recovery/force-reset.server";
import { recordIdentityCheck } from "~/recovery/identity-check.server";
import { describeReset } from "~/recovery/recovery-messages";
import { RESET_TOKEN_LIFETIME_MS } from "~/recovery/reset-token.server";
import { sendRecoveryCode, verifyRecoveryCode } from "~/recovery/recovery-code.server";
import { restoreContact } from "~/recovery/restore-contact.server";
import { totpCodeForStep, totpStepAt } from "~/auth/totp.server";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { signInCustomer } from "~/wallet/customer-auth.server";
import { requireCustomerSession } from "~/wallet/customer-auth-session.server";
import { completeSignInChallenge } from "~/wallet/customer-auth-two-factor.server";
import { changeContact } from "~/wallet/contact-change.server";
import { redeemPasswordReset, requestPasswordReset } from "~/wallet/password-reset.server";
import {
  agentContext,
  createStoryCustomer,
  moveEmail,
  readRecoveryCode,
  readResetLink,
  STORY,
} from "./simulate-recovery-setup";

export type Who = "owner" | "attacker" | "agent" | "bystander" | "anyone";

export interface StepLine {
  at: Date;
  who: Who;
  what: string;
  /** "OK" or the refusal code the rules demand. */
  expected: string;
  /** "OK" or the refusal code that came back. */
  actual: string;
  detail: string;
}

const CUSTOMER_ORIGIN = { ip: "203.0.113.50", userAgent: "wallet-app (simulated)", requestId: null };
const ATTACKER_ORIGIN = { ip: "192.0.2.66", userAgent: "wallet-app (simulated)", requestId: null };

async function outcome<T>(
  promise: Promise<T>,
  describe: (value: T) => string,
): Promise<{ actual: string; detail: string }> {
  try {
    return { actual: "OK", detail: describe(await promise) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code) throw error;
    return { actual: code, detail: (error as Error).message };
  }
}

export async function runRecoveryStory(prisma: Db, emit: (line: StepLine) => void): Promise<StepLine[]> {
  const lines: StepLine[] = [];
  const step = async <T>(who: Who, what: string, expected: string, run: Promise<T>, describe: (value: T) => string) => {
    const result = await outcome(run, describe);
    const line = { at: now(), who, what, expected, ...result };
    lines.push(line);
    emit(line);
    return result;
  };
  const note = (what: string) => {
    const line = { at: now(), who: "anyone" as const, what, expected: "OK", actual: "OK", detail: "" };
    lines.push(line);
    emit(line);
  };

  const switches = await prisma.killSwitch.findMany({
    where: { key: { in: ["signin.new_device", "reset.self_service"] } },
    select: { key: true, engaged: true },
  });
  const engaged = (key: string) => switches.some((s) => s.key === key && s.engaged);
  note(
    `kill switches now: signin.new_device ${engaged("signin.new_device") ? "ENGAGED" : "released"}, ` +
      `reset.self_service ${engaged("reset.self_service") ? "ENGAGED" : "released"}`,
  );

  const owner = await createStoryCustomer(prisma, "owner");
  const bystander = await createStoryCustomer(prisma, "bystander");
  const { ctx: agent, name: agentName } = await agentContext(prisma);
  const attackerDevice = { fingerprint: `sim-attacker-${owner.displayId}`, platform: "android", model: "Pixel 3" };
  const drop = `drop-${owner.displayId.toLowerCase()}@attacker.example`;
  note(`${owner.displayId} is the owner (${owner.email}); the agent is ${agentName}`);

  const signIn = (password: string, device: { fingerprint: string; platform: string; model?: string }, who = owner) =>
    signInCustomer({ identifier: who.displayId, password, device, ip: "203.0.113.50", country: "JP" });

  // ── The takeover ──
  let ownerSession = "";
  await step("owner", "signs in on their phone", "OK", signIn(STORY.ownerPassword, owner.device), (r) => {
    if (r.status === "SIGNED_IN") ownerSession = r.sessionToken;
    return r.status;
  });
  let attackerSession = "";
  const attackerExpected = engaged("signin.new_device") ? "SIGN_IN_NEW_DEVICE_SUSPENDED" : "OK";
  await step(
    "attacker",
    "signs in from a new device with the stolen password",
    attackerExpected,
    signIn(STORY.ownerPassword, attackerDevice),
    (r) => {
      if (r.status === "SIGNED_IN") attackerSession = r.sessionToken;
      return `${r.status} (credential stuffing works when the password is reused)`;
    },
  );
  const attackerDeviceRow = await prisma.device.findUnique({
    where: { customerId_fingerprint: { customerId: owner.id, fingerprint: attackerDevice.fingerprint } },
    select: { id: true },
  });
  // The attacker moves the email in the app, as in the replay's hijacked accounts. Live contact-change rules decide it
  // (their refusal is what they demand); if one stopped it, the change is written as if no rule were live, so that
  // the rest of the story (restoring the contact) can still be shown.
  const contactRules = await prisma.riskRule.count({ where: { status: "ACTIVE", eventKind: "CONTACT_CHANGE" } });
  const moved = await outcome(
    changeContact({
      customerId: owner.id,
      field: "EMAIL",
      newValue: drop,
      ip: ATTACKER_ORIGIN.ip,
      deviceFingerprint: attackerDevice.fingerprint,
    }),
    (r) => r.contactChangeId,
  );
  const stoppedByRule = contactRules > 0 && moved.actual.startsWith("CONTACT_CHANGE_");
  const moveLine: StepLine = {
    at: now(),
    who: "attacker",
    what: `moves the email to ${drop} in the app`,
    expected: stoppedByRule ? moved.actual : "OK",
    actual: moved.actual,
    detail: moved.actual === "OK" ? "" : moved.detail,
  };
  lines.push(moveLine);
  emit(moveLine);
  let changeId = moved.actual === "OK" ? moved.detail : "";
  if (!changeId) {
    changeId = await moveEmail(prisma, owner, drop, attackerDeviceRow?.id ?? null);
    note("a live contact-change rule stopped the hijack; the story writes it anyway to show the recovery");
  }
  await step(
    "attacker",
    "asks the app for a password reset",
    engaged("reset.self_service") ? "RESET_SUSPENDED" : "OK",
    requestPasswordReset({ identifier: owner.displayId, origin: ATTACKER_ORIGIN }),
    () => "accepted (the same answer for everyone)",
  ).then(async () => {
    const toDrop = await prisma.outboundMessage.count({ where: { recipient: drop } });
    note(`links sent to the attacker's address so far: ${toDrop} (a recently changed, unreviewed email gets none)`);
  });
  // Takeovers at scale ask for resets in bulk from one address; live reset-request rules (for example
  // ip_reset_accounts_24h >= 3) see the burst. Every request gets the same answer, whatever the rules decided.
  const burst = [bystander.displayId, "M-NO-SUCH-1", "M-NO-SUCH-2", "M-NO-SUCH-3"];
  for (const identifier of burst) {
    await step(
      "attacker",
      `asks for a reset for ${identifier} from the same address`,
      engaged("reset.self_service") ? "RESET_SUSPENDED" : "OK",
      requestPasswordReset({ identifier, origin: ATTACKER_ORIGIN }),
      () => "accepted (the same answer for everyone)",
    );
  }
  const stopped = await prisma.riskDecision.count({
    where: { eventKind: "RESET_REQUEST", customerId: { in: [owner.id, bystander.id] }, outcome: { not: "ALLOW" } },
  });
  note(`reset requests from the attacker's address a live rule stopped: ${stopped}`);

  // ── Containment ──
  await step(
    "agent",
    "forces a reset with 2FA enrolment",
    "OK",
    forceReset(agent, {
      customerId: owner.id,
      requireTwoFactor: true,
      reason: "simulated takeover (simulate:recovery)",
    }),
    describeReset,
  );
  await step(
    "owner",
    "app makes its next request",
    "SESSION_REVOKED",
    requireCustomerSession(ownerSession),
    () => "served",
  );
  if (attackerSession) {
    await step(
      "attacker",
      "app makes its next request",
      "SESSION_REVOKED",
      requireCustomerSession(attackerSession),
      () => "served",
    );
  }
  await step(
    "attacker",
    "signs in with the stolen password",
    "PASSWORD_RESET_REQUIRED",
    signIn(STORY.ownerPassword, attackerDevice),
    (r) => r.status,
  );

  // ── Restoring the contact ──
  const restore = () =>
    restoreContact(agent, {
      customerId: owner.id,
      contactChangeId: changeId,
      expectedCurrent: drop,
      reason: "caller proved their identity; the email was moved by the attacker",
    });
  await step(
    "agent",
    "restores the email without an identity check",
    "IDENTITY_CHECK_REQUIRED",
    restore(),
    () => "restored",
  );
  await step(
    "agent",
    "records the caller's identity check",
    "OK",
    recordIdentityCheck(agent, {
      customerId: owner.id,
      birthDate: STORY.birthDate,
      lastTopUpYen: STORY.lastTopUpYen,
      cardLast4: STORY.cardLast4,
    }),
    (check) =>
      `${check.passed ? "passed" : "failed"}: birth date ${check.facts.birthDate}, last top-up ${check.facts.lastTopUp}, card ${check.facts.cardLast4} (answers not kept)`,
  );
  await step(
    "agent",
    "restores on those facts alone (they are on the agent's screen)",
    "RECOVERY_CODE_REQUIRED",
    restore(),
    () => "restored",
  );
  await step(
    "agent",
    "sends a code to the last known-good email",
    "OK",
    sendRecoveryCode(agent, { customerId: owner.id, channel: "EMAIL" }),
    (sent) => `sent to ${sent.sentTo}, not to ${drop}`,
  );
  const code = await readRecoveryCode(prisma, owner.id);
  if (!code) {
    note("the console's outbox already delivered and blanked the code mail: open /dev/mail to see it; stopping here");
    return lines;
  }
  await step(
    "agent",
    "enters the code the caller reads back",
    "OK",
    verifyRecoveryCode(agent, { customerId: owner.id, code }),
    () => "the caller controls the known-good address",
  );
  await step("agent", "restores the last known-good email", "OK", restore(), (r) => `email is ${r.restored} again`);
  await step(
    "agent",
    "forces a reset again",
    "OK",
    forceReset(agent, {
      customerId: owner.id,
      requireTwoFactor: true,
      reason: "send the link to the restored address",
    }),
    describeReset,
  );
  note(`links sent to the attacker's address: ${await prisma.outboundMessage.count({ where: { recipient: drop } })}`);

  // ── The link ──
  const link = await readResetLink(prisma, owner.id);
  if (!link) {
    note("the console's outbox already delivered and blanked the mail: open /dev/mail to see it; stopping here");
    return lines;
  }
  const redeem = (token: string, account: string, password: string = STORY.newPassword) =>
    redeemPasswordReset({ token, account, newPassword: password, origin: CUSTOMER_ORIGIN });
  await step("anyone", "tries a forged link", "RESET_LINK_INVALID", redeem("F".repeat(43), owner.displayId), () => "");
  await step(
    "anyone",
    "pastes the owner's link into another account's page",
    "RESET_LINK_WRONG_ACCOUNT",
    redeem(link.token, bystander.displayId),
    () => "",
  );
  await step(
    "owner",
    "sets a new password with the link",
    "OK",
    redeem(link.token, link.account),
    (r) => `password changed for ${r.displayId}`,
  );
  await step(
    "owner",
    "opens the same link again",
    "RESET_LINK_USED",
    redeem(link.token, link.account, "yet another passphrase 77"),
    () => "",
  );
  await step(
    "attacker",
    "signs in with the old password",
    "INVALID_CREDENTIALS",
    signIn(STORY.ownerPassword, attackerDevice),
    (r) => r.status,
  );

  // ── 2FA enrolment ──
  let enrolment: { challengeToken: string; secret: Uint8Array } | null = null;
  await step("owner", "signs in with the new password", "OK", signIn(STORY.newPassword, owner.device), (r) => {
    if (r.status === "TWO_FACTOR_ENROLLMENT_REQUIRED") {
      const secret = decodeBase32IgnorePadding(new URL(r.totpKeyUri).searchParams.get("secret") ?? "");
      enrolment = { challengeToken: r.challengeToken, secret };
    }
    return `${r.status} (no session yet)`;
  });
  const pending = enrolment as { challengeToken: string; secret: Uint8Array } | null;
  if (pending) {
    await step(
      "owner",
      "finishes sign-in without enrolling (wrong code)",
      "INVALID_CODE",
      completeSignInChallenge({ challengeToken: pending.challengeToken, code: "000000" }),
      (r) => r.status,
    );
    const code = totpCodeForStep(pending.secret, totpStepAt(now()));
    await step(
      "owner",
      "enrols an authenticator and signs in",
      "OK",
      completeSignInChallenge({ challengeToken: pending.challengeToken, code }),
      (r) => r.status,
    );
  }

  // ── Expiry ──
  await forceReset(agent, { customerId: bystander.id, requireTwoFactor: false, reason: "expiry demonstration" });
  const late = await readResetLink(prisma, bystander.id);
  if (late) {
    advanceClock(RESET_TOKEN_LIFETIME_MS + 60_000);
    note("31 minutes pass (this process's clock only)");
    await step(
      "bystander",
      "opens their link too late",
      "RESET_LINK_EXPIRED",
      redeem(late.token, late.account),
      () => "",
    );
  }
  return lines;
}
