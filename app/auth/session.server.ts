// Staff sessions, as lucia-auth.com teaches them (without the deprecated `lucia` package): a random token of 160 bits
// goes in the cookie, only its SHA-256 is stored, so a database leak does not leak live sessions.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import type { DbTx } from "~/db.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";

export const FIFTEEN_MINUTES = 15 * 60 * 1000;
export const TWELVE_HOURS = 12 * 60 * 60 * 1000;
export const IDLE_TIMEOUT_MS = FIFTEEN_MINUTES;
export const ABSOLUTE_LIFETIME_MS = TWELVE_HOURS;
// A password-only session exists just long enough to type a code or enrol an authenticator.
export const PASSWORD_STAGE_LIFETIME_MS = FIFTEEN_MINUTES;
// lastSeenAt is written at most this often, so every request does not become a write.
const ONE_MINUTE = 60 * 1000;

export type SessionStage = "PASSWORD" | "FULL";

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createStaffSession(
  tx: DbTx,
  staffId: string,
  stage: SessionStage,
  origin: { ip: string | null; userAgent: string | null },
  options: { steppedUp?: boolean } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateSessionToken();
  const created = now();
  const lifetime = stage === "FULL" ? ABSOLUTE_LIFETIME_MS : PASSWORD_STAGE_LIFETIME_MS;
  const expiresAt = new Date(created.getTime() + lifetime);
  await tx.staffSession.create({
    data: {
      id: hashToken(token),
      staffId,
      stage,
      createdAt: created,
      lastSeenAt: created,
      expiresAt,
      steppedUpAt: options.steppedUp ? created : null,
      ip: origin.ip,
      userAgent: origin.userAgent,
    },
  });
  return { token, expiresAt };
}

export async function validateStaffSessionToken(token: string) {
  const id = hashToken(token);
  const session = await prisma.staffSession.findUnique({ where: { id }, include: { staff: true } });
  if (!session) return null;
  const current = now();
  const idleExpired = current.getTime() - session.lastSeenAt.getTime() >= IDLE_TIMEOUT_MS;
  const absoluteExpired = current.getTime() >= session.expiresAt.getTime();
  if (idleExpired || absoluteExpired || session.staff.disabledAt) {
    await prisma.staffSession.deleteMany({ where: { id } });
    return null;
  }
  if (current.getTime() - session.lastSeenAt.getTime() >= ONE_MINUTE) {
    await prisma.staffSession.updateMany({ where: { id }, data: { lastSeenAt: current } });
  }
  return { session, staff: session.staff };
}

export async function invalidateStaffSession(tx: DbTx, token: string): Promise<void> {
  await tx.staffSession.deleteMany({ where: { id: hashToken(token) } });
}

/**
 * Ends the session the request arrived with (if any) and starts a new one: called on password sign-in, after the
 * second factor and after accepting an invite, so a token planted in the browser before sign-in is never promoted
 * (no session fixation).
 */
export async function replaceStaffSession(
  tx: DbTx,
  previousToken: string | null,
  staffId: string,
  stage: SessionStage,
  origin: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  if (previousToken) await invalidateStaffSession(tx, previousToken);
  return createStaffSession(tx, staffId, stage, origin);
}

export async function invalidateAllStaffSessions(tx: DbTx, staffId: string): Promise<number> {
  const { count } = await tx.staffSession.deleteMany({ where: { staffId } });
  return count;
}
