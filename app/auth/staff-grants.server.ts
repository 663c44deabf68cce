// Four eyes on privileged staff access (docs/decisions/066-four-eyes-on-privileged-staff-access.md). Granting a
// privileged role — inviting someone with one, or raising a member to one — is a request that a second, different,
// active admin approves after a fresh step-up, as a second lead approves a switch release or a large reversal. Until
// then nothing exists that could be used: no staff row, no link, no mail, no new role. The approval itself creates the
// member and mails their link (to their own address only), or changes the role, in the same transaction. Declining
// needs a reason; a request nobody decides lapses after 72 hours (system:auth marks it expired). Re-enabling a disabled
// member whose role is privileged gives that power back, so it is a request too; the approval re-enables them with
// fresh credentials only (a link to their own address). Lowering a role, disabling and ending sessions reduce power and
// stay with one admin (staff-admin.server.ts).
//
// With a single active admin a request waits: another admin comes only from the operator on the server
// (`npm run staff:create-admin`), which is the bootstrap path.
import { randomUUID } from "node:crypto";
import { NO_ORIGIN } from "~/audit/actor";
import { performAction, type ChangeOutcome } from "~/audit/perform-action.server";
import { AUTH_SYSTEM_ACTOR } from "~/auth/auth-audit.server";
import type { StaffContext } from "~/auth/guard.server";
import { grantsPrivilege, isPrivilegedRole, type Role } from "~/auth/permissions";
import { invalidateAllStaffSessions } from "~/auth/session.server";
import { auditOfLink, type SentStaffLink } from "~/auth/staff-link.server";
import {
  createMemberWithLink,
  loadTarget,
  reenableWithFreshLink,
  refuseLastAdmin,
  refuseSelf,
  refuseTakenEmail,
  type NewMember,
} from "~/auth/staff-writes.server";
import { prisma, type DbTx } from "~/db.server";
import type { StaffGrantRequest } from "~/generated/prisma/client";
import { isLanguage } from "~/i18n/config";
import { now } from "~/lib/clock.server";
import { DomainError, isDomainError, PermissionDeniedError } from "~/lib/domain-error";
import { isUuid } from "~/lib/uuid";

const PERMISSION = "staff:manage" as const;
const TARGET = "staff_grant_request";
/** Long enough to span a weekend's handover between two admins, short enough that a forgotten request dies. */
export const GRANT_LIFETIME_MS = 72 * 60 * 60 * 1000;
const MAX_REASON = 500;

/** A refusal of the four-eyes rule itself: audited as DENIED (like a switch release's self-approval). */
class GrantRefusal extends PermissionDeniedError {
  constructor(code: string, message: string) {
    super(message, code, 403);
    this.name = "GrantRefusal";
  }
}

export type GrantInput =
  | ({ kind: "INVITE" } & NewMember)
  | { kind: "ROLE_RAISE"; staffId: string; role: Role; reason: string }
  | { kind: "REENABLE"; staffId: string; reason: string };

export interface FiledGrant {
  id: string;
  role: Role;
  expiresAt: Date;
  /** 0: nobody can approve it until the operator creates another admin on the server. */
  otherActiveAdmins: number;
}

export type ApprovedGrant =
  | { kind: "INVITE"; staffId: string; link: SentStaffLink }
  | { kind: "ROLE_RAISE"; staffId: string; role: Role }
  | { kind: "REENABLE"; staffId: string; link: SentStaffLink };

function snapshot(request: StaffGrantRequest) {
  return {
    kind: request.kind,
    status: request.status,
    role: request.role,
    ...(request.kind === "INVITE"
      ? { email: request.email, displayName: request.displayName, language: request.language }
      : { staffId: request.staffId, fromRole: request.fromRole }),
    requestedById: request.requestedById,
    expiresAt: request.expiresAt,
  };
}

function requiredReason(raw: string | null | undefined, what: string): string {
  const reason = (raw ?? "").trim();
  if (reason.length < 3 || reason.length > MAX_REASON) {
    throw new DomainError(
      "GRANT_REASON_REQUIRED",
      `Say why you ${what}, in 3 to ${MAX_REASON} characters (it goes in the audit trail).`,
      422,
    );
  }
  return reason;
}

async function otherActiveAdmins(tx: DbTx, staffId: string): Promise<number> {
  return tx.staffUser.count({ where: { role: "ADMIN", disabledAt: null, id: { not: staffId } } });
}

