// Customer sessions of the wallet app. A random 256-bit token goes to the app; only its SHA-256 is stored (the
// CustomerSession id). Every request of the app validates its token here, so a session revoked by a forced reset
// fails on its very next request: nothing is cached. The check and the sign-out run on the customers' own pool
// (customerAuthDb, ADR 109 and 112), as their sign-in does: a busy console does not hold up a signed-in customer's app.
import { createHash, randomBytes } from "node:crypto";
import type { DbTx } from "~/db.server";
import { customerAuthDb } from "~/db.server";
import { refusedWhenBusy } from "~/wallet/customer-pool-busy.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";

export const THIRTY_DAYS = 30 * 24 * 60 * 60 * 1000;
/** A phone app stays signed in for at most this long; a forced reset ends it sooner. */
export const CUSTOMER_SESSION_LIFETIME_MS = THIRTY_DAYS;

const { prisma: db } = customerAuthDb;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function generateCustomerToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashCustomerToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function looksLikeCustomerToken(value: unknown): value is string {
  return typeof value === "string" && TOKEN_SHAPE.test(value);
}

export async function createCustomerSession(
  tx: DbTx,
  customerId: string,
  deviceId: string,
  at: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateCustomerToken();
  const expiresAt = new Date(at.getTime() + CUSTOMER_SESSION_LIFETIME_MS);
  await tx.customerSession.create({
    data: { id: hashCustomerToken(token), customerId, deviceId, createdAt: at, expiresAt },
  });
  return { token, expiresAt };
}

export type SessionRefusal =
  "UNKNOWN" | "REVOKED" | "EXPIRED" | "DEVICE_REVOKED" | "ACCOUNT_CLOSED" | "PASSWORD_RESET_REQUIRED";

export type SessionValidation =
  | { ok: true; customerId: string; sessionId: string; deviceId: string | null; expiresAt: Date }
  | { ok: false; reason: SessionRefusal };

/** Checks a session token as the wallet's API does on every request. */
export function validateCustomerSession(token: string): Promise<SessionValidation> {
  return refusedWhenBusy(() => validateOnTheCustomersPool(token));
}

async function validateOnTheCustomersPool(token: string): Promise<SessionValidation> {
  if (!looksLikeCustomerToken(token)) return { ok: false, reason: "UNKNOWN" };
  const session = await db.customerSession.findUnique({
    where: { id: hashCustomerToken(token) },
    include: {
      device: { select: { revokedAt: true } },
      customer: { select: { status: true, mustChangePassword: true } },
    },
  });
  if (!session) return { ok: false, reason: "UNKNOWN" };
  if (session.revokedAt) return { ok: false, reason: "REVOKED" };
  if (session.expiresAt <= now()) return { ok: false, reason: "EXPIRED" };
  if (session.device?.revokedAt) return { ok: false, reason: "DEVICE_REVOKED" };
  if (session.customer.status === "CLOSED") return { ok: false, reason: "ACCOUNT_CLOSED" };
  // Belt and braces: a forced reset revokes sessions in the same transaction that sets the flag.
  if (session.customer.mustChangePassword) return { ok: false, reason: "PASSWORD_RESET_REQUIRED" };
  return {
    ok: true,
    customerId: session.customerId,
    sessionId: session.id,
    deviceId: session.deviceId,
    expiresAt: session.expiresAt,
  };
}

const SESSION_MESSAGES: Record<SessionRefusal, string> = {
  UNKNOWN: "You are signed out. Please sign in again.",
  REVOKED: "You were signed out for your security. Please sign in again.",
  EXPIRED: "Your session has expired. Please sign in again.",
  DEVICE_REVOKED: "This device was signed out for your security. Please sign in again.",
  ACCOUNT_CLOSED: "This account is closed.",
  PASSWORD_RESET_REQUIRED: "You must set a new password with the link we emailed you before signing in again.",
};

/** For the wallet's request handlers: the signed-in customer, or a SESSION_* refusal (403) that says why. */
export async function requireCustomerSession(token: string) {
  const validation = await validateCustomerSession(token);
  if (!validation.ok) throw new DomainError(`SESSION_${validation.reason}`, SESSION_MESSAGES[validation.reason], 403);
  return validation;
}

export function signOutCustomer(token: string): Promise<void> {
  return refusedWhenBusy(() => signOutOnTheCustomersPool(token));
}

async function signOutOnTheCustomersPool(token: string): Promise<void> {
  if (!looksLikeCustomerToken(token)) return;
  await db.customerSession.updateMany({
    where: { id: hashCustomerToken(token), revokedAt: null },
    data: { revokedAt: now() },
  });
}
