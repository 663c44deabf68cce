// The caller search, the account view and the cohort builder over real HTTP (the express perimeter in front of the
// Remix build — run `npx remix build` first): permissions per role, bad input answered with a message (never a 500),
// actions through forms, and the access audit.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { forceReset } from "~/recovery/force-reset.server";
import { createTestCustomer } from "../support/customers";
import { createIncident } from "../support/notify-fixtures";
import { redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { dataPath, loaderDataOf, readSingleFetch } from "../support/single-fetch";
import { createStaff, signIn, staffContext, stepUp, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let agent: StaffClient;
let lead: StaffClient;
let compliance: StaffClient;
let admin: StaffClient;
let customerId: string;
let phone: string;
const HOUR = 60 * 60 * 1000;
// A window of this file's own, away from the customers other fixtures create.
const windowStart = new Date(Date.UTC(2041, 0, 1) + Math.floor(Math.random() * 3000) * 24 * HOUR);

function jstLocal(date: Date): string {
  return new Date(date.getTime() + 9 * HOUR).toISOString().slice(0, 16);
}

beforeAll(async () => {
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT", displayName: "Agent Ito" }));
  lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", displayName: "Lead Kato" }));
  compliance = await signIn(app, await createStaff({ role: "COMPLIANCE" }));
  admin = await signIn(app, await createStaff({ role: "ADMIN" }));
  phone = `+8190${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const customer = await prisma.customer.create({
    data: {
      displayId: `H-${randomUUID().slice(0, 8)}`,
      name: "雲母 朔太郎",
      nameKana: "キララ サクタロウ",
      email: `http-${randomUUID().slice(0, 8)}@http.example`,
      phone,
      birthDate: new Date("1979-09-09"),
    },
  });
  customerId = customer.id;
  const device = await prisma.device.create({
    data: { customerId, fingerprint: `fp-${randomUUID()}`, platform: "android", firstSeenAt: windowStart },
  });
  await prisma.loginEvent.create({
    data: {
      customerId,
      deviceId: device.id,
      ip: "198.18.5.5",
      country: "VN",
      success: true,
      newDevice: true,
      occurredAt: new Date(windowStart.getTime() + HOUR),
    },
  });
});

afterAll(async () => {
  await app?.close();
});

describe("caller search over HTTP", () => {
  it("an agent finds the caller from a number typed with spaces and +81", async () => {
    const typed = `+81 ${phone.slice(3, 5)} ${phone.slice(5, 9)} ${phone.slice(9)}`;
    const response = await agent.get(`/accounts?${new URLSearchParams({ q: typed })}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`data-customer-id="${customerId}"`);
    expect(html).toContain("雲母 朔太郎");
    // The result row shows the number masked (the search box still shows what the agent typed).
    expect(html).toContain(`090-••••-${phone.slice(-4)}`);
  });

  it("the data request (single fetch) answers with masked contacts", async () => {
    const response = await agent.get(
      dataPath(`/accounts?${new URLSearchParams({ q: "きらら さくたろう" })}`, ["routes/accounts._index"]),
    );
    expect(response.status).toBe(200);
    const answer = await readSingleFetch(response);
    // Only the loader asked for runs: the layout's data is not sent again.
    expect(Object.keys(answer.value as object)).toEqual(["routes/accounts._index"]);
    const body = loaderDataOf<{ result: { kind: string; hits: { id: string; maskedPhone: string }[] } }>(
      answer,
      "routes/accounts._index",
    );
    expect(body.result.kind).toBe("results");
    expect(body.result.hits.map((h) => h.id)).toContain(customerId);
    expect(body.result.hits[0]!.maskedPhone).toMatch(/^090-••••-\d{4}$/);
  });

  it.each([
    ["empty", ""],
    ["5,000 characters", "a".repeat(5000)],
    ["SQL", "' OR 1=1; DROP TABLE customer; --"],
    ["wildcards", "%_%"],
    ["emoji", "🔥"],
    ["control characters", "\u0000\u001b[31m"],
    ["a lone surrogate (percent-encoded)", "%ED%A0%80"],
  ])("bad input (%s) gets a page with a message, never a 500", async (_label, q) => {
    const url = q.startsWith("%ED") ? `/accounts?q=${q}` : `/accounts?${new URLSearchParams({ q })}`;
    const response = await agent.get(url);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.includes('data-testid="search-message"') || html.includes('data-testid="search-summary"')).toBe(true);
  });

  it("an admin (no accounts:search) gets 403 and the denial is audited", async () => {
    const response = await admin.get(`/accounts?q=${encodeURIComponent(phone)}`);
    expect(response.status).toBe(403);
    const row = await prisma.auditEvent.findFirst({
      where: { action: "access.denied", actorId: admin.staff.id, targetId: "GET /accounts" },
    });
    expect(row).not.toBeNull();
  });

  it("signed-out visitors are sent to sign in", async () => {
    const response = await fetch(new URL("/accounts?q=x", app.baseUrl), { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(redirectPath(response as Response)).toMatch(/^\/sign-in/);
  });
});

