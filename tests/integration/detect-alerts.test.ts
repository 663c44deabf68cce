// Handling an alert through the spine: acknowledge (once), link to an incident, turn into a cohort in one click.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { acknowledgeAlert, createCohortFromAlert, linkAlertToIncident } from "~/detect/alerts.server";
import { subscribeToAlerts, type FeedAlert } from "~/detect/alert-feed.server";
import { PermissionDeniedError } from "~/lib/domain-error";
import { createTestCustomer } from "../support/customers";
import { staffContext } from "../support/staff";
import { createIncident } from "../support/notify-fixtures";

async function createAlert(accounts: string[]) {
  return prisma.detectAlert.create({
    data: {
      detector: "signin-new-device-abroad",
      version: 1,
      minute: new Date("2019-07-01T03:00:00Z"),
      raisedAt: new Date("2019-07-01T03:01:00Z"),
      severity: "MEDIUM",
      peakSeverity: "MEDIUM",
      value: 9,
      baseline: { method: "weekly", centre: 0, spread: 0, level: 0.02, samples: 350 },
      evidence: { accounts, devices: ["dev-a"], ips: ["36.110.1.1"], stores: [] },
      lastAboveAt: new Date("2019-07-01T03:00:00Z"),
    },
  });
}

describe("alert handling", () => {
  it("a security lead acknowledges an alert once; the second attempt changes nothing and says why", async () => {
    const alert = await createAlert([]);
    const lead = staffContext("SECURITY_LEAD", { steppedUp: true });
    await acknowledgeAlert(lead, alert.id);
    const after = await prisma.detectAlert.findUniqueOrThrow({ where: { id: alert.id } });
    expect(after.acknowledgedById).toBe(lead.actor.id);
    await expect(acknowledgeAlert(staffContext("SECURITY_LEAD", { steppedUp: true }), alert.id)).rejects.toMatchObject({
      code: "ALERT_ALREADY_ACKNOWLEDGED",
      status: 409,
    });
    expect((await prisma.detectAlert.findUniqueOrThrow({ where: { id: alert.id } })).acknowledgedById).toBe(
      lead.actor.id,
    );
    const audit = await prisma.auditEvent.findMany({
      where: { action: "detect.alert.acknowledge", targetId: alert.id },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((a) => a.outcome)).toEqual(["SUCCESS", "FAILED"]);
  });

  it("an agent may not acknowledge: denied and audited", async () => {
    const alert = await createAlert([]);
    await expect(acknowledgeAlert(staffContext("AGENT", { steppedUp: true }), alert.id)).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    const audit = await prisma.auditEvent.findMany({
      where: { action: "detect.alert.acknowledge", targetId: alert.id },
    });
    expect(audit.map((a) => a.outcome)).toEqual(["DENIED"]);
  });

  it("links an alert to an incident and turns its accounts into a cohort of that incident", async () => {
    const customers = [(await createTestCustomer(prisma)).customer.id, (await createTestCustomer(prisma)).customer.id];
    const alert = await createAlert([...customers, "00000000-0000-4000-8000-000000000000"]);
    const incident = await createIncident();
    const lead = staffContext("SECURITY_LEAD", { steppedUp: true });
    await linkAlertToIncident(lead, alert.id, incident.id);
    const cohort = await createCohortFromAlert(lead, alert.id);
    const saved = await prisma.cohort.findUniqueOrThrow({ where: { id: cohort.id }, include: { members: true } });
    expect(saved.incidentId).toBe(incident.id);
    // Only accounts that exist are members (evidence may name an account deleted since).
    expect(saved.members.map((m) => m.customerId).sort()).toEqual([...customers].sort());
    expect(saved.memberCount).toBe(2);
    expect((await prisma.detectAlert.findUniqueOrThrow({ where: { id: alert.id } })).cohortId).toBe(cohort.id);
    await expect(createCohortFromAlert(lead, alert.id)).rejects.toMatchObject({ code: "ALERT_HAS_COHORT" });
    const audit = await prisma.auditEvent.findMany({ where: { action: "cohort.save", targetId: cohort.id } });
    expect(audit).toHaveLength(1);
  });

  it("refuses a link to an incident that does not exist, changing nothing", async () => {
    const alert = await createAlert([]);
    await expect(
      linkAlertToIncident(
        staffContext("SECURITY_LEAD", { steppedUp: true }),
        alert.id,
        "00000000-0000-4000-8000-000000000001",
      ),
    ).rejects.toMatchObject({ code: "INCIDENT_NOT_FOUND" });
    expect((await prisma.detectAlert.findUniqueOrThrow({ where: { id: alert.id } })).incidentId).toBeNull();
  });

  it("one poll feeds every subscriber the unacknowledged alerts", async () => {
    await prisma.detectAlert.updateMany({ data: { acknowledgedAt: new Date() } });
    const alert = await createAlert([]);
    const seen: FeedAlert[][] = [[], []];
    const stops = [0, 1].map((k) => subscribeToAlerts((alerts) => seen[k]!.push(...alerts)));
    // The feed polls once a second; 30 s leaves room for a loaded 2-core machine, where 10 s is short.
    await expect
      .poll(() => seen.map((s) => s.some((a) => a.id === alert.id)), { timeout: 30_000 })
      .toEqual([true, true]);
    for (const stop of stops) stop();
  });
});
