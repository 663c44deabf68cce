// Service tokens: how other payment services authenticate to the kill-switch API. An admin creates one per service
// in the console and sees it exactly once; only its SHA-256 is stored (a database leak leaks no usable token), with a
// short prefix to recognise it in configs. Tokens are revoked, never edited, and expire on a date the admin chooses
// at creation (a leaked token outlives no rotation policy; a year at most).
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { performAction } from "~/audit/perform-action.server";
import { prisma, type DbTx } from "~/db.server";
import { roleHasPermission, type Role } from "~/auth/permissions";
import { requireStaffActor, type KillSwitchContext } from "~/killswitch/context.server";
import { clipIdentifier, reasonForAudit, requireReason } from "~/killswitch/input.server";
import { isUuid } from "~/lib/uuid";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { DEFAULT_VALID_DAYS, MAX_VALID_DAYS } from "~/killswitch/service-token-validity";

export const SERVICE_TOKEN_PREFIX = "fbk_svc_";
const TOKEN_BYTES = 32; // 256 bits of randomness
const TOKEN_PATTERN = /^fbk_svc_[a-z2-7]{52}$/;
const DISPLAY_PREFIX_LENGTH = SERVICE_TOKEN_PREFIX.length + 6;
const ONE_MINUTE = 60 * 1000;
/** lastUsedAt is written at most this often, so polling does not turn every read into a write. */
export const LAST_USED_RESOLUTION_MS = ONE_MINUTE;
const SERVICE_NAME = /^[a-z0-9][a-z0-9-]{1,62}$/;
const ONE_DAY = 24 * 60 * ONE_MINUTE;

/** Days from the form ("" → the default), or a translated refusal: whole days, 1 to MAX_VALID_DAYS. */
function validDaysOf(input: string | null | undefined): number {
  const text = (input ?? "").trim();
  if (text === "") return DEFAULT_VALID_DAYS;
  const days = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(days >= 1 && days <= MAX_VALID_DAYS)) {
    throw new DomainError(
      "SERVICE_TOKEN_VALIDITY_INVALID",
      `Choose how long the token is valid: 1 to ${MAX_VALID_DAYS} whole days.`,
      400,
      { max: MAX_VALID_DAYS },
    );
  }
  return days;
}

export function generateServiceToken(): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes);
  return SERVICE_TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
}

export function hashServiceToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export interface CreatedServiceToken {
  id: string;
  serviceName: string;
  tokenPrefix: string;
  expiresAt: Date;
  /** The only time the token exists in clear: show it once, never store or log it. */
  token: string;
}

export async function createServiceToken(
  ctx: KillSwitchContext,
  input: { serviceName: string; description?: string | null; validDays?: string | null },
): Promise<CreatedServiceToken> {
  const serviceName = clipIdentifier(input.serviceName).trim();
  return performAction(
    ctx,
    {
      action: "service-token.create",
      permission: "service-tokens:manage",
      stepUp: true,
      targetType: "service",
      targetId: serviceName,
    },
    async (tx) => {
      const actor = requireStaffActor(ctx, "create a service token");
      if (!SERVICE_NAME.test(serviceName)) {
        throw new DomainError(
          "SERVICE_NAME_INVALID",
          "Name the service in lower case letters, digits and hyphens (2–63 characters), e.g. payments-gateway.",
          400,
        );
      }
      const description = (input.description ?? "").trim().slice(0, 200) || null;
      const validDays = validDaysOf(input.validDays);
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + validDays * ONE_DAY);
      const token = generateServiceToken();
      const tokenPrefix = token.slice(0, DISPLAY_PREFIX_LENGTH);
      const created = await tx.serviceToken.create({
        data: {
          serviceName,
          description,
          tokenHash: hashServiceToken(token),
          tokenPrefix,
          createdById: actor.id,
          createdAt,
          expiresAt,
        },
      });
      return {
        result: { id: created.id, serviceName, tokenPrefix, expiresAt, token },
        // The audit row names the token by id and prefix, never the token itself.
        after: {
          tokenId: created.id,
          serviceName,
          tokenPrefix,
          description,
          validDays,
          expiresAt: expiresAt.toISOString(),
        },
      };
    },
  );
}

