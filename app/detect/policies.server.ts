// Containment policies: "if detector X alerts at or above severity S, engage switch Y". Proposed by one security lead,
// active only once a second one approves (off by default); fired by the system actor, audited, at most once per alert.
// Releasing the switch afterwards is the ordinary four-eyes release of the kill-switch board.
import { NO_ORIGIN } from "~/audit/actor";
import { appendAuditEvents } from "~/audit/audit-log.server";
import { assertRequesterStillEntitled } from "~/audit/actor-authority.server";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { prisma, type DbTx } from "~/db.server";
import { TRANSACTION_OPTIONS } from "~/db/transaction-options";
import { engageSwitch } from "~/killswitch/engage.server";
import { now } from "~/lib/clock.server";
import { DomainError, isDomainError } from "~/lib/domain-error";
import { severityRank, type Severity } from "./definitions";
import { auditOfMail, mailLeadsAboutContainment } from "./lead-mail.server";
import type { ProposePolicyInput } from "./policy-schema";

export type { ProposePolicyInput };

export const POLICY_ACTOR = { kind: "system" as const, id: "system:containment" };

function staffIdOf(ctx: ActionContext): string {
  if (ctx.actor.kind !== "staff") throw new DomainError("STAFF_ONLY", "detect:errors.staffOnly", 403);
  return ctx.actor.id;
}

export async function listPolicies() {
  return prisma.containmentPolicy.findMany({
    orderBy: { proposedAt: "desc" },
    include: { firings: { orderBy: { firedAt: "desc" }, take: 5 } },
  });
}

export async function proposePolicy(ctx: ActionContext, proposal: ProposePolicyInput): Promise<{ id: string }> {
  const proposedById = staffIdOf(ctx);
  // Only the proposal's own fields: anything else a caller passes along (a status, an approver) must not reach the
  // row, or a policy could be born ACTIVE without the second lead.
  const input = { detector: proposal.detector, minSeverity: proposal.minSeverity, switchKey: proposal.switchKey };
  return performAction(
    ctx,
    { action: "detect.policy.propose", permission: "policies:manage", targetType: "containment_policy" },
    async (tx) => {
      const target = await tx.killSwitch.findUnique({ where: { key: input.switchKey }, select: { key: true } });
      if (!target) throw new DomainError("POLICY_UNKNOWN_SWITCH", "detect:errors.unknownSwitch", 400);
      const policy = await tx.containmentPolicy.create({
        data: { ...input, proposedById, proposedAt: now() },
      });
      return { result: { id: policy.id }, targetId: policy.id, before: null, after: { ...input, status: "PROPOSED" } };
    },
  );
}

export async function approvePolicy(ctx: ActionContext, policyId: string): Promise<void> {
  const approvedById = staffIdOf(ctx);
  await performAction(
    ctx,
    {
      action: "detect.policy.approve",
      permission: "policies:manage",
      targetType: "containment_policy",
      targetId: policyId,
    },
    async (tx) => {
      const policy = await tx.containmentPolicy.findUnique({ where: { id: policyId } });
      if (!policy) throw new DomainError("POLICY_NOT_FOUND", "detect:errors.policyNotFound", 404);
      if (policy.proposedById === approvedById) {
        throw new DomainError("POLICY_NEEDS_SECOND_LEAD", "detect:errors.secondLead", 403);
      }
      await assertRequesterStillEntitled(tx, policy.proposedById, "policies:manage");
      // Conditional: only a proposal becomes active, and only once.
      const updated = await tx.containmentPolicy.updateMany({
        where: { id: policyId, status: "PROPOSED", proposedById: { not: approvedById } },
        data: { status: "ACTIVE", approvedById, approvedAt: now() },
      });
      if (updated.count === 0) throw new DomainError("POLICY_NOT_PROPOSED", "detect:errors.notProposed", 409);
      return { result: undefined, before: { status: policy.status }, after: { status: "ACTIVE" } };
    },
  );
}

export async function disablePolicy(ctx: ActionContext, policyId: string): Promise<void> {
  const disabledById = staffIdOf(ctx);
  await performAction(
    ctx,
    {
      action: "detect.policy.disable",
      permission: "policies:manage",
      targetType: "containment_policy",
      targetId: policyId,
      // Turning a policy off removes the automatic stop the next wave would meet: on a stolen lead session that is the
      // attacker's way to run the next wave unopposed. A fresh code, as for turning off a live risk rule.
      stepUp: true,
    },
    async (tx) => {
      const updated = await tx.containmentPolicy.updateMany({
        where: { id: policyId, status: { not: "DISABLED" } },
        data: { status: "DISABLED", disabledById, disabledAt: now() },
      });
      if (updated.count === 0) throw new DomainError("POLICY_NOT_FOUND", "detect:errors.policyNotFound", 404);
      return { result: undefined, after: { status: "DISABLED" } };
    },
  );
}

/**
 * Engages the switch of every active policy whose detector has an open alert at or above its severity, raised
 * since the policy was approved, that the policy has not fired for yet. The firing row is claimed first (unique per
 * policy and alert), so two workers, or a retry, never fire a policy twice for the same alert. What the firing did —
 * its outcome, the leads' mail and its audit row — commits in the same transaction as the switch's engagement, or,
 * when the switch was not engaged, in one transaction of its own: a worker killed (or whose connection is ended) at
 * any point leaves either a claim with nothing done, which a later run finishes, or the whole firing (ADR 076).
 */
