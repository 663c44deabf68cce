// Recording what a caller proved before an agent restores a contact. The caller's answers are compared with the file
// and discarded: the row (and the audit row) say only which facts matched. Facts are taken from before the suspicious
// period, because the attacker knows the top-ups they made and the card they added.
import { randomUUID } from "node:crypto";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import type { DbTx } from "~/db.server";
import { now } from "~/lib/clock.server";
import { PermissionDeniedError } from "~/lib/domain-error";
import { compromiseStart } from "~/recovery/contact-review.server";
import { lockCustomer } from "~/recovery/customer-lock.server";
import { RecoveryRefusal } from "~/recovery/errors";
import { customerTarget } from "~/recovery/customer-action.server";
import { IdentityCheckSchema, parseOrThrow, type IdentityCheckInput } from "~/recovery/schemas";

export const THIRTY_MINUTES = 30 * 60 * 1000;
/** A passed check authorises one restore or confirmation by the same agent within this window. */
export const IDENTITY_CHECK_VALIDITY_MS = THIRTY_MINUTES;
const ONE_DAY = 24 * 60 * 60 * 1000;
/** After this many failed checks in a day, agents stop: a caller guessing facts is escalated, not retried. */
export const MAX_FAILED_CHECKS_PER_DAY = 3;
/** A pass needs at least this many facts matched and none contradicted. */
export const FACTS_NEEDED = 2;

export type FactResult = "matched" | "mismatched" | "not asked";

export interface IdentityCheckResult {
  id: string;
  passed: boolean;
  facts: { birthDate: FactResult; lastTopUp: FactResult; cardLast4: FactResult };
  validUntil: Date | null;
}

function factResult(matched: boolean | null): FactResult {
  return matched === null ? "not asked" : matched ? "matched" : "mismatched";
}

function isoDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}

async function lastTopUpBefore(tx: DbTx, customerId: string, before: Date): Promise<number | null> {
  const top = await tx.ledgerTransaction.findFirst({
    where: { customerId, kind: "TOP_UP", occurredAt: { lt: before } },
    orderBy: { occurredAt: "desc" },
    select: { amount: true },
  });
  return top?.amount ?? null;
}

async function cardsBefore(tx: DbTx, customerId: string, before: Date): Promise<string[]> {
  const cards = await tx.fundingSource.findMany({
    where: { customerId, kind: "CREDIT_CARD", addedAt: { lt: before }, last4: { not: null } },
    select: { last4: true },
  });
  return cards.map((c) => c.last4!);
}

/** Identity checks are a conversation between an agent and a caller: only staff record and use them. */
export function staffIdOf(ctx: ActionContext): string {
  if (ctx.actor.kind !== "staff") throw new PermissionDeniedError("Only a staff member can check a caller's identity.");
  return ctx.actor.id;
}

export async function recordIdentityCheck(ctx: ActionContext, raw: IdentityCheckInput): Promise<IdentityCheckResult> {
  const input = parseOrThrow(IdentityCheckSchema, raw);
  return performAction(
    ctx,
    { action: "recovery.identity-check", permission: "recovery:restore-contact", ...(await customerTarget(input)) },
    async (tx) => {
      const staffId = staffIdOf(ctx);
      // Before anything is read: a repeat of this form (a double click, a resent post) records no second check, so a
      // failed check sent twice does not count twice towards the day's limit (ADR 112).
      const checkId = randomUUID();
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: "recovery.identity-check",
        staffId,
        messageKey: "recovery:validation.alreadySent",
        outcome: checkId,
      });
      const customer = await lockCustomer(tx, input.customerId);
      const at = now();
      const failedToday = await tx.identityCheck.count({
        where: { customerId: customer.id, passed: false, createdAt: { gt: new Date(at.getTime() - ONE_DAY) } },
      });
      if (failedToday >= MAX_FAILED_CHECKS_PER_DAY) {
        throw new RecoveryRefusal(
          "IDENTITY_CHECK_LOCKED",
          `This customer failed ${failedToday} identity checks in the last 24 hours. Escalate to a security lead; do not ask again.`,
          423,
        );
      }
      const start = await compromiseStart(tx, customer.id);
      const onFile = await tx.customer.findUniqueOrThrow({ where: { id: customer.id }, select: { birthDate: true } });

      let birthDateMatched: boolean | null = null;
      if (input.birthDate !== undefined) birthDateMatched = isoDate(onFile.birthDate) === input.birthDate;

      let lastTopUpMatched: boolean | null = null;
      if (input.lastTopUpYen !== undefined) {
        const amount = await lastTopUpBefore(tx, customer.id, start);
        if (amount === null) {
          throw new RecoveryRefusal(
            "IDENTITY_FACT_UNAVAILABLE",
            "There is no top-up on file from before the suspicious changes: ask for the birth date or card instead.",
            422,
          );
        }
        lastTopUpMatched = amount === input.lastTopUpYen;
      }

      let cardLast4Matched: boolean | null = null;
      if (input.cardLast4 !== undefined) {
        const cards = await cardsBefore(tx, customer.id, start);
        if (cards.length === 0) {
          throw new RecoveryRefusal(
            "IDENTITY_FACT_UNAVAILABLE",
            "There is no card on file from before the suspicious changes: ask for the birth date or last top-up instead.",
            422,
          );
        }
        cardLast4Matched = cards.includes(input.cardLast4);
      }

      const answers = [birthDateMatched, lastTopUpMatched, cardLast4Matched].filter((v) => v !== null);
      const passed = answers.length >= FACTS_NEEDED && answers.every(Boolean);
      const caseRow = await tx.incidentCase.findFirst({
        where: { customerId: customer.id },
        orderBy: { openedAt: "desc" },
        select: { id: true },
      });
      const check = await tx.identityCheck.create({
        data: {
          id: checkId,
          customerId: customer.id,
          caseId: caseRow?.id ?? null,
          staffId,
          birthDateMatched,
          lastTopUpMatched,
          cardLast4Matched,
          passed,
          createdAt: at,
        },
      });
      const facts = {
        birthDate: factResult(birthDateMatched),
        lastTopUp: factResult(lastTopUpMatched),
        cardLast4: factResult(cardLast4Matched),
      };
      return {
        result: {
          id: check.id,
          passed,
          facts,
          validUntil: passed ? new Date(at.getTime() + IDENTITY_CHECK_VALIDITY_MS) : null,
        },
        targetId: customer.id,
        after: { identityCheckId: check.id, caseId: caseRow?.id ?? null, passed, facts },
      };
    },
  );
}

/**
 * Takes (marks used) the agent's latest passed, unused, unexpired check for this customer inside the caller's
 * transaction; refuses without one. A check authorises exactly one restore or confirmation.
 */
export async function consumeIdentityCheck(tx: DbTx, customerId: string, staffId: string): Promise<string> {
  const at = now();
  const check = await tx.identityCheck.findFirst({
    where: {
      customerId,
      staffId,
      passed: true,
      usedAt: null,
      createdAt: { gt: new Date(at.getTime() - IDENTITY_CHECK_VALIDITY_MS) },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  const taken = check
    ? await tx.identityCheck.updateMany({ where: { id: check.id, usedAt: null }, data: { usedAt: at } })
    : { count: 0 };
  if (!check || taken.count !== 1) {
    throw new RecoveryRefusal(
      "IDENTITY_CHECK_REQUIRED",
      "Record a passed identity check with the caller first (at least two facts matched, within the last 30 minutes).",
      409,
    );
  }
  return check.id;
}
