// The regulator's breach report: drafted from the incident's data with every item the Commission asks for, figures
// that reconcile with the ledger and the outbox, versions saved through the spine (stale edits refused, rows
// append-only), and audited exports whose PDF says what the ledger says.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { exportReport } from "~/incidents/breach-report/export.server";
import { REPORT_ITEMS, missingItems } from "~/incidents/breach-report/items";
import { draftReport, loadReport, saveReportVersion } from "~/incidents/breach-report/reports.server";
import { loadCommandFigures } from "~/incidents/command/figures.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { createIncident, createStaffContext, createStore, createVictim, newKey } from "../support/ledger-fixtures";
import { extractPdfText } from "../support/pdf-text";

const ONE_DAY = 24 * 60 * 60 * 1000;

async function incidentWithMoney() {
  const incident = await createIncident(prisma, new Date(Date.now() - 2 * ONE_DAY));
  const store = await createStore(prisma);
  const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
  const compliance = await createStaffContext(prisma, "COMPLIANCE");
  const a = await createVictim(prisma, incident, store, { topUps: [30_000, 20_000], purchases: [10_000] });
  const b = await createVictim(prisma, incident, store, { topUps: [17_000], purchases: [] });
  await reverseCharge(lead, {
    customerId: a.customer.id,
    transactionId: a.topUpIds[0]!,
    amount: 30_000,
    reasonCode: "FRAUDULENT",
    idempotencyKey: newKey(),
  });
  await prisma.outboundMessage.create({
    data: {
      dedupeKey: `test:${randomUUID()}`,
      incidentId: incident.id,
      customerId: b.customer.id,
      template: "incident-notice",
      language: "ja",
      messageIdHeader: `<${randomUUID()}@test>`,
      status: "SENT",
      recipient: "victim@wallet-test.example",
      subject: "お知らせ",
      textBody: "本文",
      htmlBody: "<p>本文</p>",
      nextAttemptAt: new Date(),
      sentAt: new Date(),
    },
  });
  return { incident, lead, compliance };
}

