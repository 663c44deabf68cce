// Keeping a contact that a suspect change set (from a device new to the account, or inside an incident window). The
// caller may well have changed it themselves, but so did every attacker in the replay, and the agent on the phone
// cannot tell them apart. So: the caller proves control of the known-good contact (a code read back) and passes an
// identity check; the agent files a request; a security lead other than the requester approves it. Only then is the
// change recorded as reviewed (STAFF_CONFIRM), which is what lets a reset link go to that contact. Four eyes are also
// a database constraint (decided_by_id <> requested_by_id).
import { randomUUID } from "node:crypto";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import { assertRequesterStillEntitled } from "~/audit/actor-authority.server";
import { prisma } from "~/db.server";
import type { ContactField } from "~/generated/prisma/enums";
import { now } from "~/lib/clock.server";
import { findUnreviewedChange, STAFF_CONFIRM } from "~/recovery/contact-review.server";
import { lockCustomer } from "~/recovery/customer-lock.server";
import { RecoveryRefusal } from "~/recovery/errors";
import { customerTarget, incidentOfCustomer } from "~/recovery/customer-action.server";
import { consumeIdentityCheck, staffIdOf } from "~/recovery/identity-check.server";
import { consumeRecoveryProof } from "~/recovery/recovery-code.server";
import { assertStillCurrent, LABEL } from "~/recovery/restore-contact.server";
import {
  ConfirmContactSchema,
  DecideKeepSchema,
  parseOrThrow,
  type ConfirmContactInput,
  type DecideKeepInput,
} from "~/recovery/schemas";

export interface KeepRequestSummary {
  id: string;
  field: ContactField;
  value: string;
}

/** The agent's half: files the request. Nothing about the contact or where links go changes yet. */
export async function requestKeepContact(ctx: ActionContext, raw: ConfirmContactInput): Promise<KeepRequestSummary> {
  const input = parseOrThrow(ConfirmContactSchema, raw);
  return performAction(
    ctx,
    {
      action: "recovery.keep-contact.request",
      permission: "recovery:restore-contact",
      ...(await customerTarget(input)),
    },
    async (tx) => {
      const staffId = staffIdOf(ctx);
      // Before anything is read: a repeat of this form is not told a request already waits when it is its own (ADR 112).
      const requestId = randomUUID();
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: "recovery.keep-contact.request",
        staffId,
        messageKey: "recovery:validation.alreadySent",
        outcome: requestId,
      });
      const customer = await lockCustomer(tx, input.customerId);
      const current = assertStillCurrent(customer, input.field, input.expectedCurrent);
      const verified = input.field === "EMAIL" ? customer.emailVerified : customer.phoneVerified;
      if (!verified) {
        throw new RecoveryRefusal(
          "CONTACT_NEVER_VERIFIED",
          `The ${LABEL[input.field]} on file was never verified by the customer; it cannot be kept. Restore the known-good one instead.`,
          422,
        );
      }
      if (!(await findUnreviewedChange(tx, customer.id, input.field))) {
        throw new RecoveryRefusal(
          "NOTHING_TO_KEEP",
          `No suspicious change is waiting on the ${LABEL[input.field]}: there is nothing to approve.`,
          409,
        );
      }
      const pending = await tx.contactKeepRequest.findFirst({
        where: { customerId: customer.id, field: input.field, status: "PENDING" },
        select: { id: true },
      });
      if (pending) {
        throw new RecoveryRefusal(
          "KEEP_REQUEST_PENDING",
          "A request to keep this contact already waits for a lead.",
          409,
        );
      }
      const identityCheckId = await consumeIdentityCheck(tx, customer.id, staffId);
      const recoveryCodeId = await consumeRecoveryProof(tx, customer.id, staffId);
      const request = await tx.contactKeepRequest.create({
        data: {
          id: requestId,
          customerId: customer.id,
          field: input.field,
          value: current,
          requestedById: staffId,
          requestedAt: now(),
          reason: input.reason,
          recoveryCodeId,
        },
      });
      return {
        result: { id: request.id, field: input.field, value: current },
        after: { keepRequestId: request.id, field: input.field, value: current, identityCheckId, recoveryCodeId },
      };
    },
  );
}

