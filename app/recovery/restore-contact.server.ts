// Restoring a hijacked contact: the agent picks a change from the history and puts back its previous value, which
// must be the last known-good one (verified, from before the first suspect change). It needs a passed identity check
// and a code read back from the known-good contact, both by the same agent (consumed here), and the value the agent
// saw must still be current (a conditional update: no silent overwrite of a newer change). Links sent
// to the replaced address stop working; the next reset goes to the restored one.
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import type { DbTx } from "~/db.server";
import type { ContactField } from "~/generated/prisma/enums";
import { now } from "~/lib/clock.server";
import { findKnownGoodContact, STAFF_RESTORE } from "~/recovery/contact-review.server";
import { lockCustomer, type LockedCustomer } from "~/recovery/customer-lock.server";
import { RecoveryRefusal } from "~/recovery/errors";
import { supersedeOutstandingLinks } from "~/recovery/force-reset.server";
import { customerTarget } from "~/recovery/customer-action.server";
import { consumeIdentityCheck, staffIdOf } from "~/recovery/identity-check.server";
import { consumeRecoveryProof } from "~/recovery/recovery-code.server";
import { parseOrThrow, RestoreContactSchema, type RestoreContactInput } from "~/recovery/schemas";

export interface RestoreContactResult {
  field: ContactField;
  restored: string;
  replaced: string;
  linksSuperseded: number;
}

export function currentValue(customer: LockedCustomer, field: ContactField): string {
  return field === "EMAIL" ? customer.email : customer.phone;
}

export const LABEL: Record<ContactField, string> = { EMAIL: "email", PHONE: "phone number" };

export function assertStillCurrent(customer: LockedCustomer, field: ContactField, expected: string): string {
  const current = currentValue(customer, field);
  if (current !== expected) {
    throw new RecoveryRefusal(
      "CONTACT_STALE",
      `The ${LABEL[field]} changed while you were looking at it. Reload the page and review the history again.`,
      409,
    );
  }
  return current;
}

/** Writes the new value only if the old one is still there (the data-level check, not only the one above). */
async function writeContact(tx: DbTx, customerId: string, field: ContactField, from: string, to: string) {
  const written =
    field === "EMAIL"
      ? await tx.customer.updateMany({
          where: { id: customerId, email: from },
          data: { email: to, emailVerified: true },
        })
      : await tx.customer.updateMany({
          where: { id: customerId, phone: from },
          data: { phone: to, phoneVerified: true },
        });
  if (written.count !== 1) {
    throw new RecoveryRefusal("CONTACT_STALE", "The contact changed meanwhile. Reload the page and try again.", 409);
  }
}

export async function restoreContact(ctx: ActionContext, raw: RestoreContactInput): Promise<RestoreContactResult> {
  const input = parseOrThrow(RestoreContactSchema, raw);
  return performAction(
    ctx,
    { action: "recovery.restore-contact", permission: "recovery:restore-contact", ...(await customerTarget(input)) },
    async (tx) => {
      const staffId = staffIdOf(ctx);
      // Before anything is read: a repeat of this form is not told the contact changed while the agent looked at it
      // when the change was its own first send (ADR 112).
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: "recovery.restore-contact",
        staffId,
        messageKey: "recovery:validation.alreadySent",
        outcome: input.contactChangeId,
      });
      const customer = await lockCustomer(tx, input.customerId);
      // Scoped to the customer in the query itself: a change of another account is simply not found.
      const change = await tx.contactChange.findFirst({
        where: { id: input.contactChangeId, customerId: customer.id },
      });
      if (!change) {
        throw new RecoveryRefusal("CONTACT_CHANGE_NOT_FOUND", "There is no such contact change on this account.", 404);
      }
      if (!change.oldValueVerified) {
        throw new RecoveryRefusal(
          "CONTACT_NEVER_VERIFIED",
          `The previous ${LABEL[change.field]} was never verified by the customer, so it cannot be restored. ` +
            "Only a contact the customer proved they control can receive a reset link.",
          422,
        );
      }
      const replaced = assertStillCurrent(customer, change.field, input.expectedCurrent);
      if (replaced === change.oldValue) {
        throw new RecoveryRefusal(
          "NOTHING_TO_RESTORE",
          `The ${LABEL[change.field]} on file already is the value before that change.`,
          409,
        );
      }
      // Only the last known-good value: a verified value the attacker set before (a second hop) is not a target.
      const knownGood = await findKnownGoodContact(tx, customer, change.field);
      if (knownGood.value !== change.oldValue) {
        throw new RecoveryRefusal(
          "NOT_KNOWN_GOOD",
          `Only the last known-good ${LABEL[change.field]} (the one before the first suspicious change) can be restored.`,
          422,
        );
      }
      const identityCheckId = await consumeIdentityCheck(tx, customer.id, staffId);
      const recoveryCodeId = await consumeRecoveryProof(tx, customer.id, staffId);
      const at = now();
      await writeContact(tx, customer.id, change.field, replaced, change.oldValue);
      await tx.contactChange.create({
        data: {
          customerId: customer.id,
          field: change.field,
          oldValue: replaced,
          newValue: change.oldValue,
          changedAt: at,
          source: STAFF_RESTORE,
          ip: ctx.origin.ip,
          // The replaced value is the attacker's as far as we know: never a restore target itself.
          oldValueVerified: false,
        },
      });
      // Any link sent to the replaced address dies with it.
      const linksSuperseded = change.field === "EMAIL" ? await supersedeOutstandingLinks(tx, customer.id, at) : 0;
      return {
        result: { field: change.field, restored: change.oldValue, replaced, linksSuperseded },
        before: { field: change.field, value: replaced },
        after: {
          field: change.field,
          value: change.oldValue,
          undoneChangeId: change.id,
          identityCheckId,
          recoveryCodeId,
          linksSuperseded,
        },
      };
    },
  );
}
