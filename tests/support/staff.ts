// Staff fixtures for tests: create a staff member straight in the database (known password, known TOTP secret,
// recovery codes in clear), act as their authenticator app, and sign them in over HTTP (password + TOTP), returning
// a client that carries the session cookie and our own Origin header — or, for a service called directly, write the
// signed-in session to the database and build the guard's context for it.
import { randomUUID } from "node:crypto";
import { encodeBase32NoPadding } from "@oslojs/encoding";
import { hashPassword } from "~/auth/password.server";
import type { Role } from "~/auth/permissions";
import { hashRecoveryCode, generateRecoveryCode, RECOVERY_CODE_COUNT } from "~/auth/recovery-codes.server";
import { confirmActionWithCode, type ActionBinding, type ActionConfirmation } from "~/auth/action-confirmation.server";
import type { StaffContext } from "~/auth/guard.server";
import type { ActionContext } from "~/audit/perform-action.server";
import { requestStaffGrant, type FiledGrant } from "~/auth/staff-grants.server";
import { encryptSecret, staffSecretBinding } from "~/auth/totp-key.server";
import { generateTotpSecret, totpCodeForStep, totpStepAt, TOTP_WINDOW_STEPS } from "~/auth/totp.server";
import { prisma } from "~/db.server";
import type { Language } from "~/i18n/config";
import { now } from "~/lib/clock.server";
import { createClient, HttpClient, redirectPath, type TestHttpApp } from "./http-app";

export interface TestStaff {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  password: string;
  /** null when created with enrolled: false (the first sign-in must enrol). */
  totpSecret: Uint8Array | null;
  recoveryCodes: string[];
  /** The last TOTP step this fixture's "authenticator app" produced a code for; codes are never reused. */
  lastStep: bigint | null;
}

export interface CreateStaffOptions {
  role?: Role;
  /** true by default: TOTP enrolled with a known secret and ten recovery codes. */
  enrolled?: boolean;
  /** false: an invited member who has not set a password yet. */
  withPassword?: boolean;
  email?: string;
  password?: string;
  displayName?: string;
  /** "en" by default, so assertions on English copy hold; Japanese-copy tests pass "ja" (the product default). */
  language?: Language;
}

export async function createStaff(options: CreateStaffOptions = {}): Promise<TestStaff> {
  const role = options.role ?? "AGENT";
  const email = options.email ?? `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@staff.test`;
  const password = options.password ?? `pw-${randomUUID()}`;
  const displayName = options.displayName ?? `Test ${role.toLowerCase()}`;
  const enrolled = options.enrolled ?? true;
  const secret = enrolled ? generateTotpSecret() : null;
  const passwordHash = options.withPassword === false ? null : await hashPassword(password);
  const created = await prisma.staffUser.create({
    data: {
      email,
      displayName,
      role,
      passwordHash,
      language: options.language ?? "en",
      createdAt: now(),
      totpEnrolledAt: enrolled ? now() : null,
    },
  });
  const recoveryCodes = enrolled ? Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode) : [];
  if (secret) {
    await prisma.staffUser.update({
      where: { id: created.id },
      data: { totpSecretEncrypted: encryptSecret(secret, staffSecretBinding(created.id)) },
    });
    await prisma.staffRecoveryCode.createMany({
      data: recoveryCodes.map((code) => ({ staffId: created.id, codeHash: hashRecoveryCode(created.id, code) })),
    });
  }
  return { id: created.id, email, displayName, role, password, totpSecret: secret, recoveryCodes, lastStep: null };
}

export interface SignedInStaff {
  member: TestStaff;
  /** What the guard hands a service for this member's session. */
  ctx: StaffContext;
}

/**
 * An enrolled member with a full session written straight to the database, stepped up unless `steppedUp: false`, and
 * the context a route's guard would build for it: what a service that takes a code bound to the action needs, without
 * signing in over HTTP.
 */
export async function createSignedInStaff(
  options: CreateStaffOptions & { steppedUp?: boolean; userAgent?: string } = {},
): Promise<SignedInStaff> {
  const member = await createStaff(options);
  return { member, ctx: await signedInContextOf(member, options) };
}

/**
 * The guard's context for `member` on a full session written to the database now (stepped up unless `steppedUp:
 * false`): the spine refuses a change whose session no longer exists, so a service's context needs a real one.
 */
