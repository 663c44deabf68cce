// The incident timeline: chronological, and every audited action of the incident appears exactly once, linked to its
// audit row; the wallet's first fraudulent top-up and registered sources (the early-warning alerts) join it.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { transitionCase } from "~/incidents/cases.server";
import { findIncident } from "~/incidents/command/figures.server";
import { loadTimeline, registerTimelineSource, unregisterTimelineSource } from "~/incidents/command/timeline.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { createIncident, createStaffContext, createStore, createVictim, newKey } from "../support/ledger-fixtures";

const ONE_HOUR = 60 * 60 * 1000;

afterEach(() => unregisterTimelineSource("test-alerts"));

describe("incident timeline", () => {
  it("lists every audited action of the incident once, in order, with its audit row", async () => {
    const opened = new Date(Date.now() - 3 * ONE_HOUR);
    const incident = await createIncident(prisma, opened);
    const store = await createStore(prisma);
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const victim = await createVictim(prisma, incident, store, { topUps: [12_000, 8_000], purchases: [] });
    const caseRow = await prisma.incidentCase.findFirstOrThrow({ where: { incidentId: incident.id } });
    await transitionCase(lead, { caseId: caseRow.id, from: "OPEN", to: "CONTAINED" });
    await reverseCharge(lead, {
      customerId: victim.customer.id,
      transactionId: victim.topUpIds[0]!,
      amount: 12_000,
      reasonCode: "FRAUDULENT",
      idempotencyKey: newKey(),
    });
    await transitionCase(lead, { caseId: caseRow.id, from: "CONTAINED", to: "REMEDIATED" });
    // A stale transition (someone moved the case meanwhile) is audited as FAILED and belongs to the record too.
    await expect(transitionCase(lead, { caseId: caseRow.id, from: "OPEN", to: "CONTAINED" })).rejects.toThrow();

    const ref = await findIncident(incident.id);
    const { entries } = await loadTimeline(ref, { until: new Date() });

    const audited = await prisma.auditEvent.findMany({ where: { incidentId: incident.id }, orderBy: { seq: "asc" } });
    expect(audited.length).toBeGreaterThanOrEqual(3);
    const seqs = entries.filter((e) => e.auditSeq !== null).map((e) => e.auditSeq);
    for (const row of audited) expect(seqs.filter((s) => s === row.seq.toString())).toHaveLength(1);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);

    for (let i = 1; i < entries.length; i++) {
      expect(entries[i]!.at.getTime()).toBeGreaterThanOrEqual(entries[i - 1]!.at.getTime());
    }
    expect(entries[0]).toMatchObject({ action: "wallet.first-fraudulent-top-up", category: "wallet" });
    expect(entries[0]!.at.getTime()).toBe(opened.getTime() + 60_000);
    expect(entries.filter((e) => e.action === "case.transition").map((e) => e.outcome)).toEqual([
      "SUCCESS",
      "SUCCESS",
      "FAILED",
    ]);

    const cases = await loadTimeline(ref, { until: new Date(), categories: ["case"] });
    expect(cases.entries.length).toBeGreaterThanOrEqual(3);
    expect(cases.entries.every((e) => e.category === "case")).toBe(true);
  });

  it("takes entries from a registered source, such as the early-warning alerts", async () => {
    const incident = await createIncident(prisma, new Date(Date.now() - ONE_HOUR));
    const alertAt = new Date(incident.openedAt.getTime() + 5 * 60_000);
    registerTimelineSource("test-alerts", async (ref) =>
      ref.id === incident.id
        ? [
            {
              id: `alert:${randomUUID()}`,
              at: alertAt,
              category: "alert",
              action: "alert.raised",
              outcome: null,
              actor: null,
              summary: "Top-ups from new devices above baseline",
              auditSeq: null,
            },
          ]
        : [],
    );
    const { entries } = await loadTimeline(await findIncident(incident.code), { until: new Date() });
    expect(entries.map((e) => e.action)).toEqual(["alert.raised"]);
  });
});
