// Incident cases: one per account caught up in an incident, walked through
//
//   OPEN → CONTAINED → REMEDIATED → NOTIFIED → CLOSED        (and CLOSED → OPEN to reopen, with a reason)
//
// contained = the attacker can no longer act (frozen, sessions revoked, reset forced); remediated = money put back and
// contacts restored; notified = the customer was told; closed = nothing left to do. Steps are not skipped: each one
// is something an auditor will ask for. Every change goes through the spine as a conditional UPDATE on the status the
// agent saw, so a stale page or a colleague's concurrent change is refused instead of overwritten.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import type { DbTx } from "~/db.server";
import { roleHasPermission, type Role } from "~/auth/permissions";
import { prisma } from "~/db.server";
import { CaseStatus } from "~/generated/prisma/enums";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/uuid";

export { CASE_FLOW } from "~/incidents/case-flow";

const NEXT: Record<CaseStatus, CaseStatus[]> = {
  OPEN: ["CONTAINED"],
  CONTAINED: ["REMEDIATED"],
  REMEDIATED: ["NOTIFIED"],
  NOTIFIED: ["CLOSED"],
  CLOSED: ["OPEN"],
};

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  OPEN: "Open",
  CONTAINED: "Contained",
  REMEDIATED: "Remediated",
  NOTIFIED: "Notified",
  CLOSED: "Closed",
};

export function allowedCaseTransitions(from: CaseStatus): CaseStatus[] {
  return NEXT[from] ?? [];
}

export function isAllowedCaseTransition(from: CaseStatus, to: CaseStatus): boolean {
  return allowedCaseTransitions(from).includes(to);
}

const CaseStatusSchema = z.nativeEnum(CaseStatus);
const OptionalReason = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .replace(/\p{Cc}/gu, " ")
      .replace(/\s+/g, " ")
      .trim(),
  )
  .pipe(z.string().max(500, "validation:reasonTooLong"));

/**
 * The case forms are acted on once per rendering (ADR 105): the form's key is claimed in the change's transaction,
 * before the change, so a double click or a resent post waits for the first one and is refused ALREADY_SUBMITTED with
 * what the first made (`outcome`), instead of moving the case again or recording a second assignment.
 */
async function claimCaseForm(
  tx: DbTx,
  ctx: ActionContext,
  claim: { action: string; key: string | undefined; outcome: string },
): Promise<void> {
  if (ctx.actor.kind !== "staff") return;
  await claimSubmission(tx, {
    key: claim.key,
    action: claim.action,
    staffId: ctx.actor.id,
    messageKey: "accounts:form.alreadySent",
    outcome: claim.outcome,
  });
}

function caseNotFound(): DomainError {
  return new DomainError("CASE_NOT_FOUND", "There is no such case.", 404);
}

export async function transitionCase(
  ctx: ActionContext,
  input: { caseId: string; from: string; to: string; reason?: string; customerId?: string; submissionKey?: string },
): Promise<{ status: CaseStatus }> {
  if (!isUuid(input.caseId)) throw caseNotFound();
  const from = CaseStatusSchema.safeParse(input.from);
  const to = CaseStatusSchema.safeParse(input.to);
  if (!from.success || !to.success) throw new DomainError("INVALID_CASE_STATUS", "Unknown case status.", 400);
  if (!isAllowedCaseTransition(from.data, to.data)) {
    throw new DomainError(
      "CASE_TRANSITION_NOT_ALLOWED",
      `A case goes from ${CASE_STATUS_LABELS[from.data]} to ${allowedCaseTransitions(from.data)
        .map((s) => CASE_STATUS_LABELS[s])
        .join(" or ")}, not to ${CASE_STATUS_LABELS[to.data]}.`,
      422,
    );
  }
  const reason = OptionalReason.safeParse(input.reason);
  if (!reason.success) throw new DomainError("INVALID_REASON", reason.error.issues[0]!.message, 400);
  if (to.data === "OPEN" && reason.data.length < 3) {
    throw new DomainError("REASON_REQUIRED", "Say why the case is being reopened.", 400);
  }

  const existing = await findCase(input.caseId, input.customerId);
  return performAction(
    ctx,
    {
      action: "case.transition",
      permission: "cases:manage",
      targetType: "incident_case",
      targetId: input.caseId,
      incidentId: existing.incidentId,
      reason: reason.data || undefined,
    },
    async (tx) => {
      await claimCaseForm(tx, ctx, { action: "case.transition", key: input.submissionKey, outcome: input.caseId });
      const updated = await tx.incidentCase.updateMany({
        where: { id: input.caseId, customerId: existing.customerId, status: from.data },
        data: { status: to.data },
      });
      if (updated.count !== 1) {
        const now = await tx.incidentCase.findUnique({ where: { id: input.caseId }, select: { status: true } });
        if (!now) throw caseNotFound();
        throw new DomainError(
          "CASE_CHANGED",
          `The case is ${CASE_STATUS_LABELS[now.status]} now (someone changed it since you loaded the page). Reload and try again.`,
          409,
        );
      }
      return {
        result: { status: to.data },
        before: { status: from.data },
        after: { status: to.data, customerId: existing.customerId },
      };
    },
  );
}

