// Single-line fields refuse line breaks over real HTTP (run `npx remix build` first): a status reason on the account
// view, a forced reset's reason, a cohort's name and a notice send's reason answer CR/LF and U+2028/U+2029 with a 400
// and the translated "one line" message, and change nothing; the free-text fields next to them (an account note, a
// notice's customer list) keep their lines. Invisible text-direction controls are refused in every field.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createTestCustomer } from "../support/customers";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createIncident, createVictim } from "../support/notify-fixtures";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let agent: StaffClient;
let agentJa: StaffClient;
let lead: StaffClient;
const HOUR = 60 * 60 * 1000;
const EN = "Keep this on one line: remove the line breaks.";
const JA = "改行を含めず、1行で入力してください。";
const BREAKS = ["first line\r\nBcc: attacker@example.com", "first\nsecond", "first\rsecond", "a\u2028b", "a\u2029b"];

beforeAll(async () => {
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT" }));
  agentJa = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
  lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
  await stepUp(lead);
});
afterAll(async () => {
  await app?.close();
});

async function expectOneLineRefusal(response: Response, message = EN) {
  expect(response.status).toBe(400);
  expect(await response.text()).toContain(message);
}

describe("single-line fields refuse line breaks; free text keeps them", () => {
  it("account view: a status reason with a line break is refused and the status stays; a note keeps its lines", async () => {
    const { customer } = await createTestCustomer(prisma);
    const page = `/accounts/${customer.id}?index`;
    const form = { intent: "status", formKey: "status", change: "freeze" };
    for (const reason of BREAKS) {
      await expectOneLineRefusal(await agent.post(page, { ...form, reason }));
    }
    await expectOneLineRefusal(await agentJa.post(page, { ...form, reason: "折り返し\n二行目" }), JA);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).status).toBe("ACTIVE");
    expect(await prisma.auditEvent.count({ where: { action: "account.freeze", targetId: customer.id } })).toBe(0);

    const ok = await agent.post(page, { ...form, reason: "caller did not make these top-ups" });
    expect(ok.status).toBe(302);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).status).toBe("FROZEN");

    const body = `caller called twice\nsecond call from a new number\u2028checked`;
    const note = await agent.post(page, { intent: "note", formKey: "note", body });
    expect(note.status).toBe(302);
    expect(await prisma.accountNote.count({ where: { customerId: customer.id, body } })).toBe(1);
  });

  it("recovery: a forced reset's reason with a line break is refused and nothing is reset", async () => {
    const { customer } = await createTestCustomer(prisma);
    const page = `/accounts/${customer.id}/recovery`;
    const form = { intent: "force-reset", formKey: "force-reset" };
    for (const reason of BREAKS) {
      await expectOneLineRefusal(await agent.post(page, { ...form, reason }));
    }
    await expectOneLineRefusal(await agentJa.post(page, { ...form, reason: "折り返し\n二行目です" }), JA);
    expect(await prisma.auditEvent.count({ where: { action: "recovery.force-reset", targetId: customer.id } })).toBe(0);
    expect(await prisma.passwordResetToken.count({ where: { customerId: customer.id } })).toBe(0);
  });

  it("cohort builder: a name with a line break is refused and no cohort is saved", async () => {
    const start = new Date(Date.UTC(2043, 0, 1) + Math.floor(Math.random() * 3000) * 24 * HOUR);
    const jstLocal = (date: Date) => new Date(date.getTime() + 9 * HOUR).toISOString().slice(0, 16);
    const filters = {
      from: jstLocal(start),
      to: jstLocal(new Date(start.getTime() + 48 * HOUR)),
      match: "all",
      minScore: "0",
      newDevice: "on",
      incidentId: "",
    };
    const tag = randomUUID().slice(0, 8);
    for (const broken of BREAKS) {
      await expectOneLineRefusal(await lead.post("/cohorts/new", { ...filters, name: `${tag} ${broken}` }));
    }
    expect(await prisma.cohort.count({ where: { name: { startsWith: tag } } })).toBe(0);
  });

  it("notice send: a reason with a line break is refused and nothing is queued; the customer list keeps its lines", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id);
    const other = await createVictim(incident.id);
    const form = {
      incidentId: incident.id,
      template: "incident-update",
      language: "auto",
      target: "selected",
      customers: victim.displayId,
    };
    for (const reason of BREAKS) {
      await expectOneLineRefusal(await agent.post("/notifications", { ...form, reason }));
    }
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(0);

    const sent = await agent.post("/notifications", { ...form, reason: "caller asked for the update by mail" });
    expect(sent.status).toBe(302);
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(1);
    // One display ID a line is the list's own format (a lead sends to two customers: bulk, after a step-up).
    const list = await lead.post("/notifications", {
      ...form,
      customers: `${victim.displayId}\r\n${other.displayId}`,
      reason: "second round",
    });
    expect(list.status).toBe(302);
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(2);
  });
});

// Direction controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) are invisible and reorder the text around them: in
// the audit view or an export, "reversed for " + U+202E + "9999 ¥" reads as "¥ 9999", and a note can show another
// account or amount than it holds. Nobody types them into a console form, so every field refuses them, free text too.
describe("direction controls are refused in every field", () => {
  const CONTROLS = [
    "\u202E",
    "\u202D",
    "\u202A",
    "\u202B",
    "\u202C",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200E",
    "\u200F",
    "\u061C",
  ];

  it("account view: a note or a status reason holding one is refused, and nothing is written or audited", async () => {
    const { customer } = await createTestCustomer(prisma);
    const page = `/accounts/${customer.id}?index`;
    for (const control of CONTROLS) {
      const note = await agent.post(page, { intent: "note", formKey: "note", body: `refund ${control}000,01 ¥ done` });
      expect(note.status).toBe(400);
      expect(await note.text()).toContain("direction");
      const status = await agent.post(page, {
        intent: "status",
        formKey: "status",
        change: "freeze",
        reason: `caller ${control}W-00000001`,
      });
      expect(status.status).toBe(400);
    }
    const ja = await agentJa.post(page, { intent: "note", formKey: "note", body: "返金\u202E済み" });
    expect(ja.status).toBe(400);
    expect(await ja.text()).toContain("文字の向き");
    expect(await prisma.accountNote.count({ where: { customerId: customer.id } })).toBe(0);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).status).toBe("ACTIVE");
    expect(
      await prisma.auditEvent.count({
        where: { targetId: customer.id, action: { in: ["account.note.add", "account.freeze"] } },
      }),
    ).toBe(0);
  });
});
