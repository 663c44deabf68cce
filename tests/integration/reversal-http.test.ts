// The reversal pages over HTTP (needs `npx remix build`): an agent reverses part of a charge from the account's page
// (the form's key makes a double submission land on the same result), bad input gets a clear 4xx and moves nothing,
// a large reversal waits and a security lead approves it after a step-up, and a lead runs a bulk reversal from its
// dry run to the job page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { bulkReversalJob } from "~/jobs/bulk-reversal.server";
import { runJob } from "~/jobs/job-loop.server";
import { redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import {
  createIncident,
  createStore,
  createVictim,
  securedCustomerWithPurchase,
  reversedTotal,
} from "../support/ledger-fixtures";
import { createStaff, nextTotpCode, signIn, stepUp, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let agent: StaffClient;
let lead: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT" }));
  lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
});
afterAll(async () => {
  await app.close();
});

/** The page's HTML without the empty comments React puts between adjacent text nodes. */
async function pageText(response: Response): Promise<string> {
  return (await response.text()).replace(/<!-- -->/g, "");
}

function keyFrom(html: string): string {
  const match = html.match(/name="idempotencyKey" value="([^"]+)"/);
  if (!match) throw new Error("the form has no idempotency key");
  return match[1]!;
}

describe("reversal pages", () => {
  it("an agent reverses part of a purchase; a double submission lands on the same result", async () => {
    const { customer, purchaseId, store } = await securedCustomerWithPurchase(prisma, 24_000);
    const page = `/accounts/${customer.customer.id}/reverse`;
    const list = await agent.get(page);
    expect(list.status).toBe(200);
    const form = await agent.get(`${page}?charge=${purchaseId}`);
    const html = await pageText(form);
    expect(html).toContain("Where the money goes");
    expect(html).toContain(`what we owe テスト店 ${store.code} (${store.code})`);
    expect(html).toContain("credited to the customer&#x27;s wallet");
    const fields = {
      transactionId: purchaseId,
      amount: "10,000",
      reasonCode: "FRAUDULENT",
      note: "",
      idempotencyKey: keyFrom(html),
    };
    const first = await agent.post(page, fields);
    expect(first.status).toBe(302);
    const resultPath = redirectPath(first)!;
    expect(resultPath).toMatch(/^\/reversals\/[0-9a-f-]{36}$/);
    const second = await agent.post(page, fields);
    expect(redirectPath(second)).toBe(resultPath);
    expect(await reversedTotal(prisma, purchaseId)).toBe(10_000);
    const result = await agent.get(resultPath);
    expect(result.status).toBe(200);
    expect(await pageText(result)).toContain("completed");
    // The same key with other values: refused, nothing written.
    const changed = await agent.post(page, { ...fields, amount: "11000" });
    expect(changed.status).toBe(422);
    expect(await changed.text()).toContain("already submitted with different values");
    expect(await reversedTotal(prisma, purchaseId)).toBe(10_000);
  });

  it("bad input gets a clear message and a 4xx, never a 500, and moves nothing", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 5_000);
    const page = `/accounts/${customer.customer.id}/reverse`;
    const key = () => crypto.randomUUID();
    const cases: [Record<string, string>, number, string][] = [
      [{ amount: "0" }, 422, "whole number of yen greater than zero"],
      [{ amount: "-5" }, 422, "whole number of yen greater than zero"],
      [{ amount: "12.5" }, 422, "whole number of yen greater than zero"],
      [{ amount: "lots" }, 422, "whole number of yen greater than zero"],
      [{ amount: "5001" }, 422, "Only ¥5,000 of this ¥5,000 charge is left"],
      [{ reasonCode: "WHATEVER" }, 422, "Choose a reason"],
      [{ reasonCode: "OTHER" }, 422, "needs a note"],
      [{ transactionId: "not-a-charge" }, 404, "This customer has no such charge."],
    ];
    for (const [override, status, message] of cases) {
      const response = await agent.post(page, {
        transactionId: purchaseId,
        amount: "100",
        reasonCode: "FRAUDULENT",
        idempotencyKey: key(),
        ...override,
      });
      expect(response.status, JSON.stringify(override)).toBe(status);
      expect(await response.text()).toContain(message.replace(/'/g, "&#x27;"));
    }
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
    // A role without ledger:reverse cannot open the page.
    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE" }));
    expect((await compliance.get(page)).status).toBe(403);
  });

  it("a large reversal waits; the lead approves after a step-up; the requester cannot", async () => {
    const { customer, purchaseId } = await securedCustomerWithPurchase(prisma, 150_000);
    const page = `/accounts/${customer.customer.id}/reverse`;
    const html = await pageText(await lead.get(`${page}?charge=${purchaseId}`));
    const form = {
      transactionId: purchaseId,
      amount: "150000",
      reasonCode: "FRAUDULENT",
      idempotencyKey: keyFrom(html),
    };
    // Asking for this much needs the requester's own fresh step-up: refused (audited), sent to step up, back here
    // with the amount asked for.
    const refused = await lead.post(page, form);
    const back = `${page}?charge=${purchaseId}&amount=150000`;
    expect(redirectPath(refused)).toBe(`/step-up?redirectTo=${encodeURIComponent(back)}`);
    expect(
      await prisma.auditEvent.count({ where: { action: "ledger.reverse", targetId: purchaseId, outcome: "DENIED" } }),
    ).toBe(1);
    expect(await prisma.reversalRequest.count({ where: { originalTransactionId: purchaseId } })).toBe(0);
    await stepUp(lead, back);
    const requested = await lead.post(page, form);
    const requestId = redirectPath(requested)!.split("/").pop()!;
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
    // The lead who asked sees it in the queue but cannot approve it.
    // (Still within the step-up the lead took to ask.)
    expect(await (await lead.get("/approvals")).text()).toContain("(you)");
    const self = await lead.post(`/approvals/${requestId}`, { intent: "approve" });
    expect(self.status).toBe(403);
    expect(await self.text()).toContain("another security lead must approve it");
    // Another lead: first sent to step up, then approves.
    const other = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    const noStepUp = await other.post(`/approvals/${requestId}`, { intent: "approve" });
    expect(redirectPath(noStepUp)).toBe(`/step-up?redirectTo=${encodeURIComponent(`/approvals/${requestId}`)}`);
    expect(await reversedTotal(prisma, purchaseId)).toBe(0);
    await stepUp(other, `/approvals/${requestId}`);
    const approved = await other.post(`/approvals/${requestId}`, { intent: "approve", comment: "confirmed" });
    expect(redirectPath(approved)).toBe(`/reversals/${requestId}`);
    expect(await reversedTotal(prisma, purchaseId)).toBe(150_000);
    // An agent cannot reach the approvals at all.
    expect((await agent.get("/approvals")).status).toBe(403);
  });

  it("a lead runs a bulk reversal: dry run, step-up, one job however often confirmed, progress and report", async () => {
    const incident = await createIncident(prisma, new Date("2019-07-01T00:00:00Z"));
    const store = await createStore(prisma);
    await createVictim(prisma, incident, store, { topUps: [10_000], purchases: [8_000], secured: true });
    await createVictim(prisma, incident, store, { topUps: [20_000, 5_000], purchases: [25_000], secured: true });
    // A lead of its own: each TOTP code is accepted once, and the shared lead has used its codes for this window.
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    const query = `scope=incident&incidentId=${incident.id}&since=2019-07-01T09:00&until=2019-08-01T00:00&reasonCode=FRAUDULENT&run=1`;
    const dry = await lead.get(`/reversals/bulk?${query}`);
    expect(dry.status).toBe(200);
    const html = await pageText(dry);
    expect(html).toMatch(/data-testid="dry-run-charges"[^>]*>5</);
    const form = {
      params: decodeEntities(html.match(/name="params" value="([^"]+)"/)![1]!),
      digest: html.match(/name="digest" value="([0-9a-f]{64})"/)![1]!,
      idempotencyKey: keyFrom(html),
    };
    const fresh = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    const needsStepUp = await fresh.post(`/reversals/bulk?${query}`, form);
    expect(redirectPath(needsStepUp)).toMatch(/^\/step-up\?redirectTo=/);
    await stepUp(lead);
    const started = await lead.post(`/reversals/bulk?${query}`, form);
    const jobPath = redirectPath(started)!;
    expect(jobPath).toMatch(/^\/jobs\/[0-9a-f-]{36}$/);
    expect(redirectPath(await lead.post(`/reversals/bulk?${query}`, form))).toBe(jobPath);
    const jobId = jobPath.split("/").pop()!;
    expect(await pageText(await lead.get(jobPath))).toContain("0 of 5 done");
    await runJob(jobId, { handlers: [bulkReversalJob] });
    const done = await pageText(await lead.get(jobPath));
    expect(done).toContain("5 of 5 done");
    expect(done).toMatch(/data-testid="reconciliation-stolen"[^>]*>¥35,000/);
    expect(done).toMatch(/data-testid="reconciliation-outstanding"[^>]*>¥0/);
    expect((await agent.get(jobPath)).status).toBe(403);
  });

  it("above the confirmation bounds, the code typed on the dry run is the only code asked: no step-up page first", async () => {
    const incident = await createIncident(prisma, new Date("2019-07-01T00:00:00Z"));
    const store = await createStore(prisma);
    await createVictim(prisma, incident, store, { topUps: [10_000], purchases: [8_000], secured: true });
    await createVictim(prisma, incident, store, { topUps: [20_000], purchases: [15_000], secured: true });
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    const query = `scope=incident&incidentId=${incident.id}&since=2019-07-01T09:00&until=2019-08-01T00:00&reasonCode=FRAUDULENT&run=1`;
    process.env.FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS = "2";
    try {
      const html = await pageText(await lead.get(`/reversals/bulk?${query}`));
      expect(html).toContain('data-testid="bulk-confirmation-code"');
      const form = {
        params: decodeEntities(html.match(/name="params" value="([^"]+)"/)![1]!),
        digest: html.match(/name="digest" value="([0-9a-f]{64})"/)![1]!,
        idempotencyKey: keyFrom(html),
      };
      // A wrong code is refused on the form and starts nothing; the right one starts the job at once.
      const wrong = await lead.post(`/reversals/bulk?${query}`, { ...form, confirmationCode: "000000" });
      expect(wrong.status).toBe(403);
      expect(await prisma.bulkJob.count({ where: { createdById: lead.staff.id } })).toBe(0);
      const started = await lead.post(`/reversals/bulk?${query}`, {
        ...form,
        confirmationCode: nextTotpCode(lead.staff),
      });
      expect(redirectPath(started)).toMatch(/^\/jobs\/[0-9a-f-]{36}$/);
      expect(await prisma.bulkJob.count({ where: { createdById: lead.staff.id } })).toBe(1);
      // The accepted code stepped the session up, as a step-up would have.
      const session = await prisma.staffSession.findFirstOrThrow({
        where: { staffId: lead.staff.id, steppedUpAt: { not: null } },
      });
      expect(session.steppedUpAt).not.toBeNull();
    } finally {
      delete process.env.FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS;
    }
  });
});

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}
