// Proof the attacker cannot have: a one-time code sent to the customer's last known-good contact (never to a value a
// suspect change set), read back by the caller to the agent. Knowledge facts the agent can see on screen (birth date,
// card digits) are not enough on their own; control of the known-good contact is. Six digits, ten minutes, five
// attempts, one use; only an HMAC is stored (a database dump does not give the codes); every send and every attempt
// has its audit row, none holds the code. See docs/decisions/016-recovery-proof-of-possession.md.
import { createHmac, hkdfSync, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import { totpEncryptionKey } from "~/auth/totp-key.server";
import type { DbTx } from "~/db.server";
import type { ContactField } from "~/generated/prisma/enums";
import { now } from "~/lib/clock.server";
import { enqueueMessage, wakeOutboxWorker } from "~/notify/outbox.server";
import { smsTransport } from "~/notify/sms-transport.server";
import { findKnownGoodContact } from "~/recovery/contact-review.server";
import { lockCustomer } from "~/recovery/customer-lock.server";
import { RecoveryRefusal } from "~/recovery/errors";
import { customerTarget } from "~/recovery/customer-action.server";
import { staffIdOf } from "~/recovery/identity-check.server";
import { parseOrThrow, SendRecoveryCodeSchema, VerifyRecoveryCodeSchema } from "~/recovery/schemas";

const MINUTE = 60 * 1000;
const TEN_MINUTES = 10 * MINUTE;
const FIFTEEN_MINUTES = 15 * MINUTE;
const ONE_DAY = 24 * 60 * MINUTE;
/** How long a sent code can be entered. */
export const RECOVERY_CODE_LIFETIME_MS = TEN_MINUTES;
/** How long a verified code authorises one restore or keep request by the agent who sent it. */
export const RECOVERY_PROOF_VALIDITY_MS = FIFTEEN_MINUTES;
/** Wrong entries before a code dies (a new one must be sent). 5 in 10^6: guessing is hopeless. */
export const MAX_CODE_ATTEMPTS = 5;
/** Codes per customer per day: more is a caller fishing, or an agent spamming the owner. */
export const MAX_CODES_PER_DAY = 5;
const CODE_DIGITS = 6;

function codeKey(): Buffer {
  // Its own key, derived from the secret-at-rest key: one secret to manage, no key reused across purposes.
  return Buffer.from(hkdfSync("sha256", totpEncryptionKey(), "", "firebreak recovery code v1", 32));
}

/** Bound to the code's row: the same six digits of another code hash differently. */
export function hashRecoveryCode(codeId: string, code: string): string {
  return createHmac("sha256", codeKey()).update(`${codeId}:${code}`).digest("hex");
}

function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");
}

export interface SentRecoveryCode {
  id: string;
  channel: ContactField;
  sentTo: string;
  expiresAt: Date;
}

/** Sends a fresh code to the known-good contact of the chosen channel; earlier unverified codes stop working. */
export async function sendRecoveryCode(
  ctx: ActionContext,
  raw: { customerId: string; channel: string; submissionKey?: string },
): Promise<SentRecoveryCode> {
  const input = parseOrThrow(SendRecoveryCodeSchema, raw);
  const sent = await performAction(
    ctx,
    { action: "recovery.code-send", permission: "recovery:restore-contact", ...(await customerTarget(input)) },
    async (tx) => {
      const staffId = staffIdOf(ctx);
      // Before anything is read: a repeat of this form sends no second code, which would replace the one the caller
      // is about to read out and spend the day's budget (ADR 112).
      const codeId = randomUUID();
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: "recovery.code-send",
        staffId,
        messageKey: "recovery:validation.alreadySent",
        outcome: codeId,
      });
      const customer = await lockCustomer(tx, input.customerId);
      const at = now();
      const today = await tx.recoveryCode.count({
        where: { customerId: customer.id, createdAt: { gt: new Date(at.getTime() - ONE_DAY) } },
      });
      if (today >= MAX_CODES_PER_DAY) {
        throw new RecoveryRefusal(
          "RECOVERY_CODE_LIMIT",
          `${today} codes were sent to this customer in the last 24 hours. Escalate to a security lead.`,
          429,
        );
      }
      const knownGood = await findKnownGoodContact(tx, customer, input.channel);
      if (!knownGood.value) {
        throw new RecoveryRefusal(
          "NO_KNOWN_GOOD_CONTACT",
          input.channel === "EMAIL"
            ? "There is no email the customer verified before the suspicious changes: send the code by SMS instead."
            : "There is no phone the customer verified before the suspicious changes: send the code by email instead.",
          422,
        );
      }
      await tx.recoveryCode.updateMany({
        where: { customerId: customer.id, verifiedAt: null, supersededAt: null },
        data: { supersededAt: at },
      });
      const code = generateCode();
      const expiresAt = new Date(at.getTime() + RECOVERY_CODE_LIFETIME_MS);
      const row = await tx.recoveryCode.create({
        data: {
          id: codeId,
          customerId: customer.id,
          staffId,
          channel: input.channel,
          sentTo: knownGood.value,
          codeHash: "pending",
          createdAt: at,
          expiresAt,
        },
      });
      await tx.recoveryCode.update({ where: { id: row.id }, data: { codeHash: hashRecoveryCode(row.id, code) } });
      if (input.channel === "EMAIL") {
        const mail = await enqueueMessage(tx, {
          template: "recovery-code",
          customerId: customer.id,
          discriminator: row.id,
          knownGoodEmail: knownGood.value,
          variables: { code, expiresAt },
          actor: ctx.actor,
        });
        if (mail.outcome !== "queued") {
          throw new RecoveryRefusal(
            "NO_KNOWN_GOOD_CONTACT",
            "The known-good address cannot receive mail: use SMS.",
            422,
          );
        }
      } else {
        // Inside the transaction: if the commit then fails, the text carries a code that was never stored (harmless).
        await smsTransport().send({
          to: knownGood.value,
          body: `[7pay] 本人確認コード ${code}（10分間有効）。お電話中の担当者にお伝えください。Your code: ${code}`,
        });
      }
      const result = { id: row.id, channel: input.channel, sentTo: knownGood.value, expiresAt };
      return { result, after: { recoveryCodeId: row.id, channel: input.channel, sentTo: knownGood.value, expiresAt } };
    },
  );
  if (sent.channel === "EMAIL") wakeOutboxWorker();
  return sent;
}