describe("breach report", () => {
  it("drafts every item the Commission asks for, with figures that reconcile with the ledger", async () => {
    const { incident, compliance } = await incidentWithMoney();
    const learnedAt = new Date(incident.openedAt.getTime() + ONE_DAY);
    const { id } = await draftReport(compliance, {
      incidentId: incident.id,
      kind: "PRELIMINARY",
      learnedAt,
      unauthorizedIntent: true,
    });
    const report = await loadReport(id);
    expect(REPORT_ITEMS.map((i) => i.key)).toEqual([
      "overview",
      "personalData",
      "persons",
      "cause",
      "secondaryDamage",
      "responseToPersons",
      "publication",
      "recurrence",
      "other",
    ]);
    for (const item of REPORT_ITEMS) expect(report.items[item.key]).toHaveProperty("ja");
    // Publication and other matters are the company's decisions: left for compliance to write.
    expect(missingItems(report.items, "ja")).toEqual(["publication", "other"]);

    const dashboard = await loadCommandFigures(incident.id);
    const victims = await prisma.incidentCase.findMany({ where: { incidentId: incident.id } });
    const ledger = await prisma.ledgerTransaction.findMany({
      where: { customerId: { in: victims.map((v) => v.customerId) } },
    });
    const stolen = ledger.filter((t) => t.kind === "TOP_UP" && t.occurredAt >= incident.openedAt);
    const reversed = ledger.filter((t) => t.kind === "REVERSAL" && stolen.some((s) => s.id === t.reversesId));
    const sum = (rows: { amount: number }[]) => rows.reduce((total, r) => total + r.amount, 0);
    expect(report.figures.values).toMatchObject({
      persons: victims.length,
      stolenYen: sum(stolen),
      reversedYen: sum(reversed),
      noticesSent: 1,
    });
    expect(report.figures.values.stolenYen).toBe(dashboard.money.stolenYen);
    expect(report.figures.values.reversedYen).toBe(dashboard.money.reversedYen);
    expect(report.items.secondaryDamage.ja).toContain("¥67,000");
    expect(report.items.persons.en).toContain("2 persons");
    expect(new Date(report.figures.computedAt).getTime()).toBeGreaterThan(learnedAt.getTime());

    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "breach-report.draft", targetId: id } });
    expect(audit).toMatchObject({ outcome: "SUCCESS", incidentId: incident.id, actorId: compliance.actor.id });
  });

  it("saves each edit as a new version and refuses an edit of a stale version", async () => {
    const { incident, compliance, lead } = await incidentWithMoney();
    const { id } = await draftReport(compliance, {
      incidentId: incident.id,
      kind: "FINAL",
      learnedAt: new Date(incident.openedAt.getTime() + ONE_DAY),
      unauthorizedIntent: false,
    });
    const v1 = await loadReport(id);
    const edited = {
      ...v1.items,
      publication: { ja: "2019年7月4日に当社ウェブサイトで公表。", en: "Published on 4 July 2019." },
    };
    const v2 = await saveReportVersion(compliance, {
      reportId: id,
      baseVersion: 1,
      items: edited,
      unauthorizedIntent: true,
    });
    expect(v2.version).toBe(2);
    const saved = await loadReport(v2.id);
    expect(saved.items.publication.ja).toContain("公表");
    // Unauthorised intent moves the final deadline from 30 to 60 days.
    expect(new Date(saved.deadline).getTime() - new Date(v1.deadline).getTime()).toBe(30 * ONE_DAY);
    expect((await loadReport(id)).latestVersion).toBe(2);

    await expect(saveReportVersion(lead, { reportId: id, baseVersion: 1, items: edited })).rejects.toMatchObject({
      code: "REPORT_CHANGED",
    });
    await expect(
      saveReportVersion(lead, {
        reportId: v2.id,
        baseVersion: 2,
        items: { ...edited, cause: { ja: "x".repeat(9000), en: "" } },
      }),
    ).rejects.toMatchObject({ code: "INVALID_ITEMS" });
    await expect(
      draftReport(compliance, {
        incidentId: incident.id,
        kind: "FINAL",
        learnedAt: new Date(),
        unauthorizedIntent: true,
      }),
    ).rejects.toMatchObject({ code: "REPORT_EXISTS" });

    // Versions are a record: the database refuses to rewrite one.
    await expect(prisma.breachReport.update({ where: { id }, data: { version: 9 } })).rejects.toThrow();
    const agent = await createStaffContext(prisma, "AGENT");
    await expect(saveReportVersion(agent, { reportId: v2.id, baseVersion: 2, items: edited })).rejects.toThrow();
    expect(
      await prisma.auditEvent.count({
        where: { action: "breach-report.save", outcome: "DENIED", actorId: agent.actor.id },
      }),
    ).toBe(1);
  });

  it("exports an audited PDF whose figures match the ledger, in Japanese and in English", async () => {
    const { incident, compliance } = await incidentWithMoney();
    const { id } = await draftReport(compliance, {
      incidentId: incident.id,
      kind: "PRELIMINARY",
      learnedAt: new Date(incident.openedAt.getTime() + ONE_DAY),
      unauthorizedIntent: true,
    });
    const pdf = await exportReport(compliance, {
      reportId: id,
      language: "ja",
      format: "pdf",
      baseUrl: "https://firebreak.test",
    });
    expect(pdf.contentType).toBe("application/pdf");
    expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");
    const text = extractPdfText(pdf.body).normalize("NFKC");
    expect(text).toContain("個人データの漏えい等報告書(速報)");
    expect(text).toContain("¥67,000"); // stolen: 30,000 + 20,000 + 17,000
    expect(text).toContain("¥30,000"); // returned
    for (const item of REPORT_ITEMS) expect(text).toContain(item.ja.normalize("NFKC"));

    const english = await exportReport(compliance, {
      reportId: id,
      language: "en",
      format: "html",
      baseUrl: "https://firebreak.test",
    });
    const html = english.body.toString("utf8");
    expect(html).toContain("Personal data breach report (preliminary)");
    expect(html).toContain(`https://firebreak.test/incidents/${incident.id}/queries#stolenYen`);

    const exports = await prisma.auditEvent.findMany({
      where: { action: "breach-report.export", targetId: id },
      orderBy: { seq: "asc" },
    });
    expect(exports.map((e) => (e.after as { format: string; language: string }).format)).toEqual(["pdf", "html"]);
    expect(exports[0]!.after).toMatchObject({ language: "ja", bytes: pdf.body.length, version: 1 });
  });
});