export async function signedInContextOf(
  member: Pick<TestStaff, "id" | "email" | "displayName" | "role">,
  options: { steppedUp?: boolean; userAgent?: string } = {},
): Promise<StaffContext> {
  // On the console's clock, which a test may have moved on: a step-up taken "now" is fresh for the service.
  const at = now();
  const session = await prisma.staffSession.create({
    data: {
      id: `session-${randomUUID()}`,
      staffId: member.id,
      stage: "FULL",
      lastSeenAt: at,
      steppedUpAt: options.steppedUp === false ? null : at,
      expiresAt: new Date(at.getTime() + 3_600_000),
    },
  });
  return staffContextOf(member, session, options.userAgent);
}

/** The context the guard builds for `member` on `session`, for a service called without its route. */
export function staffContextOf(
  member: Pick<TestStaff, "id" | "email" | "displayName" | "role">,
  session: { id: string; steppedUpAt: Date | null },
  userAgent = "vitest",
): StaffContext {
  return {
    actor: { kind: "staff", id: member.id, role: member.role },
    origin: { ip: "127.0.0.1", userAgent, requestId: `req-${randomUUID()}` },
    staff: { id: member.id, email: member.email, displayName: member.displayName, role: member.role },
    session: { id: session.id, steppedUpAt: session.steppedUpAt },
  };
}

/** The context for `member` on a session of its own written to the database, stepped up now unless `steppedUp` is false. */
export function freshContextOf(
  member: Pick<TestStaff, "id" | "email" | "displayName" | "role">,
  steppedUp = true,
): Promise<StaffContext> {
  return signedInContextOf(member, { steppedUp });
}

/**
 * The guard's context as reversalContextOf flattens it (actor, origin, step-up time), for a service called without its
 * route. No staff_user row stands behind it: enough for a service that checks the role only; pass `id` where it looks
 * the member up. Not stepped up unless `steppedUp: true`.
 */
export function staffContext(
  role: Role,
  options: { id?: string; steppedUp?: boolean } = {},
): ActionContext & { actor: StaffContext["actor"]; steppedUpAt: Date | null } {
  const id = options.id ?? randomUUID();
  const member = { id, role, email: `${role.toLowerCase()}-${id.slice(0, 8)}@staff.test`, displayName: `Test ${role}` };
  const session = { id: `session-${randomUUID()}`, steppedUpAt: options.steppedUp ? new Date() : null };
  const { actor, origin } = staffContextOf(member, session);
  return { actor, origin, steppedUpAt: session.steppedUpAt };
}

/**
 * Writes the staff row a synthetic context (staffContext, or a test's own) stands for, enabled, with its role: an
 * approval asks whether the member who filed a request is still on file with the power to file it.
 */
export async function onFile<C extends { actor: { kind: string; id?: string; role?: Role } }>(ctx: C): Promise<C> {
  const { id, role } = ctx.actor;
  if (ctx.actor.kind !== "staff" || !id || !role) throw new Error("onFile takes a staff member's context");
  await prisma.staffUser.create({
    data: { id, email: `${role.toLowerCase()}-${id}@staff.test`, displayName: `Test ${role}`, role, createdAt: now() },
  });
  return ctx;
}

/** Types the member's next authenticator code on a confirmation form for `binding` (ADR 017). */
export function confirmWithNextCode(signedIn: SignedInStaff, binding: ActionBinding): Promise<ActionConfirmation> {
  return confirmActionWithCode(signedIn.ctx, nextTotpCode(signedIn.member), binding);
}

/** The base32 key as an authenticator app would be given it. */
export function manualKeyOf(staff: TestStaff): string {
  if (!staff.totpSecret) throw new Error(`${staff.email} has no TOTP secret`);
  return encodeBase32NoPadding(staff.totpSecret);
}

/**
 * A code the server accepts now and has not seen: the current step, or the next one (within the ±1 window) when the
 * current step was already used. Uses the server's (test) clock.
 */
