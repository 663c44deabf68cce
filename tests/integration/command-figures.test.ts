// The command center's figures reconcile with the ledger and the outbox: each is recomputed here independently, from
// the raw rows (read with plain findMany, summed in JavaScript), and must equal the dashboard's aggregation queries.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { transitionCase } from "~/incidents/cases.server";
import { loadCommandFigures } from "~/incidents/command/figures.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { createIncident, createStaffContext, createStore, createVictim, newKey } from "../support/ledger-fixtures";

const ONE_HOUR = 60 * 60 * 1000;

async function buildIncident() {
  const incident = await createIncident(prisma, new Date(Date.now() - 6 * ONE_HOUR));
  const shinjuku = await createStore(prisma);
  const other = await createStore(prisma);
  const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
  const a = await createVictim(prisma, incident, shinjuku, {
    ownBalance: 5_000,
    topUps: [30_000, 20_000],
    purchases: [40_000],
    secured: true,
  });
  const b = await createVictim(prisma, incident, other, { topUps: [10_000], purchases: [3_000] });
  const c = await createVictim(prisma, incident, shinjuku, { topUps: [7_000], purchases: [] });
  const bystander = await createVictim(
    prisma,
    { ...incident, id: (await createIncident(prisma, incident.openedAt)).id },
    shinjuku,
    {
      topUps: [99_000],
      purchases: [],
    },
  );
  const reverse = (customerId: string, transactionId: string, amount: number) =>
    reverseCharge(lead, { customerId, transactionId, amount, reasonCode: "FRAUDULENT", idempotencyKey: newKey() });
  await reverse(a.customer.id, a.purchaseIds[0]!, 40_000); // store → wallet: not "reversed" money
  await reverse(a.customer.id, a.topUpIds[0]!, 30_000);
  await reverse(b.customer.id, b.topUpIds[0]!, 4_000); // partial
  // Notices in several states, a bulk job, and a case walked along the flow.
  for (const [customer, status] of [
    [a, "SENT"],
    [b, "FAILED"],
    [c, "QUEUED"],
  ] as const) {
    await prisma.outboundMessage.create({
      data: {
        dedupeKey: `test:${randomUUID()}`,
        incidentId: incident.id,
        customerId: customer.customer.id,
        template: "incident-notice",
        language: "ja",
        messageIdHeader: `<${randomUUID()}@test>`,
        status,
        recipient: "victim@wallet-test.example",
        subject: "お知らせ",
        textBody: "本文",
        htmlBody: "<p>本文</p>",
        nextAttemptAt: new Date(),
        sentAt: status === "SENT" ? new Date() : null,
        failure: status === "FAILED" ? "REJECTED" : null,
      },
    });
  }
  await prisma.bulkJob.create({
    data: {
      kind: "bulk-reversal",
      params: {},
      totals: {},
      incidentId: incident.id,
      createdById: lead.actor.id,
      createdByRole: "SECURITY_LEAD",
      createdAt: new Date(),
      itemsTotal: 10,
      itemsSucceeded: 6,
      itemsFailed: 1,
      amountDone: 12_345,
    },
  });
  const caseA = await prisma.incidentCase.findFirstOrThrow({
    where: { incidentId: incident.id, customerId: a.customer.id },
  });
  await transitionCase(lead, { caseId: caseA.id, from: "OPEN", to: "CONTAINED" });
  return { incident, lead, victims: [a, b, c], bystander };
}