/** The case, scoped to the customer when the caller acts from one account's page. */
async function findCase(caseId: string, customerId?: string) {
  const found = await prisma.incidentCase.findFirst({
    where: customerId ? { id: caseId, customerId } : { id: caseId },
    select: { id: true, incidentId: true, customerId: true, assigneeId: true },
  });
  if (!found) throw caseNotFound();
  return found;
}

/** Assigns the case to a staff member who may work cases (or unassigns it with null). */
export async function assignCase(
  ctx: ActionContext,
  input: { caseId: string; assigneeId: string | null; customerId?: string; submissionKey?: string },
): Promise<{ assigneeId: string | null }> {
  if (!isUuid(input.caseId)) throw caseNotFound();
  if (input.assigneeId !== null && !isUuid(input.assigneeId)) {
    throw new DomainError("ASSIGNEE_NOT_FOUND", "There is no such staff member.", 404);
  }
  const existing = await findCase(input.caseId, input.customerId);
  return performAction(
    ctx,
    {
      action: "case.assign",
      permission: "cases:manage",
      targetType: "incident_case",
      targetId: input.caseId,
      incidentId: existing.incidentId,
    },
    async (tx) => {
      await claimCaseForm(tx, ctx, { action: "case.assign", key: input.submissionKey, outcome: input.caseId });
      if (input.assigneeId !== null) {
        const staff = await tx.staffUser.findUnique({
          where: { id: input.assigneeId },
          select: { role: true, disabledAt: true },
        });
        if (!staff || staff.disabledAt) {
          throw new DomainError("ASSIGNEE_NOT_FOUND", "There is no such active staff member.", 404);
        }
        if (!roleHasPermission(staff.role as Role, "cases:manage")) {
          throw new DomainError("ASSIGNEE_CANNOT_MANAGE_CASES", "That staff member's role cannot work cases.", 422);
        }
      }
      const before = await tx.incidentCase.findUnique({ where: { id: input.caseId }, select: { assigneeId: true } });
      if (!before) throw caseNotFound();
      await tx.incidentCase.updateMany({
        where: { id: input.caseId, customerId: existing.customerId },
        data: { assigneeId: input.assigneeId },
      });
      return {
        result: { assigneeId: input.assigneeId },
        before: { assigneeId: before.assigneeId },
        after: { assigneeId: input.assigneeId, customerId: existing.customerId },
      };
    },
  );
}

/** Opens a case for an account in an incident; an account has at most one case per incident. */
export async function openCase(
  ctx: ActionContext,
  input: { incidentId: string; customerId: string; reason?: string; submissionKey?: string },
): Promise<{ id: string }> {
  if (!isUuid(input.incidentId)) throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
  if (!isUuid(input.customerId)) throw new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
  const reason = OptionalReason.safeParse(input.reason);
  if (!reason.success) throw new DomainError("INVALID_REASON", reason.error.issues[0]!.message, 400);
  return performAction(
    ctx,
    {
      action: "case.open",
      permission: "cases:manage",
      targetType: "incident_case",
      incidentId: input.incidentId,
      reason: reason.data || undefined,
    },
    async (tx) => {
      const caseId = randomUUID();
      await claimCaseForm(tx, ctx, { action: "case.open", key: input.submissionKey, outcome: caseId });
      const [incident, customer] = await Promise.all([
        tx.incident.findUnique({ where: { id: input.incidentId }, select: { id: true } }),
        tx.customer.findUnique({ where: { id: input.customerId }, select: { id: true } }),
      ]);
      if (!incident) throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
      if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
      // ON CONFLICT DO NOTHING: the unique (incident, customer) decides, even between two agents clicking at once.
      const inserted = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO incident_case (id, incident_id, customer_id, status, opened_at)
        VALUES (${caseId}::uuid, ${input.incidentId}::uuid, ${input.customerId}::uuid, 'OPEN', now())
        ON CONFLICT (incident_id, customer_id) DO NOTHING
        RETURNING id::text AS id`;
      if (inserted.length === 0) {
        throw new DomainError("CASE_EXISTS", "This account already has a case in that incident.", 409);
      }
      const id = inserted[0]!.id;
      return { result: { id }, targetId: id, after: { customerId: input.customerId, status: "OPEN" } };
    },
  );
}