describe("the account view over HTTP", () => {
  it("renders the account with its link slots, and records the access", async () => {
    const response = await agent.get(`/accounts/${customerId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("雲母 朔太郎");
    expect(html).toContain(`href="/accounts/${customerId}/reverse"`);
    expect(html).toContain(`href="/accounts/${customerId}/recovery"`);
    expect(html).toContain(`href="/notifications?customerId=${customerId}"`);
    const row = await prisma.auditEvent.findFirst({
      where: { action: "account.view", actorId: agent.staff.id, targetId: customerId },
    });
    expect(row).not.toBeNull();
  });

  it("compliance may read the account but gets no action forms or links", async () => {
    const html = await (await compliance.get(`/accounts/${customerId}`)).text();
    expect(html).toContain("雲母 朔太郎");
    expect(html).not.toContain('data-testid="status-form"');
    expect(html).not.toContain("/reverse");
  });

  it("an unknown account is a 404 page, not a 500", async () => {
    expect((await agent.get(`/accounts/${randomUUID()}`)).status).toBe(404);
    expect((await agent.get(`/accounts/not-a-uuid`)).status).toBe(404);
  });

  it("freezes the wallet from the form, and a bad form is answered in place", async () => {
    const bad = await agent.post(`/accounts/${customerId}?index`, {
      intent: "status",
      formKey: "status",
      change: "freeze",
      reason: "",
    });
    expect(bad.status).toBe(400);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("ACTIVE");

    const ok = await agent.post(`/accounts/${customerId}?index`, {
      intent: "status",
      formKey: "status",
      change: "freeze",
      reason: "caller did not make these top-ups",
    });
    expect(ok.status).toBe(302);
    expect(redirectPath(ok)).toBe(`/accounts/${customerId}`);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("FROZEN");

    const again = await agent.post(`/accounts/${customerId}?index`, {
      intent: "status",
      formKey: "status",
      change: "freeze",
      reason: "double click",
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("frozen now");
  });

  it("unfreezes only after a fresh step-up: the form sends the agent to confirm first, changing nothing", async () => {
    const unfreeze = { intent: "status", formKey: "status", change: "unfreeze", reason: "verified with the caller" };
    const refused = await agent.post(`/accounts/${customerId}?index`, unfreeze);
    expect(refused.status).toBe(302);
    expect(redirectPath(refused)).toBe(`/step-up?redirectTo=${encodeURIComponent(`/accounts/${customerId}`)}`);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("FROZEN");
    expect(
      await prisma.auditEvent.count({
        where: { action: "account.unfreeze", actorId: agent.staff.id, outcome: "DENIED", targetId: customerId },
      }),
    ).toBe(1);

    await stepUp(agent, `/accounts/${customerId}`);
    // With the code, it still waits for a forced reset sent since the freeze (ADR 122), and the page says so.
    const notice = "Unfreezing or restoring this account waits for a forced password reset";
    expect(await (await agent.get(`/accounts/${customerId}`)).text()).toContain(notice);
    const notRecovered = await agent.post(`/accounts/${customerId}?index`, unfreeze);
    expect(notRecovered.status).toBe(409);
    expect(await notRecovered.text()).toContain("This account cannot be reopened yet");
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("FROZEN");
    await forceReset(staffContext("AGENT"), {
      customerId,
      requireTwoFactor: false,
      reason: "caller reports a takeover",
    });
    expect(await (await agent.get(`/accounts/${customerId}`)).text()).not.toContain(notice);
    const ok = await agent.post(`/accounts/${customerId}?index`, unfreeze);
    expect(redirectPath(ok)).toBe(`/accounts/${customerId}`);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).status).toBe("ACTIVE");
  });

  it("compliance posting a freeze is refused by the spine and audited", async () => {
    const response = await compliance.post(`/accounts/${customerId}?index`, {
      intent: "status",
      formKey: "status",
      change: "unfreeze",
      reason: "trying anyway",
    });
    expect(response.status).toBe(403);
    const row = await prisma.auditEvent.findFirst({
      where: { action: "account.unfreeze", actorId: compliance.staff.id, outcome: "DENIED" },
    });
    expect(row).not.toBeNull();
  });

  it("files a status change only under an incident that exists and is not resolved", async () => {
    const {
      customer: { id },
    } = await createTestCustomer(prisma);
    const japanese = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const freeze = (client: StaffClient, incidentId: string) =>
      client.post(`/accounts/${id}?index`, {
        intent: "status",
        formKey: "status",
        change: "freeze",
        reason: "caller reports unknown top-ups",
        incidentId,
      });
    const resolved = await createIncident("RESOLVED");
    for (const [client, incidentId, status, message] of [
      [agent, randomUUID(), 404, "There is no such incident."],
      [japanese, randomUUID(), 404, "該当するインシデントはありません。"],
      [agent, resolved.id, 409, "That incident is resolved"],
      [japanese, resolved.id, 409, "そのインシデントは解決済みです"],
    ] as const) {
      const refused = await freeze(client, incidentId);
      expect(refused.status).toBe(status);
      expect(await refused.text()).toContain(message);
    }
    expect((await prisma.customer.findUniqueOrThrow({ where: { id } })).status).toBe("ACTIVE");
    expect(
      await prisma.auditEvent.count({ where: { action: "account.freeze", targetId: id, outcome: "SUCCESS" } }),
    ).toBe(0);

    const open = await createIncident("CONTAINED");
    expect(redirectPath(await freeze(agent, open.id))).toBe(`/accounts/${id}`);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id } })).status).toBe("FROZEN");
    expect(
      await prisma.auditEvent.findFirst({ where: { action: "account.freeze", targetId: id, outcome: "SUCCESS" } }),
    ).toMatchObject({ incidentId: open.id });
  });

  it("a form from another site is refused by the perimeter", async () => {
    const response = await agent.post(
      `/accounts/${customerId}?index`,
      { intent: "note", formKey: "note", body: "forged" },
      { origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
    expect(await prisma.accountNote.count({ where: { customerId, body: "forged" } })).toBe(0);
  });
});

describe("the cohort builder over HTTP", () => {
  const filters = () =>
    new URLSearchParams({
      from: jstLocal(windowStart),
      to: jstLocal(new Date(windowStart.getTime() + 48 * HOUR)),
      match: "all",
      minScore: "0",
      newDevice: "on",
      foreignSignIn: "on",
      homeCountry: "JP",
    });

  it("an agent cannot build cohorts (403); a lead previews and saves one", async () => {
    expect((await agent.get(`/cohorts/new?${filters()}`)).status).toBe(403);
    const preview = await lead.get(`/cohorts/new?${filters()}`);
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('data-testid="cohort-preview"');
    expect(html).toContain(`/accounts/${customerId}`);

    const form = Object.fromEntries(filters());
    const saved = await lead.post("/cohorts/new", {
      ...form,
      name: `HTTP cohort ${randomUUID().slice(0, 6)}`,
      incidentId: "",
    });
    expect(saved.status).toBe(302);
    const location = redirectPath(saved)!;
    expect(location).toMatch(/^\/cohorts\/[0-9a-f-]{36}$/);
    const cohortId = location.split("/")[2]!;
    const members = await prisma.cohortMember.findMany({ where: { cohortId } });
    expect(members.map((m) => m.customerId)).toEqual([customerId]);

    // Everyone working the incident may read it; the read is audited.
    const page = await agent.get(location);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("雲母 朔太郎");
    expect(
      await prisma.auditEvent.count({ where: { action: "cohort.view", actorId: agent.staff.id, targetId: cohortId } }),
    ).toBe(1);
  });

  it("bad filters get messages, not a 500", async () => {
    const params = filters();
    params.set("from", "not a date");
    const response = await lead.get(`/cohorts/new?${params}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Give the start of the window");
    const none = new URLSearchParams({
      from: jstLocal(windowStart),
      to: jstLocal(new Date(windowStart.getTime() + HOUR)),
    });
    expect(await (await lead.get(`/cohorts/new?${none}`)).text()).toContain("Choose at least one signal or a store.");
    const emptySave = await lead.post("/cohorts/new", {
      ...Object.fromEntries(filters()),
      from: jstLocal(new Date(windowStart.getTime() - 100 * HOUR)),
      to: jstLocal(new Date(windowStart.getTime() - 90 * HOUR)),
      name: "nothing",
    });
    expect(emptySave.status).toBe(422);
  });
});
