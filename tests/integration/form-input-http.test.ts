// The values the security audit's sweep turned into 500s, each answered now with a 400 that names the field, with
// nothing written and nothing echoed (an unexpected console.error fails the test): NUL in a reversal's note and reason
// code, in a notice's customer list, in a service token's description, and a non-UUID incident on a saved cohort.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { createTestCustomer } from "../support/customers";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { buy, createStore, freezeAccount, reversedTotal, topUp } from "../support/ledger-fixtures";
import { createIncident, createVictim } from "../support/notify-fixtures";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let agent: StaffClient;
let lead: StaffClient;
let admin: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT" }));
  lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
  await stepUp(lead);
  admin = await signIn(app, await createStaff({ role: "ADMIN" }));
  await stepUp(admin);
});
afterAll(async () => {
  await app?.close();
});

const NUL = "a\u0000b";

async function expectRefused(response: Response, field: string) {
  expect(response.status).toBe(400);
  const text = await response.text();
  expect(text).toContain(field);
  expect(text).not.toContain("\u0000");
}

describe("form text no schema or query can store is refused up front", () => {
  it("NUL in a reversal's note or reason code: 400, nothing reversed", async () => {
    const customer = await createTestCustomer(prisma);
    const store = await createStore(prisma);
    await topUp(prisma, customer, 5_000);
    const purchaseId = await buy(prisma, customer, store, 5_000);
    await freezeAccount(prisma, customer.customer.id); // secured, so only the form text can refuse the reversal
    const page = `/accounts/${customer.customer.id}/reverse`;
    const fields = {
      transactionId: purchaseId,
      amount: "1000",
      reasonCode: "FRAUDULENT",
      note: "",
      idempotencyKey: crypto.randomUUID(),
    };
    await expectRefused(await agent.post(page, { ...fields, note: NUL }), "note");
    await expectRefused(await agent.post(page, { ...fields, reasonCode: NUL }), "reasonCode");
    // A C1 control character is refused the same way. (A lone surrogate cannot cross HTTP: UTF-8 encoding turns it
    // into U+FFFD on the way; the reader's own test covers it.)
    await expectRefused(await agent.post(page, { ...fields, note: "a\u0085b" }), "note");
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
    // Line breaks and tabs stay allowed in a free-text note.
    const ok = await agent.post(page, { ...fields, note: "line one\nline two\tend" });
    expect(ok.status).toBe(302);
    expect(await reversedTotal(prisma, purchaseId)).toBe(1_000);
  });

  it("NUL in a notice's customer list: 400, nothing queued", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id);
    const response = await lead.post("/notifications", {
      incidentId: incident.id,
      template: "incident-update",
      target: "selected",
      customers: `${victim.displayId}\u0000`,
    });
    await expectRefused(response, "customers");
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("NUL in a service token's description: 400, no token issued", async () => {
    const before = await prisma.serviceToken.count();
    const response = await admin.post("/admin/service-tokens", {
      intent: "create",
      formId: "create",
      serviceName: "payments-gateway",
      description: NUL,
    });
    await expectRefused(response, "description");
    expect(await prisma.serviceToken.count()).toBe(before);
  });

  it("a non-UUID incident on a saved cohort: 400 naming incidentId, nothing saved, the value not echoed", async () => {
    const name = `hostile incident ${crypto.randomUUID().slice(0, 6)}`;
    for (const incidentId of ["not-a-uuid", "a".repeat(100_000), "1' OR '1'='1"]) {
      const response = await lead.post("/cohorts/new", { newDevice: "on", minScore: "0", name, incidentId });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).toContain("incidentId");
      expect(text).not.toContain("aaaaaaaaaa");
    }
    expect(await prisma.cohort.count({ where: { name } })).toBe(0);
  });
});