describe("command center figures", () => {
  it("reconcile with an independent recomputation from the ledger and the outbox", async () => {
    const { incident } = await buildIncident();
    const before = new Date();
    const figures = await loadCommandFigures(incident.code);
    expect(figures.computedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());

    const victimIds = (await prisma.incidentCase.findMany({ where: { incidentId: incident.id } })).map(
      (c) => c.customerId,
    );
    const transactions = await prisma.ledgerTransaction.findMany({ where: { customerId: { in: victimIds } } });
    const stolen = transactions.filter((t) => t.kind === "TOP_UP" && t.occurredAt >= incident.openedAt);
    const stolenIds = new Set(stolen.map((t) => t.id));
    const reversals = transactions.filter((t) => t.kind === "REVERSAL" && t.reversesId && stolenIds.has(t.reversesId));
    const sum = (rows: { amount: number }[]) => rows.reduce((total, row) => total + row.amount, 0);

    expect(figures.money.stolenYen).toBe(sum(stolen));
    expect(figures.money.reversedYen).toBe(sum(reversals));
    expect(figures.money.outstandingYen).toBe(sum(stolen) - sum(reversals));
    expect(figures.money.victims).toBe(victimIds.length);
    expect([figures.money.stolenYen, figures.money.reversedYen]).toEqual([67_000, 34_000]);
    // The cumulative series ends at the totals and never goes down.
    const last = figures.money.series.at(-1)!;
    expect([last.stolenYen, last.reversedYen]).toEqual([figures.money.stolenYen, figures.money.reversedYen]);
    for (let i = 1; i < figures.money.series.length; i++) {
      expect(figures.money.series[i]!.stolenYen).toBeGreaterThanOrEqual(figures.money.series[i - 1]!.stolenYen);
      expect(figures.money.series[i]!.at).toBeGreaterThan(figures.money.series[i - 1]!.at);
    }

    const messages = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    const count = (status: string) => messages.filter((m) => m.status === status).length;
    const bounced = messages.filter((m) => m.status === "FAILED" && m.failure === "REJECTED").length;
    expect(figures.campaigns).toEqual([
      {
        template: "incident-notice",
        total: messages.length,
        queued: count("QUEUED") + count("SENDING"),
        sent: count("SENT") + count("FAILED") + count("UNCERTAIN"),
        delivered: count("SENT"),
        bounced,
        failed: count("FAILED") - bounced,
        skipped: count("SKIPPED"),
        uncertain: count("UNCERTAIN"),
      },
    ]);
    expect(figures.campaigns[0]).toMatchObject({ delivered: 1, bounced: 1, failed: 0, queued: 1 });

    const jobs = await prisma.bulkJob.findMany({ where: { incidentId: incident.id } });
    expect(figures.jobs.map((j) => [j.total, j.succeeded, j.failed, j.amountDoneYen])).toEqual(
      jobs.map((j) => [j.itemsTotal, j.itemsSucceeded, j.itemsFailed, Number(j.amountDone)]),
    );

    const purchases = await prisma.purchase.findMany({
      where: { customerId: { in: victimIds }, occurredAt: { gte: incident.openedAt } },
      include: { store: true, items: true },
    });
    const perStore = new Map<string, number>();
    for (const p of purchases) perStore.set(p.store.code, (perStore.get(p.store.code) ?? 0) + p.total);
    expect(new Map(figures.stores.map((s) => [s.key, s.yen]))).toEqual(perStore);
    const perProduct = new Map<string, number>();
    for (const item of purchases.flatMap((p) => p.items)) {
      perProduct.set(item.categoryCode, (perProduct.get(item.categoryCode) ?? 0) + item.quantity * item.unitPrice);
    }
    expect(new Map(figures.products.map((p) => [p.key, p.yen]))).toEqual(perProduct);

    const cases = await prisma.incidentCase.findMany({ where: { incidentId: incident.id } });
    for (const stage of figures.funnel) {
      expect(stage.current).toBe(cases.filter((c) => c.status === stage.status).length);
    }
    expect(figures.funnel.find((s) => s.status === "CONTAINED")).toMatchObject({ current: 1, reached: 1 });
    expect(figures.funnel.find((s) => s.status === "OPEN")).toMatchObject({ current: 2, reached: 3 });
    expect(figures.funnel.find((s) => s.status === "CONTAINED")!.medianMsFromOpen).toBeGreaterThanOrEqual(0);
  });

  it("answer an unknown incident with a not-found error, not a crash", async () => {
    await expect(loadCommandFigures("INC-NO-SUCH")).rejects.toMatchObject({ code: "INCIDENT_NOT_FOUND" });
    await expect(loadCommandFigures(randomUUID())).rejects.toMatchObject({ code: "INCIDENT_NOT_FOUND" });
  });
});