export async function revokeServiceToken(
  ctx: KillSwitchContext,
  input: { tokenId: string; reason: string },
): Promise<void> {
  const tokenId = clipIdentifier(input.tokenId);
  await performAction(
    ctx,
    {
      // A revoked service can no longer read the switches and must fail closed: as disruptive as engaging one.
      action: "service-token.revoke",
      permission: "service-tokens:manage",
      stepUp: true,
      targetType: "service_token",
      targetId: tokenId,
      reason: reasonForAudit(input.reason),
    },
    async (tx) => {
      const actor = requireStaffActor(ctx, "revoke a service token");
      const reason = requireReason(input.reason, "a reason for revoking the token");
      const notFound = new DomainError("SERVICE_TOKEN_NOT_FOUND", "There is no such active service token.", 404);
      if (!isUuid(tokenId)) throw notFound;
      const revoked = await tx.serviceToken.updateMany({
        where: { id: tokenId, revokedAt: null },
        data: { revokedAt: now(), revokedById: actor.id, revokeReason: reason },
      });
      if (revoked.count !== 1) throw notFound;
      const token = await tx.serviceToken.findUniqueOrThrow({ where: { id: tokenId } });
      return {
        result: undefined,
        before: { serviceName: token.serviceName, tokenPrefix: token.tokenPrefix, revoked: false },
        after: { serviceName: token.serviceName, tokenPrefix: token.tokenPrefix, revoked: true },
      };
    },
  );
}

export interface AuthenticatedService {
  tokenId: string;
  serviceName: string;
}

/** The service behind `Authorization: Bearer <token>`, or null (missing, malformed, unknown, revoked or expired). */
export async function authenticateServiceToken(authorization: string | null): Promise<AuthenticatedService | null> {
  const match = /^Bearer ([^\s]+)$/.exec(authorization ?? "");
  const token = match?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  const found = await prisma.serviceToken.findUnique({
    where: { tokenHash: hashServiceToken(token) },
    select: { id: true, serviceName: true, revokedAt: true, lastUsedAt: true, expiresAt: true },
  });
  const at = now();
  if (!found || found.revokedAt || found.expiresAt.getTime() <= at.getTime()) return null;
  if (!found.lastUsedAt || at.getTime() - found.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await prisma.serviceToken.updateMany({ where: { id: found.id, revokedAt: null }, data: { lastUsedAt: at } });
  }
  return { tokenId: found.id, serviceName: found.serviceName };
}

export async function listServiceTokens() {
  return prisma.serviceToken.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: {
      id: true,
      serviceName: true,
      description: true,
      tokenPrefix: true,
      createdById: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      revokedById: true,
      revokeReason: true,
    },
  });
}

/**
 * Why a live token has nobody answerable for it: its creator was disabled, or no longer holds a role that manages
 * tokens (or has no staff row at all). Such a token keeps working — revoking it on the creator's departure would make
 * a payment service fail closed, a silent top-up stop — but the admin page flags it for another admin to replace and
 * revoke: the creator may have left with a copy, and a stolen creator session may have minted it.
 */
export type OrphanedBecause = "CREATOR_DISABLED" | "CREATOR_NO_LONGER_MANAGES_TOKENS";

export function orphanedBecauseOf(
  creator: { role: Role; disabledAt: Date | null } | undefined,
): OrphanedBecause | null {
  if (creator?.disabledAt) return "CREATOR_DISABLED";
  if (!creator || !roleHasPermission(creator.role, "service-tokens:manage")) return "CREATOR_NO_LONGER_MANAGES_TOKENS";
  return null;
}

/** The tokens with the names of the staff who created and revoked them, for the admin page. */
export async function listServiceTokensWithNames() {
  const tokens = await listServiceTokens();
  const people = await prisma.staffUser.findMany({
    where: { id: { in: [...new Set(tokens.flatMap((t) => [t.createdById, t.revokedById ?? t.createdById]))] } },
    select: { id: true, displayName: true, role: true, disabledAt: true },
  });
  const personOf = (id: string | null) => (id ? people.find((p) => p.id === id) : undefined);
  const nameOf = (id: string | null) => (id ? (personOf(id)?.displayName ?? "Unknown") : null);
  const at = now().getTime();
  return tokens.map((t) => {
    const live = !t.revokedAt && t.expiresAt.getTime() > at;
    return {
      ...t,
      createdBy: nameOf(t.createdById),
      revokedBy: nameOf(t.revokedById),
      orphanedBecause: live ? orphanedBecauseOf(personOf(t.createdById)) : null,
    };
  });
}

/**
 * The live tokens a member created, read in the transaction that disables or demotes them: the audit row and the
 * admin's confirmation name them, so the tokens are replaced and revoked rather than forgotten.
 */
export async function liveTokensCreatedBy(tx: DbTx, staffId: string) {
  const tokens = await tx.serviceToken.findMany({
    where: { createdById: staffId, revokedAt: null, expiresAt: { gt: now() } },
    orderBy: { createdAt: "asc" },
    select: { id: true, serviceName: true, tokenPrefix: true },
  });
  return tokens.map(({ id, serviceName, tokenPrefix }) => ({ tokenId: id, serviceName, tokenPrefix }));
}
