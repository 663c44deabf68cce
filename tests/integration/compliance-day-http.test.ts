// A compliance officer's day over HTTP, in Japanese (docs/decisions/096-a-compliance-officers-day.md): the audit trail
// names every actor's role in Japanese, a day's filter and export split events at Tokyo's midnight, and no link on the
// pages compliance reads leads to a page refused to compliance. Needs `npx remix build` first.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { CSV_COLUMNS, parseCsv } from "~/audit/export-format";
import { prisma } from "~/db.server";
import { approveReversal, rejectReversal, withdrawReversal } from "~/ledger/reversal-approval.server";
import { reverseCharge } from "~/ledger/reverse-charge.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createIncident, createStaffContext, createStore, createVictim, newKey } from "../support/ledger-fixtures";
import { createStaff, signIn, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let compliance: StaffClient;

const NO_ORIGIN = { ip: null, userAgent: null, requestId: null };

beforeAll(async () => {
  app = await startHttpApp();
  compliance = await signIn(app, await createStaff({ role: "COMPLIANCE", language: "ja" }));
});

afterAll(async () => {
  await app.close();
});

/** The rows of the audit page's table as "seq" values, read from the server-rendered HTML. */
function seqsOnPage(html: string): string[] {
  return [...html.matchAll(/data-testid="audit-row" data-seq="(\d+)"/g)].map((m) => m[1]!);
}

describe("the audit trail in Japanese", () => {
  it("names the system's rows in Japanese, as its role filter does", async () => {
    const incident = await createIncident(prisma, new Date("2019-07-01T00:00:00Z"));
    await recordAuditEvent({
      actor: { kind: "system", id: "system:containment" },
      origin: NO_ORIGIN,
      action: "killswitch.engage",
      outcome: "SUCCESS",
      targetType: "kill_switch",
      targetId: "topup.all",
      incidentId: incident.id,
    });
    const html = await (await compliance.get(`/audit?incident=${incident.code}`)).text();
    expect(seqsOnPage(html)).toHaveLength(1);
    expect(html).toMatch(/<div class="text-xs text-slate-500">システム<\/div>/);
    expect(html).not.toContain(">SYSTEM<");
  });

  it("puts 23:59 JST on its own day and 00:01 JST on the next, on the page and in the CSV", async () => {
    const incident = await createIncident(prisma, new Date("2019-07-01T00:00:00Z"));
    const record = (occurredAt: string, targetId: string) =>
      recordAuditEvent({
        actor: { kind: "system", id: "system:test" },
        origin: NO_ORIGIN,
        action: "test.jst-midnight",
        outcome: "SUCCESS",
        targetType: "customer",
        targetId,
        incidentId: incident.id,
        occurredAt: new Date(occurredAt),
      });
    await record("2019-07-02T14:59:00.000Z", "before-midnight"); // 2019-07-02 23:59 JST
    await record("2019-07-02T15:01:00.000Z", "after-midnight"); // 2019-07-03 00:01 JST
    const day = (from: string, to: string) =>
      `incident=${incident.code}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

    const secondOfJuly = await (await compliance.get(`/audit?${day("2019/07/02", "2019/07/03")}`)).text();
    expect(secondOfJuly).toContain("2019/07/02 23:59:00 JST");
    expect(secondOfJuly).not.toContain("2019/07/03 00:01:00 JST");
    const thirdOfJuly = await (await compliance.get(`/audit?${day("2019/07/03", "2019/07/04")}`)).text();
    expect(thirdOfJuly).toContain("2019/07/03 00:01:00 JST");
    expect(thirdOfJuly).not.toContain("2019/07/02 23:59:00 JST");

    const csv = parseCsv(await (await compliance.get(`/audit/export.csv?${day("2019/07/02", "2019/07/03")}`)).text());
    const column = (name: (typeof CSV_COLUMNS)[number]) => csv.slice(1).map((row) => row[CSV_COLUMNS.indexOf(name)]);
    expect(column("target_id")).toEqual(["before-midnight"]);
    expect(column("occurred_at_jst")).toEqual(["2019-07-02 23:59:00.000"]);
    expect(column("occurred_at")).toEqual(["2019-07-02T14:59:00.000Z"]);
  });
});

describe("who decided a large reversal, in the incident's trail", () => {
  it("files the approval, the rejection and the withdrawal under the request's incident", async () => {
    const incident = await createIncident(prisma, new Date("2019-07-01T00:00:00Z"));
    const store = await createStore(prisma);
    const agent = await createStaffContext(prisma, "AGENT", { steppedUp: true });
    const lead = await createStaffContext(prisma, "SECURITY_LEAD", { steppedUp: true });
    const requestFor = async () => {
      const victim = await createVictim(prisma, incident, store, { topUps: [150_000], purchases: [], secured: true });
      const pending = await reverseCharge(agent, {
        customerId: victim.customer.id,
        transactionId: victim.topUpIds[0]!,
        amount: 150_000,
        reasonCode: "FRAUDULENT",
        idempotencyKey: newKey(),
      });
      expect(pending.status).toBe("PENDING_APPROVAL");
      return pending.requestId;
    };
    const first = await requestFor();
    // An agent may not decide: the refusal is filed under the incident too.
    await expect(approveReversal(agent, { requestId: first })).rejects.toMatchObject({ status: 403 });
    await approveReversal(lead, { requestId: first, comment: "本人確認済み" });
    await rejectReversal(lead, { requestId: await requestFor(), reason: "正規の利用と確認" });
    await withdrawReversal(agent, { requestId: await requestFor() });

    const filed = await prisma.auditEvent.findMany({
      where: { incidentId: incident.id, action: { startsWith: "ledger.reverse." } },
      orderBy: { seq: "asc" },
    });
    expect(filed.map((row) => `${row.action} ${row.outcome}`)).toEqual([
      "ledger.reverse.approve DENIED",
      "ledger.reverse.approve SUCCESS",
      "ledger.reverse.reject SUCCESS",
      "ledger.reverse.withdraw SUCCESS",
    ]);
    // What compliance sees: the incident's trail names the approver, and its export carries the decision.
    const html = await (
      await compliance.get(`/audit?incident=${incident.code}&action=ledger.reverse.approve&outcome=SUCCESS`)
    ).text();
    expect(seqsOnPage(html)).toHaveLength(1);
    const csv = parseCsv(
      await (await compliance.get(`/audit/export.csv?incident=${incident.code}&action=ledger.reverse.*`)).text(),
    );
    expect(csv.slice(1).map((row) => row[CSV_COLUMNS.indexOf("action")])).toContain("ledger.reverse.approve");
  });
});

describe("the pages compliance reads", () => {
  it("link only to pages compliance may open", async () => {
    const incident = await createIncident(prisma, new Date("2019-07-01T00:00:00Z"));
    const store = await createStore(prisma);
    const victim = await createVictim(prisma, incident, store, { topUps: [30_000], purchases: [20_000] });
    await prisma.outboundMessage.create({
      data: {
        dedupeKey: `test:${randomUUID()}`,
        incidentId: incident.id,
        customerId: victim.customer.id,
        template: "incident-update",
        language: "ja",
        messageIdHeader: `<${randomUUID()}@test>`,
        status: "FAILED",
        failure: "REJECTED",
        recipient: "victim@wallet-test.example",
        subject: "お知らせ",
        textBody: "本文",
        htmlBody: "<p>本文</p>",
        nextAttemptAt: new Date(),
        lastError: "550 5.1.1 mailbox unavailable",
      },
    });
    const starts = [
      "/",
      "/incidents",
      `/incidents/${incident.id}`,
      `/incidents/${incident.id}/cases`,
      `/incidents/${incident.id}/timeline`,
      `/incidents/${incident.id}/report`,
      `/notifications/incidents/${incident.id}`,
      `/accounts/${victim.customer.id}`,
      "/audit",
      "/audit/integrity",
    ];
    const refused: string[] = [];
    const seen = new Set<string>();
    for (const start of starts) {
      const page = await compliance.get(start);
      expect(page.status, start).toBe(200);
      // The page's own links (the menu offers only what the member's role may open, as other tests check).
      const html = (await page.text()).split("<main")[1] ?? "";
      const links = [...html.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
      for (const link of links) {
        // One visit per page (a filter's or a page number's variants open the same route).
        const route = link.split("?")[0]!;
        if (seen.has(route) || route.startsWith("/build/") || route === "/sign-out") continue;
        seen.add(route);
        const response = await compliance.get(link);
        await response.arrayBuffer(); // read to the end, so the connection is free for the next request
        const status = response.status;
        if (status >= 400) refused.push(`${start} → ${link}: ${status}`);
      }
    }
    expect(refused).toEqual([]);
  }, 120_000);
});
