// A page is one HTTP request but two loaders (the root's, for the navigation and the switch banner, and the page's
// own), and both ask who is signed in. Over the real HTTP stack (run `npx remix build` first): the session is looked
// up and touched once per page, never shared between requests, and a form post is still validated afresh by the
// loaders that follow its action (once for them all).
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { hashToken } from "~/auth/session.server";
import { database, prisma } from "~/db.server";
import { redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let agent: StaffClient;
let customerId: string;
let queries: MockInstance;

beforeAll(async () => {
  app = await startHttpApp({ mode: "production" });
  agent = await signIn(app, await createStaff({ role: "AGENT", displayName: "Agent Once" }));
  const customer = await prisma.customer.create({
    data: {
      displayId: `S1-${randomUUID().slice(0, 8)}`,
      name: "一度 確子",
      nameKana: "イチド カクコ",
      email: `once-${randomUUID().slice(0, 8)}@once.example`,
      phone: `+8190${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
      birthDate: new Date("1988-08-08"),
    },
  });
  customerId = customer.id;
});

afterAll(async () => {
  await app?.close();
});

afterEach(() => {
  queries?.mockRestore();
});

// The console's database object is shared with the build (through globalThis): count what the server sends.
function countStatements() {
  queries = vi.spyOn(database.sql, "query");
  const matching = (pattern: RegExp) => queries.mock.calls.filter(([sql]) => pattern.test(String(sql))).length;
  return {
    lookups: () => matching(/FROM staff_session s JOIN staff_user u ON u\.id = s\.staff_id\s+WHERE s\.id = \$1/),
    touches: () => matching(/UPDATE staff_session SET last_seen_at/),
  };
}

function sessionIdOf(client: StaffClient): string {
  return hashToken(client.cookies.get("firebreak_session")!);
}

describe("one session check per request", () => {
  it("a whole page (root and page loaders) looks the session up once", async () => {
    const count = countStatements();
    const page = await agent.get(`/accounts/${customerId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("一度 確子");
    expect(count.lookups()).toBe(1);

    const search = await agent.get(`/accounts?q=${encodeURIComponent("イチド カクコ")}`);
    expect(search.status).toBe(200);
    expect(count.lookups()).toBe(2);
  });

  it("concurrent requests of one staff member are each checked", async () => {
    const count = countStatements();
    const pages = await Promise.all([
      agent.get(`/accounts/${customerId}`),
      agent.get(`/accounts/${customerId}`),
      agent.get("/accounts"),
    ]);
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(count.lookups()).toBe(3);
  });

  it("touches lastSeenAt at most once per page", async () => {
    const id = sessionIdOf(agent);
    const twoMinutesAgo = new Date(Date.now() - 2 * 60 * 1000);
    await prisma.staffSession.update({ where: { id }, data: { lastSeenAt: twoMinutesAgo } });
    const count = countStatements();
    expect((await agent.get(`/accounts/${customerId}`)).status).toBe(200);
    expect(count.touches()).toBe(1);
    const session = await prisma.staffSession.findUniqueOrThrow({ where: { id } });
    expect(session.lastSeenAt.getTime()).toBeGreaterThan(twoMinutesAgo.getTime());
  });

  it("a session ended between two requests is refused on the next one", async () => {
    const staff = await signIn(app, await createStaff({ role: "AGENT" }));
    expect((await staff.get(`/accounts/${customerId}`)).status).toBe(200);
    await prisma.staffSession.delete({ where: { id: sessionIdOf(staff) } });
    const refused = await staff.get(`/accounts/${customerId}`);
    expect(refused.status).toBe(302);
    expect(redirectPath(refused)).toMatch(/^\/sign-in\?/);
  });

  it("a form post is checked by its action and again, once, by the loaders that answer it", async () => {
    const count = countStatements();
    // A note with no body: the action answers 400, and the root and page loaders run after it in the same request.
    // They must see the session as the action left it, so they do not reuse the action's check.
    const response = await agent.post(`/accounts/${customerId}`, { intent: "note", formKey: "note", body: "" });
    expect(response.status).toBe(400);
    expect(count.lookups()).toBe(2);
  });
});

describe("files from public/", () => {
  it("are still served by name (only pages skip the file-system look-up)", async () => {
    const icon = await agent.get("/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(await icon.text()).toContain("<svg");
  });
});