/** Files the request. Callers send here only grants of a privileged role (inviteStaff, changeStaffRole). */
export async function requestStaffGrant(ctx: StaffContext, input: GrantInput): Promise<FiledGrant> {
  // A lapsed request for the same address or member must not block a new one: expire it first, on its own record.
  await expireStaffGrants();
  return performAction(
    ctx,
    {
      action: "staff.grant.request",
      permission: PERMISSION,
      stepUp: true,
      targetType: TARGET,
      reason: input.kind === "INVITE" ? undefined : input.reason,
    },
    async (tx) => {
      const at = now();
      const id = randomUUID();
      const common = { id, requestedById: ctx.staff.id, requestedAt: at, status: "PENDING" as const };
      const expiresAt = new Date(at.getTime() + GRANT_LIFETIME_MS);
      let row;
      if (input.kind === "INVITE") {
        if (!isPrivilegedRole(input.role)) throw new Error("an unprivileged invitation needs no second admin");
        await refuseTakenEmail(tx, input.email);
        row = {
          ...common,
          role: input.role,
          kind: "INVITE" as const,
          email: input.email,
          displayName: input.displayName,
          language: input.language,
          pendingKey: `invite:${input.email}`,
        };
      } else if (input.kind === "REENABLE") {
        const target = await loadTarget(tx, input.staffId);
        if (!target.disabledAt) throw new DomainError("STAFF_NOT_DISABLED", "This account is not disabled.", 409);
        // The caller saw a privileged role; an agent is re-enabled by one admin, so this is not the request they meant.
        if (!isPrivilegedRole(target.role)) {
          throw new DomainError("STAFF_CHANGED", "This member was changed meanwhile; reload.", 409);
        }
        row = {
          ...common,
          kind: "REENABLE" as const,
          role: target.role,
          staffId: target.id,
          fromRole: target.role,
          reason: input.reason,
          pendingKey: `enable:${target.id}`,
        };
      } else {
        refuseSelf(ctx, input.staffId, "change the role of");
        const target = await loadTarget(tx, input.staffId);
        if (target.role === input.role) {
          throw new DomainError("ROLE_UNCHANGED", `This member already has the ${input.role} role.`);
        }
        // The caller saw a raise; if the member changed since, this is no longer the request they meant.
        if (!grantsPrivilege(target.role, input.role)) {
          throw new DomainError("STAFF_CHANGED", "This member was changed meanwhile; reload.", 409);
        }
        if (input.role !== "ADMIN") await refuseLastAdmin(tx, target);
        row = {
          ...common,
          role: input.role,
          kind: "ROLE_RAISE" as const,
          staffId: target.id,
          fromRole: target.role,
          reason: input.reason,
          pendingKey: `role:${target.id}`,
        };
      }
      // The unique pending key settles two admins filing the same request at once: the second one is refused.
      const { count } = await tx.staffGrantRequest.createMany({ data: [{ ...row, expiresAt }], skipDuplicates: true });
      if (count === 0) {
        throw new DomainError(
          "GRANT_ALREADY_PENDING",
          "A request for this already waits for a second admin: approve or decline it first.",
          409,
        );
      }
      const request = await tx.staffGrantRequest.findUniqueOrThrow({ where: { id } });
      return {
        result: { id, role: row.role, expiresAt, otherActiveAdmins: await otherActiveAdmins(tx, ctx.staff.id) },
        targetId: id,
        after: snapshot(request),
      };
    },
  );
}

/** Locks the request row, so two admins deciding at once are served one after the other. */
async function lockPending(tx: DbTx, requestId: string, at: Date): Promise<StaffGrantRequest> {
  const notFound = new DomainError("GRANT_NOT_FOUND", "There is no such request.", 404);
  if (!isUuid(requestId)) throw notFound;
  await tx.$queryRaw`SELECT id FROM staff_grant_request WHERE id = ${requestId}::uuid FOR UPDATE`;
  const request = await tx.staffGrantRequest.findUnique({ where: { id: requestId } });
  if (!request) throw notFound;
  if (request.status !== "PENDING") {
    throw new DomainError("GRANT_NOT_PENDING", "This request was already decided, or it expired.", 409);
  }
  if (request.expiresAt <= at) {
    throw new DomainError("GRANT_EXPIRED", "This request expired: file it again if the grant is still right.", 409);
  }
  return request;
}

async function closeRequest(
  tx: DbTx,
  request: StaffGrantRequest,
  data: { status: "APPROVED" | "DECLINED"; decidedById: string; decidedAt: Date; decisionReason: string },
  staffId?: string,
): Promise<void> {
  const { count } = await tx.staffGrantRequest.updateMany({
    where: { id: request.id, status: "PENDING" },
    data: { ...data, pendingKey: null, ...(staffId ? { staffId } : {}) },
  });
  if (count !== 1) throw new Error("grant request changed under its row lock");
}