/** The lead's half. Never the requester; the value must still be the one requested. */
export async function decideKeepContact(ctx: ActionContext, raw: DecideKeepInput) {
  const input = parseOrThrow(DecideKeepSchema, raw);
  const found = await prisma.contactKeepRequest.findUnique({
    where: { id: input.requestId },
    select: { customerId: true },
  });
  return performAction(
    ctx,
    {
      action: input.decision === "approve" ? "recovery.keep-contact.approve" : "recovery.keep-contact.reject",
      permission: "approvals:decide",
      // Approving lets a reset link go to a contact an attacker may have set: the lead proves it is them first.
      stepUp: input.decision === "approve",
      targetType: "contact_keep_request",
      targetId: input.requestId,
      incidentId: found ? await incidentOfCustomer(found.customerId) : undefined,
      reason: input.reason,
    },
    async (tx) => {
      const staffId = staffIdOf(ctx);
      const request = await tx.contactKeepRequest.findUnique({ where: { id: input.requestId } });
      if (!request) throw new RecoveryRefusal("KEEP_REQUEST_NOT_FOUND", "There is no such request.", 404);
      if (request.requestedById === staffId) {
        throw new RecoveryRefusal("FOUR_EYES", "You asked for this: another security lead must decide it.", 403);
      }
      const approve = input.decision === "approve";
      // Filed by an agent since disabled or demoted (a stolen session, a persuaded or malicious agent): not kept.
      if (approve) await assertRequesterStillEntitled(tx, request.requestedById, "recovery:restore-contact");
      const customer = await lockCustomer(tx, request.customerId);
      const at = now();
      const current = request.field === "EMAIL" ? customer.email : customer.phone;
      if (approve && current !== request.value) {
        throw new RecoveryRefusal(
          "CONTACT_STALE",
          `The ${LABEL[request.field]} changed since the request: it cannot be approved. Reject it and start again.`,
          409,
        );
      }
      const decided = await tx.contactKeepRequest.updateMany({
        where: { id: request.id, status: "PENDING" },
        data: {
          status: approve ? "APPROVED" : "REJECTED",
          decidedById: staffId,
          decidedAt: at,
          decisionReason: input.reason,
        },
      });
      if (decided.count !== 1) {
        throw new RecoveryRefusal("KEEP_REQUEST_NOT_FOUND", "This request was already decided.", 409);
      }
      if (approve) {
        await tx.contactChange.create({
          data: {
            customerId: customer.id,
            field: request.field,
            oldValue: current,
            newValue: current,
            changedAt: at,
            source: STAFF_CONFIRM,
            ip: ctx.origin.ip,
            oldValueVerified: true,
          },
        });
      }
      return {
        result: { id: request.id, status: approve ? ("APPROVED" as const) : ("REJECTED" as const) },
        targetId: request.id,
        before: { status: "PENDING" },
        after: {
          status: approve ? "APPROVED" : "REJECTED",
          customerId: customer.id,
          field: request.field,
          value: request.value,
          requestedById: request.requestedById,
        },
      };
    },
  );
}

export type KeepRequestRow = Awaited<ReturnType<typeof listPendingKeepRequests>>[number];

export async function listPendingKeepRequests() {
  const rows = await prisma.contactKeepRequest.findMany({
    where: { status: "PENDING" },
    orderBy: { requestedAt: "asc" },
    take: 200,
  });
  const customers = await prisma.customer.findMany({
    where: { id: { in: rows.map((r) => r.customerId) } },
    select: { id: true, displayId: true, name: true },
  });
  const staff = await prisma.staffUser.findMany({
    where: { id: { in: rows.map((r) => r.requestedById) } },
    select: { id: true, displayName: true },
  });
  const customerOf = new Map(customers.map((c) => [c.id, c]));
  const staffOf = new Map(staff.map((s) => [s.id, s.displayName]));
  return rows.map((row) => ({
    id: row.id,
    field: row.field,
    value: row.value,
    reason: row.reason,
    requestedAt: row.requestedAt,
    requestedById: row.requestedById,
    requestedBy: staffOf.get(row.requestedById) ?? "unknown staff",
    customer: customerOf.get(row.customerId) ?? { id: row.customerId, displayId: "?", name: "" },
  }));
}
