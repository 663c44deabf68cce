// The read and export budgets over real HTTP (run `npx remix build` first): past a minute's reads, the account page
// answers 429 with the refusal in the member's language, and the search page says why it shows nothing; past a
// minute's audit exports, the export answers 429 with when to try again, and the refusal is audited — never a 500.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { createTestCustomer } from "../support/customers";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient } from "../support/staff";

// The budget a production deployment sets (off by default), read before the app's settings are.
vi.hoisted(() => {
  process.env.FIREBREAK_STAFF_READS_PER_HOUR = "600";
});

let app: TestHttpApp;
let agent: StaffClient;
let compliance: StaffClient;
let complianceId: string;

beforeAll(async () => {
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
  const member = await createStaff({ role: "COMPLIANCE", language: "ja" });
  complianceId = member.id;
  compliance = await signIn(app, member);
});
afterAll(() => app.close());

describe("the read budget over HTTP", () => {
  it("refuses the account page with 429 in Japanese once a minute's budget is spent", async () => {
    const { customer } = await createTestCustomer(prisma);
    const perMinute = 60;
    for (let i = 0; i < perMinute; i++) {
      const response = await agent.get(`/accounts/${customer.id}`);
      expect(response.status).toBe(200);
      await response.text();
    }
    const refused = await agent.get(`/accounts/${customer.id}`);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("短時間に顧客の検索・閲覧が多すぎます");
    const search = await agent.get(`/accounts?q=${encodeURIComponent(customer.displayId)}`);
    expect(search.status).toBe(200);
    const page = await search.text();
    expect(page).toContain("短時間に顧客の検索・閲覧が多すぎます");
    expect(page).not.toContain(`/accounts/${customer.id}`);
  });

  it("refuses audit exports with 429 once a minute's budget is spent, and audits the refusal", async () => {
    const perMinute = 30;
    // An incident no row names: each export is small.
    const filter = `incident=${randomUUID()}`;
    for (let i = 0; i < perMinute; i++) {
      const path = i % 2 === 0 ? `/audit/export.jsonl?${filter}` : `/audit/export.csv.manifest.json?${filter}`;
      const response = await compliance.get(path);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const refused = await compliance.get(`/audit/export.csv?${filter}`);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(
      /^短時間に監査ログのエクスポートが多すぎます。.+以降にもう一度お試しください。/,
    );
    expect(
      await prisma.auditEvent.count({ where: { actorId: complianceId, action: "audit.export", outcome: "DENIED" } }),
    ).toBe(1);
  });
});