/** Still an active admin now, not only when the session was checked: a demotion or disabling wins over the click. */
async function activeAdmin(tx: DbTx, staffId: string): Promise<boolean> {
  const row = await tx.staffUser.findUnique({ where: { id: staffId }, select: { role: true, disabledAt: true } });
  return row?.role === "ADMIN" && row.disabledAt === null;
}

/** The member changed since the request was filed: what the requester asked for no longer fits them. */
function staleGrant(): DomainError {
  return new DomainError(
    "GRANT_STALE",
    "This member's role or status changed since the request: decline it and file a new one.",
    409,
  );
}

/**
 * What approving and declining share: the request's id as typed is the audit target and the typed reason the audit
 * reason (so a refusal is recorded against what was asked), then, in the transaction, a reason is required and the
 * request is locked while still pending.
 */
function decideRequest<T>(
  ctx: StaffContext,
  input: { requestId: string; reason: string },
  decision: { action: string; stepUp: boolean; what: string },
  decide: (tx: DbTx, request: StaffGrantRequest, reason: string, at: Date) => Promise<ChangeOutcome<T>>,
): Promise<T> {
  const requestId = String(input.requestId ?? "").slice(0, 64);
  return performAction(
    ctx,
    {
      action: decision.action,
      permission: PERMISSION,
      stepUp: decision.stepUp,
      targetType: TARGET,
      targetId: requestId,
      reason: input.reason?.trim().slice(0, MAX_REASON) || undefined,
    },
    async (tx) => {
      const at = now();
      const reason = requiredReason(input.reason, decision.what);
      return decide(tx, await lockPending(tx, requestId, at), reason, at);
    },
  );
}

export async function approveStaffGrant(
  ctx: StaffContext,
  input: { requestId: string; reason: string },
): Promise<ApprovedGrant> {
  return decideRequest(
    ctx,
    input,
    { action: "staff.grant.approve", stepUp: true, what: "approve it" },
    async (tx, request, reason, at) => {
      const approverId = ctx.staff.id;
      if (request.requestedById === approverId) {
        throw new GrantRefusal("GRANT_SELF_APPROVAL", "You asked for this grant: another admin must approve it.");
      }
      if (!(await activeAdmin(tx, approverId))) {
        throw new GrantRefusal("GRANT_APPROVER_NOT_ADMIN", "Only an active admin can approve a grant.");
      }
      // A request filed from an admin account that was disabled or demoted since (perhaps because it was taken over)
      // is not approved on that account's word.
      if (!(await activeAdmin(tx, request.requestedById))) {
        throw new DomainError(
          "GRANT_REQUESTER_INACTIVE",
          "The admin who asked for this is no longer an active admin: decline it.",
          409,
        );
      }
      const links = { grantRequestId: request.id, requestedById: request.requestedById, approvedById: approverId };
      let approved: ApprovedGrant;
      let event;
      if (request.kind === "INVITE") {
        const language = isLanguage(request.language) ? request.language : "ja";
        const member = { email: request.email!, displayName: request.displayName!, role: request.role, language };
        const { staffId, link } = await createMemberWithLink(tx, member, approverId);
        approved = { kind: "INVITE", staffId, link };
        event = { action: "staff.invite", targetId: staffId, after: { ...member, ...auditOfLink(link), ...links } };
      } else if (request.kind === "REENABLE") {
        const target = await loadTarget(tx, request.staffId!);
        if (target.role !== request.fromRole || !target.disabledAt) throw staleGrant();
        // The same re-enable as an agent's: old credentials voided, a set-up link mailed to the member only.
        const { link, before, after } = await reenableWithFreshLink(tx, target, approverId);
        approved = { kind: "REENABLE", staffId: target.id, link };
        event = {
          action: "staff.enable",
          targetId: target.id,
          reason: request.reason,
          before,
          after: { ...after, ...links },
        };
      } else {
        const target = await loadTarget(tx, request.staffId!);
        if (target.role !== request.fromRole || target.disabledAt) throw staleGrant();
        if (request.role !== "ADMIN") await refuseLastAdmin(tx, target);
        const { count } = await tx.staffUser.updateMany({
          where: { id: target.id, role: target.role, disabledAt: null },
          data: { role: request.role },
        });
        if (count === 0) throw new DomainError("STAFF_CHANGED", "This member was changed meanwhile; reload.", 409);
        // The member's open sessions were signed into as the lower role, and one of them may be a thief's: the new
        // powers start only at a sign-in with password and authenticator code (a new session after a privilege change).
        const sessionsEnded = await invalidateAllStaffSessions(tx, target.id);
        approved = { kind: "ROLE_RAISE", staffId: target.id, role: request.role };
        event = {
          action: "staff.role.change",
          targetId: target.id,
          reason: request.reason,
          before: { role: target.role },
          after: { role: request.role, sessionsEnded, ...links },
        };
      }
      await closeRequest(
        tx,
        request,
        { status: "APPROVED", decidedById: approverId, decidedAt: at, decisionReason: reason },
        approved.staffId,
      );
      return {
        result: approved,
        before: snapshot(request),
        after: { ...snapshot(request), status: "APPROVED", staffId: approved.staffId },
        extraEvents: [{ ...event, outcome: "SUCCESS", targetType: "staff" }],
      };
    },
  );
}

