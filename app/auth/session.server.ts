// Staff sessions, as lucia-auth.com teaches them (without the deprecated `lucia` package): a random token of 160 bits
// goes in the cookie, only its SHA-256 is stored, so a database leak does not leak live sessions.
import { hash } from "node:crypto";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import type { DbTx } from "~/db.server";
import { database } from "~/db.server";
import { prepared } from "~/db/sql-runner.server";
import type { Role } from "~/auth/permissions";
import { DEFAULT_LANGUAGE, isLanguage, type Language } from "~/i18n/config";
import { now } from "~/lib/clock.server";
import {
  ENGAGED_SWITCHES_COLUMN,
  engagedSwitchesOf,
  type EngagedSwitch,
  type EngagedSwitchRow,
} from "~/killswitch/engaged-switches.server";

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

// Every console request hashes its cookie's token: Node's one-shot native SHA-256, the same hex digest as
// @oslojs/crypto's JavaScript one. One-shot: a Hash object (createHash) costs more to set up than the hash itself (ADR 101).
export function hashToken(token: string): string {
  return hash("sha256", token, "hex");
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

export interface ValidatedStaffSession {
  session: { id: string; stage: string; lastSeenAt: Date; expiresAt: Date; steppedUpAt: Date | null };
  staff: {
    id: string;
    email: string;
    displayName: string;
    role: Role;
    language: Language;
    totpEnrolledAt: Date | null;
    disabledAt: Date | null;
  };
  /** The kill switches engaged when the session was checked: the page's banner (app/killswitch/engaged-switches.server.ts). */
  engagedSwitches: EngagedSwitch[];
}

interface SessionRow {
  id: string;
  stage: string;
  last_seen_at: Date;
  expires_at: Date;
  stepped_up_at: Date | null;
  staff_id: string;
  email: string;
  display_name: string;
  role: Role;
  language: string;
  totp_enrolled_at: Date | null;
  disabled_at: Date | null;
  engaged_switches: EngagedSwitchRow[];
}

const SESSION_LOOKUP = `SELECT s.id, s.stage, s.last_seen_at, s.expires_at, s.stepped_up_at, u.id AS staff_id, u.email,
            u.display_name, u.role::text AS role, u.language, u.totp_enrolled_at, u.disabled_at,
            ${ENGAGED_SWITCHES_COLUMN} AS engaged_switches
       FROM staff_session s JOIN staff_user u ON u.id = s.staff_id
      WHERE s.id = $1`;

/** The session a token names, with its member, as stored: nothing checked, nothing written. */
export async function lookUpStaffSession(token: string): Promise<ValidatedStaffSession | null> {
  const { rows } = await database.sql.query<SessionRow>(SESSION_LOOKUP, [hashToken(token)], prepared(SESSION_LOOKUP));
  const row = rows[0];
  if (!row) return null;
  return {
    session: {
      id: row.id,
      stage: row.stage,
      lastSeenAt: new Date(row.last_seen_at),
      expiresAt: new Date(row.expires_at),
      steppedUpAt: row.stepped_up_at ? new Date(row.stepped_up_at) : null,
    },
    staff: {
      id: row.staff_id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      language: isLanguage(row.language) ? row.language : DEFAULT_LANGUAGE,
      totpEnrolledAt: row.totp_enrolled_at ? new Date(row.totp_enrolled_at) : null,
      disabledAt: row.disabled_at ? new Date(row.disabled_at) : null,
    },
    engagedSwitches: engagedSwitchesOf(row.engaged_switches),
  };
}

/** Idle too long, past its absolute lifetime, or its member disabled: the session no longer lets anyone in. */
export function isSessionOver({ session, staff }: ValidatedStaffSession, at: Date): boolean {
  const idleExpired = at.getTime() - session.lastSeenAt.getTime() >= IDLE_TIMEOUT_MS;
  return idleExpired || at.getTime() >= session.expiresAt.getTime() || staff.disabledAt !== null;
}

// Every console request runs this, so it is one indexed join on the driver directly, prepared: through Prisma the same
// lookup cost about 5 ms a request (scripts/bench/search.ts measures the whole request against its SQL).
// `activity: false` is for requests the browser makes on its own (an event stream reconnecting): they are checked
// like any other but do not count as the member being active, so an unattended page cannot hold off the idle timeout.
export async function validateStaffSessionToken(
  token: string,
  { activity = true }: { activity?: boolean } = {},
): Promise<ValidatedStaffSession | null> {
  const found = await lookUpStaffSession(token);
  if (!found) return null;
  const current = now();
  if (isSessionOver(found, current)) {
    await database.sql.query(`DELETE FROM staff_session WHERE id = $1`, [found.session.id]);
    return null;
  }
  if (activity && current.getTime() - found.session.lastSeenAt.getTime() >= ONE_MINUTE) {
    await database.sql.query(`UPDATE staff_session SET last_seen_at = $2 WHERE id = $1`, [found.session.id, current]);
  }
  return found;
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
