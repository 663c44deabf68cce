// Risk rules inside the wallet's own transactions. The top-up reads the active rules and computes its features in the
// same transaction that moves the money (as it reads the kill switches), and records every rule that matched with
// the rule's version and the feature values that triggered it. Failing closed: if the rules or the features cannot be
// read, the transaction aborts and the caller refuses the top-up; a rule that cannot be evaluated counts as matched.
import { decryptSecret } from "~/auth/totp-key.server";
import { matchTotpStep } from "~/auth/totp.server";
import type { DbTx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { evaluateRules, rulesForChannel, type Outcome, type RiskVerdict, type RuleForEvaluation } from "~/risk/engine";
import { RiskBlockedRefusal, RiskHeldRefusal, RiskSecondFactorRequired } from "~/risk/errors";
import { readFeatureSnapshot } from "~/risk/feature-snapshot.server";
import { computeTopUpFeatures, type FeatureValues, type TopUpEvent } from "~/risk/features";
import { customerSecretBinding } from "~/wallet/customer-auth-two-factor.server";

export interface TopUpRiskAssessment {
  event: TopUpEvent;
  verdict: RiskVerdict;
  features: FeatureValues | null;
}

/** The active rule versions (all channels). Throws if they cannot be read: the caller fails closed. */
export async function readActiveRules(tx: DbTx): Promise<RuleForEvaluation[]> {
  const rows = await tx.riskRule.findMany({
    where: { status: "ACTIVE" },
    select: { id: true, ruleKey: true, version: true, condition: true, outcome: true, channel: true },
    orderBy: { ruleKey: "asc" },
  });
  return rows;
}

const NOTHING_MATCHED: RiskVerdict = { outcome: "ALLOW", deciding: null, matches: [] };

export async function assessTopUp(tx: DbTx, event: TopUpEvent): Promise<TopUpRiskAssessment> {
  const rules = rulesForChannel(await readActiveRules(tx), event.channel);
  // No rule covers this channel: nothing to compute (the no-rules cost is one indexed read).
  if (rules.length === 0) return { event, verdict: NOTHING_MATCHED, features: null };
  const features = computeTopUpFeatures(event, await readFeatureSnapshot(tx, event));
  return { event, verdict: evaluateRules(rules, features), features };
}

async function recordDecisions(
  tx: DbTx,
  assessment: TopUpRiskAssessment,
  outcome: Outcome,
  transactionId: string | null,
): Promise<string | null> {
  const { event, verdict } = assessment;
  let decidingId: string | null = null;
  for (const match of verdict.matches) {
    const row = await tx.riskDecision.create({
      data: {
        occurredAt: event.at,
        eventKind: "TOP_UP",
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
        amount: event.amount,
        channel: event.channel,
        transactionId,
      },
      select: { id: true },
    });
    if (match === verdict.deciding) decidingId = row.id;
  }
  return decidingId;
}

/** Checks the customer's authenticator code for a step-up, spending its time step so it cannot be replayed. */
async function verifyStepUpCode(tx: DbTx, customerId: string, code: string | null | undefined, at: Date) {
  if (!code) return false;
  const credential = await tx.customerTotpCredential.findUnique({ where: { customerId } });
  if (!credential) return false;
  const secret = decryptSecret(credential.secretEncrypted, customerSecretBinding(customerId));
  if (!secret) return false;
  const step = matchTotpStep(secret, code, at);
  if (step === null) return false;
  const spent = await tx.customerTotpCredential.updateMany({
    where: { customerId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
    data: { lastUsedStep: step },
  });
  return spent.count === 1;
}

/**
 * Applies the verdict before any money moves. Returns the refusal to throw once the transaction has committed (the
 * decision and, for a hold, the review item are kept), or null when the top-up may go on (then call
 * recordAllowedTopUp after posting it).
 */
export async function applyVerdictBeforeMoney(
  tx: DbTx,
  assessment: TopUpRiskAssessment,
  input: { fundingSourceId: string; secondFactorCode?: string | null },
): Promise<RiskBlockedRefusal | RiskHeldRefusal | RiskSecondFactorRequired | null> {
  const { verdict, event, features } = assessment;
  let outcome = verdict.outcome;
  if (outcome === "STEP_UP") {
    // Without an enrolled factor there is nothing to step up to: a person decides instead.
    if (features?.has_2fa !== true) outcome = "HOLD";
    else if (await verifyStepUpCode(tx, event.customerId, input.secondFactorCode, event.at)) return null;
    else {
      await recordDecisions(tx, assessment, "STEP_UP", null);
      return new RiskSecondFactorRequired(Boolean(input.secondFactorCode));
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
      },
      select: { id: true },
    });
    return new RiskHeldRefusal(review.id);
  }
  return null;
}

/** Records the matches of a top-up that went through (monitor-only rules, a passed step-up) with its transaction. */
export async function recordAllowedTopUp(tx: DbTx, assessment: TopUpRiskAssessment, transactionId: string) {
  if (assessment.verdict.matches.length === 0) return;
  await recordDecisions(tx, assessment, assessment.verdict.outcome, transactionId);
}
