// Alerts as the console shows and handles them. Every change goes through the spine (performAction).
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { membersDigest } from "~/incidents/cohorts/save-cohort.server";
import { DomainError } from "~/lib/domain-error";
import type { Evidence } from "./engine";

export const ALERT_LIST_LIMIT = 100;

function staffId(ctx: ActionContext): string {
  if (ctx.actor.kind !== "staff") throw new DomainError("STAFF_ONLY", "detect:errors.staffOnly", 403);
  return ctx.actor.id;
}

export function readEvidence(json: unknown): Evidence {
  const value = (json ?? {}) as Partial<Evidence>;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  return {
    accounts: list(value.accounts),
    devices: list(value.devices),
    ips: list(value.ips),
    stores: list(value.stores),
  };
}

export async function listAlerts() {
  return prisma.detectAlert.findMany({ orderBy: { raisedAt: "desc" }, take: ALERT_LIST_LIMIT });
}

/** The alerts the banner announces: still open and nobody has acknowledged them. */
export async function listUnacknowledgedAlerts() {
  return prisma.detectAlert.findMany({
    where: { endedAt: null, acknowledgedAt: null },
    orderBy: { raisedAt: "desc" },
    select: { id: true, detector: true, peakSeverity: true, raisedAt: true, value: true },
    take: 5,
  });
}

export async function getAlert(id: string) {
  const alert = await prisma.detectAlert.findUnique({ where: { id } });
  if (!alert) return null;
  const incidents = await prisma.incident.findMany({
    orderBy: { openedAt: "desc" },
    select: { id: true, code: true, title: true },
    take: 50,
  });
  const cohort = alert.cohortId
    ? await prisma.cohort.findUnique({ where: { id: alert.cohortId }, select: { id: true, name: true } })
    : null;
  return { alert, evidence: readEvidence(alert.evidence), incidents, cohort };
}

export async function acknowledgeAlert(ctx: ActionContext, alertId: string): Promise<void> {
  const by = staffId(ctx);
  await performAction(
    ctx,
    { action: "detect.alert.acknowledge", permission: "alerts:manage", targetType: "detect_alert", targetId: alertId },
    async (tx) => {
      const at = new Date();
      // Conditional update: a second click, or a second lead at the same moment, changes nothing.
      const updated = await tx.detectAlert.updateMany({
        where: { id: alertId, acknowledgedAt: null },
        data: { acknowledgedAt: at, acknowledgedById: by },
      });
      if (updated.count === 0) {
        const exists = await tx.detectAlert.findUnique({ where: { id: alertId }, select: { id: true } });
        if (!exists) throw new DomainError("ALERT_NOT_FOUND", "detect:errors.notFound", 404);
        throw new DomainError("ALERT_ALREADY_ACKNOWLEDGED", "detect:errors.alreadyAcknowledged", 409);
      }
      return { result: undefined, before: { acknowledgedAt: null }, after: { acknowledgedAt: at.toISOString() } };
    },
  );
}

export async function linkAlertToIncident(ctx: ActionContext, alertId: string, incidentId: string): Promise<void> {
  staffId(ctx);
  await performAction(
    ctx,
    {
      action: "detect.alert.link-incident",
      permission: "alerts:manage",
      targetType: "detect_alert",
      targetId: alertId,
      incidentId,
    },
    async (tx) => {
      const incident = await tx.incident.findUnique({ where: { id: incidentId }, select: { id: true } });
      if (!incident) throw new DomainError("INCIDENT_NOT_FOUND", "detect:errors.incidentNotFound", 404);
      const before = await tx.detectAlert.findUnique({ where: { id: alertId }, select: { incidentId: true } });
      if (!before) throw new DomainError("ALERT_NOT_FOUND", "detect:errors.notFound", 404);
      await tx.detectAlert.update({ where: { id: alertId }, data: { incidentId } });
      return { result: undefined, before, after: { incidentId } };
    },
  );
}

/** One click: the accounts the alert names become a cohort (linked to the alert's incident when it has one). */
export async function createCohortFromAlert(ctx: ActionContext, alertId: string): Promise<{ id: string }> {
  const createdById = staffId(ctx);
  return performAction(
    ctx,
    { action: "cohort.save", permission: "cohorts:build", targetType: "cohort", reason: `from alert ${alertId}` },
    async (tx) => {
      const alert = await tx.detectAlert.findUnique({ where: { id: alertId } });
      if (!alert) throw new DomainError("ALERT_NOT_FOUND", "detect:errors.notFound", 404);
      if (alert.cohortId) throw new DomainError("ALERT_HAS_COHORT", "detect:errors.hasCohort", 409);
      const accounts = readEvidence(alert.evidence).accounts;
      const existing = await tx.customer.findMany({ where: { id: { in: accounts } }, select: { id: true } });
      if (existing.length === 0) {
        throw new DomainError("COHORT_EMPTY", "detect:errors.noAccounts", 422);
      }
      const definition = { source: "detect-alert", alertId, detector: alert.detector, version: alert.version };
      const name = `${alert.detector} ${alert.raisedAt.toISOString().slice(0, 16)}Z`;
      const cohort = await tx.cohort.create({
        data: { name, incidentId: alert.incidentId, definition, memberCount: existing.length, createdById },
      });
      await tx.cohortMember.createMany({
        data: existing.map((c) => ({
          cohortId: cohort.id,
          customerId: c.id,
          riskScore: 0,
          reasons: [{ code: "DETECT_ALERT", points: 0, detail: alert.detector }],
        })),
      });
      await tx.detectAlert.update({ where: { id: alertId }, data: { cohortId: cohort.id } });
      const ids = existing.map((c) => c.id);
      return {
        result: { id: cohort.id },
        targetId: cohort.id,
        before: null,
        after: {
          name,
          incidentId: alert.incidentId,
          memberCount: ids.length,
          definition,
          membersDigest: membersDigest(ids),
        },
      };
    },
  );
}