/** Any admin may decline, the requester included (withdrawing their own request); a reason is required. */
export async function declineStaffGrant(
  ctx: StaffContext,
  input: { requestId: string; reason: string },
): Promise<void> {
  await decideRequest(
    ctx,
    input,
    { action: "staff.grant.decline", stepUp: false, what: "decline it" },
    async (tx, request, reason, at) => {
      await closeRequest(tx, request, {
        status: "DECLINED",
        decidedById: ctx.staff.id,
        decidedAt: at,
        decisionReason: reason,
      });
      return { result: undefined, before: snapshot(request), after: { ...snapshot(request), status: "DECLINED" } };
    },
  );
}

/** Marks every request past its lifetime EXPIRED, each through the spine as system:auth. Safe to run concurrently. */
export async function expireStaffGrants(at: Date = now()): Promise<number> {
  const lapsed = await prisma.staffGrantRequest.findMany({
    where: { status: "PENDING", expiresAt: { lte: at } },
    select: { id: true },
  });
  let expired = 0;
  for (const { id } of lapsed) {
    try {
      await performAction(
        { actor: AUTH_SYSTEM_ACTOR, origin: NO_ORIGIN },
        { action: "staff.grant.expire", permission: PERMISSION, targetType: TARGET, targetId: id },
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM staff_grant_request WHERE id = ${id}::uuid FOR UPDATE`;
          const request = await tx.staffGrantRequest.findUniqueOrThrow({ where: { id } });
          if (request.status !== "PENDING") {
            throw new DomainError("GRANT_NOT_PENDING", "This request was already decided, or it expired.", 409);
          }
          await tx.staffGrantRequest.update({
            where: { id },
            data: { status: "EXPIRED", decidedAt: at, pendingKey: null },
          });
          return { result: undefined, before: snapshot(request), after: { ...snapshot(request), status: "EXPIRED" } };
        },
      );
      expired += 1;
    } catch (error) {
      // Decided by an admin, or expired by another process, between the look-up and the lock: nothing to do.
      if (!isDomainError(error)) throw error;
    }
  }
  return expired;
}

export type PendingGrant = Awaited<ReturnType<typeof listPendingGrants>>["requests"][number];

/** The open requests, oldest first, with who asked and whom they concern; and how many admins could decide them. */
export async function listPendingGrants(where: { staffId?: string } = {}) {
  const at = now();
  const rows = await prisma.staffGrantRequest.findMany({
    where: { status: "PENDING", expiresAt: { gt: at }, ...(where.staffId ? { staffId: where.staffId } : {}) },
    orderBy: { requestedAt: "asc" },
    take: 200,
  });
  const people = await prisma.staffUser.findMany({
    where: { id: { in: rows.flatMap((r) => [r.requestedById, ...(r.staffId ? [r.staffId] : [])]) } },
    select: { id: true, displayName: true, email: true },
  });
  const person = new Map(people.map((p) => [p.id, p]));
  const activeAdmins = await prisma.staffUser.count({ where: { role: "ADMIN", disabledAt: null } });
  return {
    activeAdmins,
    requests: rows.map((row) => {
      const member = row.staffId ? person.get(row.staffId) : undefined;
      return {
        id: row.id,
        kind: row.kind,
        role: row.role,
        fromRole: row.fromRole,
        name: member?.displayName ?? row.displayName ?? "",
        email: member?.email ?? row.email ?? "",
        staffId: row.staffId,
        reason: row.reason,
        requestedAt: row.requestedAt,
        expiresAt: row.expiresAt,
        requestedById: row.requestedById,
        requestedBy: person.get(row.requestedById)?.displayName ?? "?",
      };
    }),
  };
}