// A firing still CLAIMED this long after its claim was cut off before its outcome was recorded (a worker killed, its
// connection lost between the claim and the engage): nothing of it committed, so a later run takes the claim over
// and fires it. Far longer than a firing takes; a run whose claim was taken over meanwhile commits nothing (its
// settlement finds the claim no longer its own and rolls the engagement back).
export const FIRING_CLAIM_LEASE_MS = 60_000;

interface FiringClaim {
  policy: { id: string; switchKey: string };
  alert: { id: string; detector: string; peakSeverity: string };
  /** The claim's time: this run's token on the row (a run that takes the claim over writes its own). */
  claimedAt: Date;
}

/** This run's claim on the policy's firing for the alert: a new claim, or one abandoned past its lease; else null. */
async function claimFiring(policyId: string, alertId: string): Promise<Date | null> {
  const at = now();
  const claimed = await prisma.containmentFiring.createMany({
    data: [{ policyId, alertId, firedAt: at, outcome: "CLAIMED" }],
    skipDuplicates: true,
  });
  if (claimed.count === 1) return at;
  const abandoned = await prisma.containmentFiring.updateMany({
    where: { policyId, alertId, outcome: "CLAIMED", firedAt: { lt: new Date(at.getTime() - FIRING_CLAIM_LEASE_MS) } },
    data: { firedAt: at },
  });
  return abandoned.count === 1 ? at : null;
}

const TAKEN_OVER = "POLICY_FIRING_TAKEN_OVER";

/**
 * Records the firing's outcome, queues the leads' mail (one per lead and firing, whatever its outcome: a switch that
 * could not be engaged is the news they need most) and returns the firing's audit row, all in `tx`, and only while the
 * claim is still this run's.
 */
async function settleFiring(tx: DbTx, claim: FiringClaim, outcome: string, detail: string | null) {
  const { policy, alert } = claim;
  const settled = await tx.containmentFiring.updateMany({
    where: { policyId: policy.id, alertId: alert.id, outcome: "CLAIMED", firedAt: claim.claimedAt },
    data: { outcome, detail },
  });
  if (settled.count === 0) throw new DomainError(TAKEN_OVER, "detect:errors.firingTakenOver", 409);
  const mail = await mailLeadsAboutContainment(tx, {
    policyId: policy.id,
    alertId: alert.id,
    detector: alert.detector,
    severity: alert.peakSeverity,
    switchKey: policy.switchKey,
    outcome,
  });
  return {
    action: "detect.policy.fire",
    outcome: outcome === "FAILED" ? ("FAILED" as const) : ("SUCCESS" as const),
    targetType: "containment_policy",
    targetId: policy.id,
    after: { alertId: alert.id, switchKey: policy.switchKey, outcome, ...auditOfMail(mail) },
  };
}

/** Fires one claimed policy for one alert; the outcome, or null when another run took the claim over meanwhile. */
async function fire(claim: FiringClaim): Promise<string | null> {
  const { policy, alert } = claim;
  try {
    await engageSwitch(
      { actor: POLICY_ACTOR, origin: NO_ORIGIN },
      {
        key: policy.switchKey,
        reason: `Containment policy ${policy.id}: ${alert.detector} alerted at ${alert.peakSeverity} (alert ${alert.id}).`,
      },
      async (tx) => [await settleFiring(tx, claim, "ENGAGED", null)],
    );
    return "ENGAGED";
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (error.code === TAKEN_OVER) return null;
    const outcome = error.code === "KILL_SWITCH_ALREADY_ENGAGED" ? "ALREADY_ENGAGED" : "FAILED";
    try {
      await prisma.$transaction(async (tx) => {
        const event = await settleFiring(tx, claim, outcome, error.code);
        await appendAuditEvents(tx, [{ actor: POLICY_ACTOR, origin: NO_ORIGIN, ...event }]);
      }, TRANSACTION_OPTIONS);
    } catch (settling) {
      if (isDomainError(settling) && settling.code === TAKEN_OVER) return null;
      throw settling;
    }
    return outcome;
  }
}

export async function fireContainmentPolicies(): Promise<{ policyId: string; alertId: string; outcome: string }[]> {
  const policies = await prisma.containmentPolicy.findMany({ where: { status: "ACTIVE" } });
  const fired: { policyId: string; alertId: string; outcome: string }[] = [];
  for (const policy of policies) {
    const alerts = await prisma.detectAlert.findMany({
      where: { detector: policy.detector, endedAt: null, raisedAt: { gte: policy.approvedAt ?? undefined } },
    });
    for (const alert of alerts) {
      if (severityRank(alert.peakSeverity as Severity) < severityRank(policy.minSeverity as Severity)) continue;
      const claimedAt = await claimFiring(policy.id, alert.id);
      if (claimedAt === null) continue;
      const outcome = await fire({ policy, alert, claimedAt });
      if (outcome !== null) fired.push({ policyId: policy.id, alertId: alert.id, outcome });
    }
  }
  return fired;
}
