// Risk rules inside the wallet's own transactions. A top-up, a purchase or a sign-in reads the active rules of its kind
// and computes its features in the same transaction that moves the money or opens the session (as the top-up reads
// the kill switches), and records every rule that matched with the event kind, the rule's version and the feature
// values that triggered it. Failing closed: if the rules or the features cannot be read, the transaction aborts and
// the caller refuses the event; a rule that cannot be evaluated counts as matched.
//
// What an outcome means per kind (docs/decisions/036-risk-rules-per-event-kind.md):
//   top-up   STEP_UP: the customer's authenticator code; HOLD: the review queue; BLOCK: refused.
//   purchase STEP_UP: the customer's authenticator code; HOLD and BLOCK: refused at the till (a payment cannot wait
//            for a person), recorded as what the rule said.
//   sign-in  STEP_UP: the authenticator challenge the customer must pass before any session; HOLD and BLOCK: refused.
//   contact change (docs/decisions/045-contact-change-and-reset-rules.md)
//            STEP_UP: the customer's authenticator code; HOLD: not applied, the customer is asked to call support
//            (an agent changes it after an identity check); BLOCK: refused.
//   reset request STEP_UP, HOLD and BLOCK: no link is made or sent, and the requester gets the same answer as
//            everyone (an anonymous requester has no factor to step up with, and the answer must not be an oracle).
//   Everywhere, a step-up for a customer with no authenticator is a hold: there is nothing to step up to, and after
//   MAX_STEP_UP_FAILURES wrong codes step-ups are locked until the customer signs in again with password and code.
import { decryptSecret } from "~/auth/totp-key.server";
import { matchTotpStep } from "~/auth/totp.server";
import type { DbTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import {
  evaluateRules,
  RULE_FOR_EVALUATION_COLUMNS,
  rulesFor,
  type Outcome,
  type RiskVerdict,
  type RuleForEvaluation,
} from "~/risk/engine";
import {
  ContactChangeRefusal,
  ContactChangeSecondFactorRequired,
  PurchaseDeclinedRefusal,
  PurchaseSecondFactorRequired,
  RiskBlockedRefusal,
  RiskHeldRefusal,
  RiskSecondFactorRequired,
  type SecondFactorRefusalKind,
} from "~/risk/errors";
import { readFeatureSnapshot } from "~/risk/feature-snapshot.server";
import {
  computeFeatures,
  type ContactChangeEvent,
  type FeatureValues,
  type ResetRequestEvent,
  type PurchaseEvent,
  type RiskEvent,
  type SignInEvent,
  type TopUpEvent,
} from "~/risk/features";
import { customerSecretBinding } from "~/wallet/customer-auth-two-factor.server";

export interface RiskAssessment<E extends RiskEvent = RiskEvent> {
  event: E;
  verdict: RiskVerdict;
  features: FeatureValues | null;
}
export type TopUpRiskAssessment = RiskAssessment<{ kind: "TOP_UP" } & TopUpEvent>;
export type PurchaseRiskAssessment = RiskAssessment<{ kind: "PURCHASE" } & PurchaseEvent>;
export type SignInRiskAssessment = RiskAssessment<{ kind: "SIGN_IN" } & SignInEvent>;
export type ContactChangeRiskAssessment = RiskAssessment<{ kind: "CONTACT_CHANGE" } & ContactChangeEvent>;
export type ResetRequestRiskAssessment = RiskAssessment<{ kind: "RESET_REQUEST" } & ResetRequestEvent>;

/** The active rule versions (all kinds and channels). Throws if they cannot be read: the caller fails closed. */
export async function readActiveRules(tx: DbTx): Promise<RuleForEvaluation[]> {
  const rows = await tx.riskRule.findMany({
    where: { status: "ACTIVE" },
    select: RULE_FOR_EVALUATION_COLUMNS,
    orderBy: { ruleKey: "asc" },
  });
  return rows;
}

const NOTHING_MATCHED: RiskVerdict = { outcome: "ALLOW", deciding: null, matches: [] };

/** The active rules of the event's kind, applied to its features. Throws when either cannot be read. */
export async function assessEvent<E extends RiskEvent>(tx: DbTx, event: E): Promise<RiskAssessment<E>> {
  const rules = rulesFor(await readActiveRules(tx), event.kind, event.kind === "TOP_UP" ? event.channel : null);
  // No rule covers this event: nothing to compute (the no-rules cost is one indexed read).
  if (rules.length === 0) return { event, verdict: NOTHING_MATCHED, features: null };
  const features = computeFeatures(event, await readFeatureSnapshot(tx, event));
  return { event, verdict: evaluateRules(rules, features), features };
}

export function assessTopUp(tx: DbTx, event: TopUpEvent): Promise<TopUpRiskAssessment> {
  return assessEvent(tx, { kind: "TOP_UP" as const, ...event });
}

async function recordDecisions(
  tx: DbTx,
  assessment: RiskAssessment,
  outcome: Outcome,
  transactionId: string | null,
): Promise<string | null> {
  const { event, verdict } = assessment;
  let decidingId: string | null = null;
  for (const match of verdict.matches) {
    const row = await tx.riskDecision.create({
      data: {
        occurredAt: event.at,
        eventKind: event.kind,
        customerId: event.customerId,
        // The deciding rule's row carries the outcome applied (a step-up without a factor is held); others their own.
        outcome: match === verdict.deciding ? outcome : match.rule.outcome,
        ruleId: match.rule.id,
        ruleKey: match.rule.ruleKey,
        ruleVersion: match.rule.version,
        features: {
          ...match.triggeredBy,
          ...(match.failed ? { evaluationFailed: true } : {}),
        } as Prisma.InputJsonValue,
        amount: event.kind === "TOP_UP" || event.kind === "PURCHASE" ? event.amount : null,
        channel: event.kind === "TOP_UP" ? event.channel : null,
        transactionId,
      },
      select: { id: true },
    });
    if (match === verdict.deciding) decidingId = row.id;
  }
  return decidingId;
}

/** Wrong step-up codes a customer may type before step-ups lock until they sign in again with password and code. */
export const MAX_STEP_UP_FAILURES = 5;

/** A step-up code's check: right (its time step is spent), wrong, none given, or refused because step-ups are locked. */
type StepUpCheck = "PASSED" | "WRONG" | "MISSING" | "LOCKED";

/**
 * Checks the customer's authenticator code for a step-up, spending its time step so it cannot be replayed. A try is
 * claimed before the code is compared: the UPDATE holds the credential row until this transaction ends, so concurrent
 * guesses queue behind each other and each sees the count the previous one committed (a six-digit code must not be
 * guessable by firing many requests at once). The try counted by a wrong code commits with the refusal; the one that
 * reaches the limit stamps the lock, which only a completed sign-in lifts (customer-auth-two-factor.server.ts).
 */
async function checkStepUpCode(
  tx: DbTx,
  customerId: string,
  code: string | null | undefined,
  at: Date,
): Promise<StepUpCheck> {
  if (!code) {
    const credential = await tx.customerTotpCredential.findUnique({
      where: { customerId },
      select: { stepUpLockedAt: true },
    });
    return credential?.stepUpLockedAt ? "LOCKED" : "MISSING";
  }
  const [claimed] = await tx.$queryRaw<{ secret_encrypted: string; step_up_failures: number }[]>`
    UPDATE customer_totp_credential SET step_up_failures = step_up_failures + 1
     WHERE customer_id = ${customerId}::uuid AND step_up_locked_at IS NULL AND step_up_failures < ${MAX_STEP_UP_FAILURES}
     RETURNING secret_encrypted, step_up_failures`;
  if (!claimed) {
    const credential = await tx.customerTotpCredential.findUnique({
      where: { customerId },
      select: { customerId: true },
    });
    if (!credential) return "WRONG";
    // The count reached the limit without a lock stamped (a try whose transaction failed after it): stamp it now.
    await tx.customerTotpCredential.updateMany({
      where: { customerId, stepUpLockedAt: null },
      data: { stepUpLockedAt: at },
    });
    return "LOCKED";
  }
  const secret = decryptSecret(claimed.secret_encrypted, customerSecretBinding(customerId));
  const step = secret ? matchTotpStep(secret, code, at) : null;
  if (step !== null) {
    const spent = await tx.customerTotpCredential.updateMany({
      where: { customerId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
      data: { lastUsedStep: step, stepUpFailures: 0 },
    });
    if (spent.count === 1) return "PASSED";
  }
  if (claimed.step_up_failures >= MAX_STEP_UP_FAILURES) {
    await tx.customerTotpCredential.update({ where: { customerId }, data: { stepUpLockedAt: at } });
    return "LOCKED";
  }
  return "WRONG";
}

function secondFactorRefusal(check: Exclude<StepUpCheck, "PASSED">): SecondFactorRefusalKind {
  return check === "MISSING" ? "REQUIRED" : check === "WRONG" ? "INVALID" : "LOCKED";
}

/**
 * Applies the verdict before any money moves. Returns the refusal to throw once the transaction has committed (the
 * decision and, for a hold, the review item are kept), or null when the top-up may go on (then call
 * recordAllowedTopUp after posting it).
 */
export async function applyVerdictBeforeMoney(
  tx: DbTx,
  assessment: TopUpRiskAssessment,
  input: {
    fundingSourceId: string;
    secondFactorCode?: string | null;
    /** The top-up's stored idempotency key: a held top-up keeps it, so its retries find this one review item. */
    storedKey?: string | null;
  },
): Promise<RiskBlockedRefusal | RiskHeldRefusal | RiskSecondFactorRequired | null> {
  const { verdict, event, features } = assessment;
  let outcome = verdict.outcome;
  if (outcome === "STEP_UP") {
    // Without an enrolled factor there is nothing to step up to: a person decides instead.
    if (features?.has_2fa !== true) outcome = "HOLD";
    else {
      const check = await checkStepUpCode(tx, event.customerId, input.secondFactorCode, event.at);
      if (check === "PASSED") return null;
      await recordDecisions(tx, assessment, "STEP_UP", null);
      return new RiskSecondFactorRequired(secondFactorRefusal(check));
    }
  }
  if (outcome === "BLOCK") {
    await recordDecisions(tx, assessment, "BLOCK", null);
    return new RiskBlockedRefusal();
  }
  if (outcome === "HOLD") {
    const decisionId = await recordDecisions(tx, assessment, "HOLD", null);
    const review = await tx.riskReview.create({
      data: {
        decisionId: decisionId!,
        customerId: event.customerId,
        fundingSourceId: input.fundingSourceId,
        channel: event.channel,
        amount: event.amount,
        createdAt: event.at,
        idempotencyKey: input.storedKey ?? null,
      },
      select: { id: true },
    });
    return new RiskHeldRefusal(review.id);
  }
  return null;
}

/** Records the matches of an event that went through (monitor-only rules, a passed step-up), with its transaction. */
export async function recordAllowedEvent(tx: DbTx, assessment: RiskAssessment, transactionId: string | null) {
  if (assessment.verdict.matches.length === 0) return;
  await recordDecisions(tx, assessment, assessment.verdict.outcome, transactionId);
}

export function recordAllowedTopUp(tx: DbTx, assessment: TopUpRiskAssessment, transactionId: string) {
  return recordAllowedEvent(tx, assessment, transactionId);
}

/**
 * The verdict of an event that cannot wait for a person (a payment at the till, a contact change in the app), before
 * anything moves: a step-up asks for the customer's authenticator code (a hold when they have none), a hold or block
 * refuses. Returns the refusal to throw once the transaction has committed (its decision is kept), or null when the
 * event may go on (then call recordAllowedEvent after it).
 */
async function applyVerdictBeforeActing<E extends RiskEvent, Refusal, SecondFactor>(
  tx: DbTx,
  assessment: RiskAssessment<E>,
  secondFactorCode: string | null | undefined,
  refusals: {
    refuse: (outcome: "BLOCK" | "HOLD") => Refusal;
    secondFactor: (why: SecondFactorRefusalKind) => SecondFactor;
  },
): Promise<Refusal | SecondFactor | null> {
  const { verdict, event, features } = assessment;
  let outcome = verdict.outcome;
  if (outcome === "STEP_UP") {
    if (features?.has_2fa !== true) outcome = "HOLD";
    else {
      const check = await checkStepUpCode(tx, event.customerId, secondFactorCode, event.at);
      if (check === "PASSED") return null;
      await recordDecisions(tx, assessment, "STEP_UP", null);
      return refusals.secondFactor(secondFactorRefusal(check));
    }
  }
  if (outcome === "BLOCK" || outcome === "HOLD") {
    await recordDecisions(tx, assessment, outcome, null);
    return refusals.refuse(outcome);
  }
  return null;
}

/** A purchase's verdict before any money moves (applyVerdictBeforeActing): a hold or block refuses it at the till. */
export function applyVerdictToPurchase(
  tx: DbTx,
  assessment: PurchaseRiskAssessment,
  secondFactorCode: string | null | undefined,
): Promise<PurchaseDeclinedRefusal | PurchaseSecondFactorRequired | null> {
  return applyVerdictBeforeActing(tx, assessment, secondFactorCode, {
    refuse: () => new PurchaseDeclinedRefusal(),
    secondFactor: (why) => new PurchaseSecondFactorRequired(why),
  });
}

/**
 * A sign-in's verdict, after the password and before any session or challenge. REFUSE: the sign-in is refused (the
 * decision is recorded); SECOND_FACTOR: the customer must pass their authenticator's challenge; PROCEED: as usual.
 */
export async function applyVerdictToSignIn(
  tx: DbTx,
  assessment: SignInRiskAssessment,
  hasAuthenticator: boolean,
): Promise<"REFUSE" | "SECOND_FACTOR" | "PROCEED"> {
  const { verdict } = assessment;
  if (verdict.matches.length === 0) return "PROCEED";
  let outcome = verdict.outcome;
  if (outcome === "STEP_UP" && !hasAuthenticator) outcome = "HOLD";
  await recordDecisions(tx, assessment, outcome, null);
  if (outcome === "BLOCK" || outcome === "HOLD") return "REFUSE";
  return outcome === "STEP_UP" ? "SECOND_FACTOR" : "PROCEED";
}

/** A contact change's verdict before anything is changed (applyVerdictBeforeActing). */
export function applyVerdictToContactChange(
  tx: DbTx,
  assessment: ContactChangeRiskAssessment,
  secondFactorCode: string | null | undefined,
): Promise<ContactChangeRefusal | ContactChangeSecondFactorRequired | null> {
  return applyVerdictBeforeActing(tx, assessment, secondFactorCode, {
    refuse: (outcome) => new ContactChangeRefusal(outcome),
    secondFactor: (why) => new ContactChangeSecondFactorRequired(why),
  });
}

/**
 * A reset request's verdict: true when a link may be sent. Any other outcome sends none; the caller answers the
 * requester exactly as it answers everyone. Every match is recorded.
 */
export async function applyVerdictToResetRequest(tx: DbTx, assessment: ResetRequestRiskAssessment): Promise<boolean> {
  const { verdict, features } = assessment;
  if (verdict.matches.length === 0) return true;
  let outcome = verdict.outcome;
  if (outcome === "STEP_UP" && features?.has_2fa !== true) outcome = "HOLD";
  await recordDecisions(tx, assessment, outcome, null);
  return outcome === "ALLOW";
}
