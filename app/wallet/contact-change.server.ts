// A signed-in customer changing their email or phone in the app. The active contact-change rules decide inside the
// change's own transaction before anything is written (app/risk/live.server.ts): a step-up asks for the customer's
// authenticator code, a hold or a block leaves the contact as it was (the customer is asked to call support, who check
// the account; no console form sets a contact to a value an agent types, ADR 084); if the rules or the features cannot be read the change is refused too. An applied change is
// recorded as a contact_change row from the app (source APP), which the recovery tools treat as suspect until an agent
// has reviewed it (app/recovery/contact-review.server.ts).
//
// The app proves the new address or number with a code of its own before calling here, so the new value is stored as
// verified (as the replay's hijacked accounts show: the attacker controls the new mailbox).
import { z } from "zod";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/uuid";
import { ContactChangeChecksUnavailableRefusal } from "~/risk/errors";
import type { ContactFieldName } from "~/risk/features";
import { applyVerdictToContactChange, assessEvent, recordAllowedEvent } from "~/risk/live.server";
import { getLogger } from "~/ops/logger.server";
import { assertCustomerCanTransact } from "~/wallet/customer-guard.server";
import { WalletUnavailableRefusal } from "~/wallet/errors";
import {
  busyWhenNoConnection,
  WALLET_TRANSACTION_OPTIONS,
  walletDb,
  type WalletOptions,
} from "~/wallet/transaction-runner.server";

/** The app's own source tag on contact_change rows (staff changes carry STAFF_RESTORE, STAFF_CONFIRM, …). */
export const APP_CONTACT_SOURCE = "APP";

export interface ContactChangeInput {
  customerId: string;
  field: ContactFieldName;
  /** An email address, or a phone number in E.164 (+81…). */
  newValue: string;
  /** The address the app's request came from. */
  ip?: string | null;
  /** The fingerprint of the device the app runs on; recorded with the change when the account knows the device. */
  deviceFingerprint?: string | null;
  /** The customer's authenticator code, when a risk rule asked this change to be confirmed (step-up). */
  secondFactorCode?: string | null;
}

export interface ContactChangeResult {
  contactChangeId: string;
  field: ContactFieldName;
  changedAt: Date;
}

const EMAIL = z.string().trim().toLowerCase().max(254).email();
const PHONE = z
  .string()
  .trim()
  .regex(/^\+[1-9][0-9]{6,14}$/);

function validNewValue(field: unknown, value: unknown): { field: ContactFieldName; value: string } {
  if (field !== "EMAIL" && field !== "PHONE") {
    throw new DomainError("CONTACT_FIELD_INVALID", "Choose the email or the phone number to change.", 400);
  }
  const parsed = (field === "EMAIL" ? EMAIL : PHONE).safeParse(value);
  if (!parsed.success) {
    throw new DomainError(
      "CONTACT_VALUE_INVALID",
      field === "EMAIL"
        ? "Enter a valid email address."
        : "Enter the phone number in international form, for example +819012345678.",
      400,
    );
  }
  return { field, value: parsed.data };
}

export async function changeContact(
  input: ContactChangeInput,
  options: WalletOptions = {},
): Promise<ContactChangeResult> {
  if (!isUuid(input.customerId)) throw new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
  const { field, value } = validNewValue(input.field, input.newValue);
  const db = walletDb(options);
  // Once the change has been checked, any failure until the rules have decided means they could not: refuse.
  let checked = false;
  let riskAssessed = false;
  // Set once a connection was lent: before that, a refusal from the pool means nothing ran (busy, ADR 120).
  let started = false;
  // Set when the body has returned: after that only the COMMIT remains, and its failure says nothing of what was made.
  let committing = false;
  let outcome: ContactChangeResult | { refusal: DomainError };
  try {
    outcome = await db.$transaction(async (tx): Promise<ContactChangeResult | { refusal: DomainError }> => {
      started = true;
      await assertCustomerCanTransact(tx, input.customerId);
      const [customer] = await tx.$queryRaw<
        { email: string; email_verified: boolean; phone: string; phone_verified: boolean }[]
      >`SELECT email, email_verified, phone, phone_verified FROM customer WHERE id = ${input.customerId}::uuid FOR UPDATE`;
      if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND", "There is no such customer.", 404);
      const current = field === "EMAIL" ? customer.email : customer.phone;
      if (current.toLowerCase() === value.toLowerCase()) {
        throw new DomainError("CONTACT_UNCHANGED", "This is already the contact on file. Nothing was changed.", 409);
      }
      const fingerprint = typeof input.deviceFingerprint === "string" ? input.deviceFingerprint.slice(0, 200) : null;
      const device = fingerprint
        ? await tx.device.findUnique({
            where: { customerId_fingerprint: { customerId: input.customerId, fingerprint } },
            select: { id: true },
          })
        : null;
      checked = true;
      const changedAt = now();
      const risk = await assessEvent(tx, {
        kind: "CONTACT_CHANGE" as const,
        customerId: input.customerId,
        field,
        at: changedAt,
      });
      riskAssessed = true;
      // A refusal commits its decision; it is thrown once the transaction is done.
      const refusal = await applyVerdictToContactChange(tx, risk, input.secondFactorCode);
      if (refusal) {
        committing = true;
        return { refusal };
      }

      const change = await tx.contactChange.create({
        data: {
          customerId: input.customerId,
          field,
          oldValue: current,
          newValue: value,
          changedAt,
          source: APP_CONTACT_SOURCE,
          ip: typeof input.ip === "string" ? input.ip.slice(0, 64) : null,
          deviceId: device?.id ?? null,
          oldValueVerified: field === "EMAIL" ? customer.email_verified : customer.phone_verified,
        },
        select: { id: true },
      });
      await tx.customer.update({
        where: { id: input.customerId },
        data: field === "EMAIL" ? { email: value, emailVerified: true } : { phone: value, phoneVerified: true },
      });
      await recordAllowedEvent(tx, risk, null);
      committing = true;
      return { contactChangeId: change.id, field, changedAt };
    }, WALLET_TRANSACTION_OPTIONS);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const busy = busyWhenNoConnection(error, started, "contact change");
    if (busy) throw busy;
    if (checked && !riskAssessed) throw new ContactChangeChecksUnavailableRefusal();
    if (committing) throw error;
    // Anything else before the COMMIT rolled the change back: the customer's app is told nothing changed, never the
    // driver's words (they can name the database); those go to the log.
    getLogger().warn({ err: error }, "a contact change failed before its COMMIT");
    throw new WalletUnavailableRefusal("contact change");
  }
  if ("refusal" in outcome) throw outcome.refusal;
  return outcome;
}