export interface CodeCheck {
  verified: boolean;
  attemptsLeft: number;
}

/**
 * The agent types what the caller read out. A wrong entry is counted (and audited) in its own committed transaction,
 * then refused; the fifth kills the code. A right one marks it verified: it now authorises one restore or keep request.
 */
export async function verifyRecoveryCode(
  ctx: ActionContext,
  raw: { customerId: string; code: string; submissionKey?: string },
) {
  const input = parseOrThrow(VerifyRecoveryCodeSchema, raw);
  const outcome = await performAction(
    ctx,
    { action: "recovery.code-verify", permission: "recovery:restore-contact", ...(await customerTarget(input)) },
    async (tx): Promise<{ result: CodeCheck & { codeId: string | null }; after: object }> => {
      const staffId = staffIdOf(ctx);
      // Before anything is read: a repeat of this form is not answered "no live code" after the first send verified
      // it, nor counted as a second wrong attempt after the first was wrong (ADR 112).
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: "recovery.code-verify",
        staffId,
        messageKey: "recovery:validation.alreadySent",
        outcome: "checked",
      });
      const customer = await lockCustomer(tx, input.customerId);
      const at = now();
      const live = await tx.recoveryCode.findFirst({
        where: {
          customerId: customer.id,
          staffId,
          verifiedAt: null,
          supersededAt: null,
          expiresAt: { gt: at },
          attempts: { lt: MAX_CODE_ATTEMPTS },
        },
        orderBy: { createdAt: "desc" },
      });
      if (!live) {
        return { result: { verified: false, attemptsLeft: 0, codeId: null }, after: { verified: false, live: false } };
      }
      const expected = Buffer.from(live.codeHash, "hex");
      const given = Buffer.from(hashRecoveryCode(live.id, input.code), "hex");
      const matched = expected.length === given.length && timingSafeEqual(expected, given);
      if (!matched) {
        const counted = await tx.recoveryCode.update({ where: { id: live.id }, data: { attempts: { increment: 1 } } });
        const attemptsLeft = Math.max(0, MAX_CODE_ATTEMPTS - counted.attempts);
        return {
          result: { verified: false, attemptsLeft, codeId: live.id },
          after: { recoveryCodeId: live.id, verified: false, attemptsLeft },
        };
      }
      const taken = await tx.recoveryCode.updateMany({
        where: { id: live.id, verifiedAt: null, attempts: { lt: MAX_CODE_ATTEMPTS } },
        data: { verifiedAt: at },
      });
      const verified = taken.count === 1;
      return {
        result: { verified, attemptsLeft: verified ? MAX_CODE_ATTEMPTS - live.attempts : 0, codeId: live.id },
        after: { recoveryCodeId: live.id, verified, channel: live.channel, sentTo: live.sentTo },
      };
    },
  );
  if (!outcome.verified) {
    throw new RecoveryRefusal(
      "RECOVERY_CODE_INVALID",
      outcome.codeId === null
        ? "There is no live code for this customer from you (none sent, expired, used up or replaced): send a new one."
        : outcome.attemptsLeft > 0
          ? `That is not the code. ${outcome.attemptsLeft} attempts left.`
          : "That is not the code, and it was the last attempt: send a new code.",
      outcome.codeId === null ? 409 : 422,
    );
  }
  return { codeId: outcome.codeId!, verified: true as const };
}

/**
 * Takes (marks used) the agent's verified, unused proof for this customer inside the caller's transaction; refuses
 * without one. The code went to the known-good contact as it was when sent; the restore or keep that consumes the
 * proof checks its own target against the contact history again. One proof, one restore or keep.
 */
export async function consumeRecoveryProof(tx: DbTx, customerId: string, staffId: string): Promise<string> {
  const at = now();
  const proof = await tx.recoveryCode.findFirst({
    where: {
      customerId,
      staffId,
      verifiedAt: { gt: new Date(at.getTime() - RECOVERY_PROOF_VALIDITY_MS) },
      usedAt: null,
    },
    orderBy: { verifiedAt: "desc" },
    select: { id: true },
  });
  const taken = proof
    ? await tx.recoveryCode.updateMany({ where: { id: proof.id, usedAt: null }, data: { usedAt: at } })
    : { count: 0 };
  if (!proof || taken.count !== 1) {
    throw new RecoveryRefusal(
      "RECOVERY_CODE_REQUIRED",
      "The caller must first read back a code sent to the customer's known-good email or phone (within 15 minutes).",
      409,
    );
  }
  return proof.id;
}