export function nextTotpCode(staff: TestStaff): string {
  if (!staff.totpSecret) throw new Error(`${staff.email} has no TOTP secret`);
  const current = totpStepAt(now());
  const step = staff.lastStep === null || staff.lastStep < current ? current : staff.lastStep + 1n;
  if (step > current + BigInt(TOTP_WINDOW_STEPS)) {
    throw new Error("No unused TOTP step left in the window: advance the clock by 30 s (advanceClock) first.");
  }
  staff.lastStep = step;
  return totpCodeForStep(staff.totpSecret, step);
}

/** A code the server has already accepted (for replay tests). */
export function lastUsedTotpCode(staff: TestStaff): string {
  if (!staff.totpSecret || staff.lastStep === null) throw new Error("no code has been used yet");
  return totpCodeForStep(staff.totpSecret, staff.lastStep);
}

export interface StaffClient extends HttpClient {
  staff: TestStaff;
}

function fail(step: string, response: Response): never {
  throw new Error(`${step}: expected a redirect, got ${response.status} → ${response.headers.get("location") ?? ""}`);
}

/** The password step only: returns a client holding a password-only session. */
export async function signInWithPasswordOnly(
  app: TestHttpApp,
  staff: TestStaff,
  options: { ip?: string } = {},
): Promise<StaffClient> {
  const client = Object.assign(new HttpClient(app, options), { staff });
  const response = await client.post("/sign-in", { email: staff.email, password: staff.password });
  if (response.status !== 302) fail("password step", response);
  return client;
}

/** Password + TOTP over HTTP, as a browser would. Returns a client with a full session. */
export async function signIn(app: TestHttpApp, staff: TestStaff, options: { ip?: string } = {}): Promise<StaffClient> {
  const client = await signInWithPasswordOnly(app, staff, options);
  const response = await client.post("/sign-in/totp", { code: nextTotpCode(staff) });
  if (response.status !== 302 || redirectPath(response)?.startsWith("/sign-in")) fail("TOTP step", response);
  return client;
}

/** Re-enters a TOTP code on the step-up page, so sensitive actions are allowed for the next 5 minutes. */
export async function stepUp(client: StaffClient, redirectTo = "/"): Promise<void> {
  const response = await client.post("/step-up", { code: nextTotpCode(client.staff), redirectTo });
  if (response.status !== 302) fail("step-up", response);
}

/** A new admin signed in over HTTP and stepped up on the staff page, ready to invite or decide a request. */
export async function signInSteppedUpAdmin(app: TestHttpApp): Promise<StaffClient> {
  const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
  await stepUp(admin, "/admin/staff");
  return admin;
}

/** A privileged invitation of `invitee.email` filed by `requester`, waiting for a second admin (ADR 066). */
export async function fileInvitation(
  requester: TestStaff,
  invitee: { email: string; role: Role; displayName?: string; language?: Language },
): Promise<FiledGrant> {
  return requestStaffGrant(await freshContextOf(requester), {
    kind: "INVITE",
    displayName: "Invitee",
    language: "en",
    ...invitee,
  });
}

/** One of the staff page's buttons on a waiting request, with the reason typed beside it. */
export function decideGrant(
  admin: StaffClient,
  decision: "approve" | "decline",
  requestId: string,
  reason: string,
): Promise<Response> {
  return admin.post("/admin/staff?index", { intent: `${decision}-grant`, requestId, reason });
}

export interface AfterLink {
  /** Whoever still holds the member's old password tries it: 400 and no redirect once it was voided. */
  oldPassword: { status: number; redirect: string | null };
  /** Where setting a new password through the mailed link leads (enrolment when the authenticator went too). */
  next: string | null;
  /** The link holder's browser, to go on signing in with. */
  browser: HttpClient;
}

/**
 * The sign-in after an admin voided a member's credentials and mailed them a one-time link (a reset authenticator, a
 * re-enabled member): first the old password, then the link's holder sets `newPassword` at `/invite/<token>`.
 */
export async function signInAfterLink(
  app: TestHttpApp,
  member: Pick<TestStaff, "email" | "password">,
  token: string,
  newPassword: string,
): Promise<AfterLink> {
  const withOld = await createClient(app).post("/sign-in", { email: member.email, password: member.password });
  const browser = createClient(app);
  const accepted = await browser.post(`/invite/${token}`, { password: newPassword, confirmPassword: newPassword });
  return {
    oldPassword: { status: withOld.status, redirect: redirectPath(withOld) },
    next: redirectPath(accepted),
    browser,
  };
}
