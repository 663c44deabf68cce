// The notification screens over HTTP (the real server in front of the Remix build): preview with real data, refusal
// at preview, single and bulk sends (step-up), permissions, the incident's status page, resend, the HTML preview's
// own CSP, and the development mail viewer (404 in production).
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { listSinkMessages, startDevSink } from "~/notify/dev-sink.server";
import { startHttpApp, redirectPath, type TestHttpApp } from "../support/http-app";
import { createIncident, createVictim, createVictims } from "../support/notify-fixtures";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";

let app: TestHttpApp;
let agent: StaffClient;
let lead: StaffClient;
let compliance: StaffClient;

beforeAll(async () => {
  app = await startHttpApp();
  agent = await signIn(app, await createStaff({ role: "AGENT" }));
  lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
  compliance = await signIn(app, await createStaff({ role: "COMPLIANCE" }));
});
afterAll(async () => {
  await app?.close();
});

function composeUrl(params: Record<string, string>): string {
  return `/notifications?${new URLSearchParams(params).toString()}`;
}

describe("compose and preview", () => {
  it("previews the notice with the chosen account's real data", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { name: "佐藤 <i>一郎</i>" });
    const response = await agent.get(
      composeUrl({
        incident: incident.id,
        template: "incident-update",
        target: "selected",
        customers: victim.displayId,
      }),
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("【ご報告】ウォレットへの不正アクセスについて（対策を実施しました）");
    expect(html).toContain("佐藤 &lt;i&gt;一郎&lt;/i&gt; 様");
    expect(html).toContain(victim.email);
    expect(html).toContain("Send to this customer");
  });

  it("the account page's Notify link preselects that customer alone, under their own incident", async () => {
    await createIncident("CONTAINED"); // a newer incident that is not theirs
    const incident = await createIncident("CONTAINED");
    await createVictims(incident.id, 3);
    const victim = await createVictim(incident.id);
    await createIncident("CONTAINED");
    const html = await (await agent.get(`/notifications?customerId=${victim.id}&template=incident-update`)).text();
    expect(html).toMatch(/<strong data-testid="plan-will-queue">1<\/strong> of(\s|<!-- -->)*1(\s|<!-- -->)*recipients/);
    expect(html).toMatch(/<input(?=[^>]*name="target")(?=[^>]*value="selected")(?=[^>]*checked)[^>]*>/);
    expect(html).toContain("Send to this customer");
    expect(html).not.toContain("Send to all");
    expect(html).toContain(victim.email);
    expect(html).toMatch(new RegExp(`<option(?=[^>]*value="${incident.id}")(?=[^>]*selected)[^>]*>`));
  });

  it("refuses, at preview, a notice whose data is missing, and offers no send", async () => {
    const incident = await createIncident("OPEN");
    const victim = await createVictim(incident.id, { caseStatus: "OPEN" });
    const html = await (
      await agent.get(
        composeUrl({
          incident: incident.id,
          template: "account-secured",
          target: "selected",
          customers: victim.displayId,
        }),
      )
    ).text();
    expect(html).toContain("the account to be contained first");
    const sendButton = html.match(/<button[^>]*data-testid="send-button"[^>]*>/)?.[0] ?? "";
    expect(sendButton).toMatch(/\sdisabled(=""|\s|>)/);
  });

  it("serves the HTML version on its own page with a sandboxing CSP", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id);
    const response = await agent.get(
      `/notifications/preview.html?${new URLSearchParams({ incident: incident.id, template: "incident-update", customer: victim.id })}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("sandbox");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await response.text()).toContain('<html lang="ja">');
  });

  it("answers garbage in the query with a page, not a 500", async () => {
    const response = await agent.get(
      "/notifications?incident=%00%27;--&template=<script>&language=xx&target=?&customers=%F0%9F%92%A3",
    );
    expect(response.status).toBe(200);
  });
});

describe("sending", () => {
  it("lets an agent send to one customer and lands on the progress page", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id);
    const response = await agent.post(
      composeUrl({
        incident: incident.id,
        template: "incident-update",
        target: "selected",
        customers: victim.displayId,
      }),
      {
        incidentId: incident.id,
        template: "incident-update",
        language: "auto",
        target: "selected",
        customers: victim.displayId,
      },
    );
    expect(response.status).toBe(302);
    expect(redirectPath(response)).toBe(`/notifications/incidents/${incident.id}?template=incident-update`);
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id, customerId: victim.id } })).toBe(1);
  });

  it("refuses unknown customers in a selection and sends nothing", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id);
    const response = await agent.post("/notifications", {
      incidentId: incident.id,
      template: "incident-update",
      language: "auto",
      target: "selected",
      customers: `${victim.displayId}\nW-NOPE-0000`,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("W-NOPE-0000");
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("does not let an agent send to every victim", async () => {
    const incident = await createIncident("CONTAINED");
    await createVictims(incident.id, 2);
    const response = await agent.post("/notifications", {
      incidentId: incident.id,
      template: "incident-update",
      language: "auto",
      target: "all",
    });
    expect(response.status).toBe(403);
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("asks a lead for a step-up before a bulk send, then sends to every victim", async () => {
    const incident = await createIncident("CONTAINED");
    await createVictims(incident.id, 3);
    const url = composeUrl({ incident: incident.id, template: "incident-update", target: "all" });
    const form = { incidentId: incident.id, template: "incident-update", language: "auto", target: "all" };
    const first = await lead.post(url, form);
    expect(first.status).toBe(302);
    expect(redirectPath(first)).toBe(`/step-up?redirectTo=${encodeURIComponent(url)}`);
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id } })).toBe(0);

    await stepUp(lead, url);
    const second = await lead.post(url, form);
    expect(second.status).toBe(302);
    expect(redirectPath(second)).toBe(`/notifications/incidents/${incident.id}?template=incident-update`);
    expect(await prisma.outboundMessage.count({ where: { incidentId: incident.id, status: "QUEUED" } })).toBe(3);
  });
});

describe("status and resend", () => {
  it("shows per-recipient status to read-only roles, who cannot compose", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id, { emailVerified: false });
    await agent.post("/notifications", {
      incidentId: incident.id,
      template: "incident-update",
      language: "auto",
      target: "selected",
      customers: victim.displayId,
    });
    expect((await compliance.get("/notifications")).status).toBe(403);
    const page = await compliance.get(`/notifications/incidents/${incident.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(victim.displayId);
    expect(html).toContain("No verified email address on file");
    expect(html).not.toContain("/retry");
  });

  it("resends a failed message from the status page", async () => {
    const incident = await createIncident("CONTAINED");
    const victim = await createVictim(incident.id);
    await agent.post("/notifications", {
      incidentId: incident.id,
      template: "incident-update",
      language: "auto",
      target: "selected",
      customers: victim.displayId,
    });
    const row = await prisma.outboundMessage.findFirstOrThrow({ where: { customerId: victim.id } });
    await prisma.outboundMessage.update({
      where: { id: row.id },
      data: { status: "FAILED", lastError: "554 rejected" },
    });
    const back = `/notifications/incidents/${incident.id}`;
    expect(await (await agent.get(back)).text()).toContain(`/notifications/messages/${row.id}/retry`);
    const response = await agent.post(`/notifications/messages/${row.id}/retry`, { redirectTo: back });
    expect(response.status).toBe(302);
    expect(redirectPath(response)).toBe(back);
    expect(await prisma.outboundMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "QUEUED",
    });
    expect((await compliance.post(`/notifications/messages/${row.id}/retry`, { redirectTo: back })).status).toBe(403);
  });
});

describe("the development mail viewer", () => {
  it("shows what the sink received, and does not exist in production", async () => {
    const sink = await startDevSink();
    const transport = nodemailer.createTransport({ host: sink.host, port: sink.port, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: "security@wallet.example",
      to: "someone@wallet-test.example",
      subject: "開発用の確認メール",
      text: "本文です",
      html: "<p style='color:red'>本文です</p>",
    });
    transport.close();
    await sink.close();
    const message = listSinkMessages().find((m) => m.subject === "開発用の確認メール")!;
    expect(await (await agent.get("/dev/mail")).text()).toContain("開発用の確認メール");
    expect(await (await agent.get(`/dev/mail/${message.id}`)).text()).toContain("本文です");
    const htmlPart = await agent.get(`/dev/mail/${message.id}/html`);
    expect(htmlPart.headers.get("content-security-policy")).toContain("sandbox");

    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      expect((await agent.get("/dev/mail")).status).toBe(404);
      expect((await agent.get(`/dev/mail/${message.id}`)).status).toBe(404);
      expect((await agent.get(`/dev/mail/${message.id}/html`)).status).toBe(404);
      await expect(startDevSink()).rejects.toThrow("never runs in production");
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
