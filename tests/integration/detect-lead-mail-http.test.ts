// A security lead's alert mail that failed or is in doubt, over real HTTP (run `npx remix build` first): the alerts
// page, the alert's own page and the dashboard say so, per lead, in the viewer's language, with what to do; a member
// who may send mail can resend it from there, and one who may not sees no button.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { mailLeadsAboutAlert } from "~/detect/lead-mail.server";
import en from "~/i18n/locales/en/detect";
import ja from "~/i18n/locales/ja/detect";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn } from "../support/staff";

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app?.close();
});

/** Text as React writes it into HTML. */
const asHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");

async function alertWithLeadMail() {
  const english = await createStaff({ role: "SECURITY_LEAD", displayName: `Lead ${randomUUID().slice(0, 6)}` });
  const japanese = await createStaff({
    role: "SECURITY_LEAD",
    language: "ja",
    displayName: `責任者 ${randomUUID().slice(0, 6)}`,
  });
  const at = new Date();
  const alert = await prisma.detectAlert.create({
    data: {
      detector: "signin-new-device-abroad",
      version: 1,
      minute: new Date(at.getTime() - 60_000),
      raisedAt: at,
      severity: "HIGH",
      peakSeverity: "HIGH",
      value: 40,
      baseline: { method: "weekly", centre: 0, spread: 0, level: 0.02, samples: 350 },
      evidence: { accounts: [], devices: [], ips: [], stores: [] },
      lastAboveAt: at,
    },
  });
  const { messages } = await mailLeadsAboutAlert(prisma, {
    alertId: alert.id,
    detector: alert.detector,
    severity: alert.peakSeverity,
    value: alert.value,
    minute: alert.minute,
    evidence: { accounts: [], devices: [], ips: [], stores: [] },
  });
  const failedId = messages.find((m) => m.staffId === english.id)!.messageId;
  const doubtfulId = messages.find((m) => m.staffId === japanese.id)!.messageId;
  await prisma.outboundMessage.update({
    where: { id: failedId },
    data: { status: "FAILED", failure: "REJECTED", attempts: 1, lastError: "554 5.7.1 mailbox unavailable" },
  });
  await prisma.outboundMessage.update({
    where: { id: doubtfulId },
    data: { status: "UNCERTAIN", attempts: 1, lastError: "connection lost mid-transaction without a reply" },
  });
  return { alert, english, japanese, failedId, doubtfulId };
}

describe("a lead's alert mail that did not arrive", () => {
  it("is shown on the alerts page, the alert's page and the dashboard, with what to do and a resend", async () => {
    const { alert, english, japanese, failedId, doubtfulId } = await alertWithLeadMail();
    const lead = await signIn(app, english);

    const list = await (await lead.get("/alerts")).text();
    expect(list).toContain('data-testid="lead-mail-problems"');
    expect(list).toContain(asHtml(en.leadMail.title.replace("{{count}}", "2")));
    expect(list).toContain(asHtml(en.leadMail.failed));
    expect(list).toContain(asHtml(en.leadMail.uncertain));
    expect(list).toContain(english.displayName);
    expect(list).toContain(japanese.displayName);
    expect(list).toContain("554 5.7.1 mailbox unavailable");
    expect(list).toContain(`href="/alerts/${alert.id}"`);
    expect(list).toContain(`/notifications/messages/${failedId}/retry`);
    expect(list).toContain(`/notifications/messages/${doubtfulId}/retry`);

    const page = await (await lead.get(`/alerts/${alert.id}`)).text();
    expect(page).toContain(asHtml(en.leadMail.onAlertTitle.replace("{{count}}", "2")));
    expect(page).toContain(`/notifications/messages/${failedId}/retry`);

    const home = await (await lead.get("/")).text();
    expect(home).toContain('data-testid="lead-mail-problems"');
    expect(home).toContain(`href="/alerts/${alert.id}"`);

    // In the viewer's language.
    const japaneseView = await (await (await signIn(app, japanese)).get("/alerts")).text();
    expect(japaneseView).toContain(ja.leadMail.title.replace("{{count}}", "2"));
    expect(japaneseView).toContain(ja.leadMail.uncertain);

    // Resent from the alerts page: queued again to the lead's address, and no longer listed as a problem.
    const resent = await lead.post(`/notifications/messages/${failedId}/retry`, { redirectTo: "/alerts" });
    expect(resent.status).toBe(302);
    expect(resent.headers.get("location")).toBe("/alerts");
    expect(await prisma.outboundMessage.findUniqueOrThrow({ where: { id: failedId } })).toMatchObject({
      status: "QUEUED",
      recipient: english.email,
    });
    const after = await (await lead.get("/alerts")).text();
    expect(after).not.toContain(`/notifications/messages/${failedId}/retry`);
    expect(after).toContain(`/notifications/messages/${doubtfulId}/retry`);
    await prisma.outboundMessage.deleteMany({ where: { id: { in: [failedId, doubtfulId] } } });
  });

  it("is shown to a member who may not resend (compliance) without a resend button", async () => {
    const { alert, failedId } = await alertWithLeadMail();
    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE" }));
    const page = await (await compliance.get(`/alerts/${alert.id}`)).text();
    expect(page).toContain('data-testid="lead-mail-problems"');
    expect(page).not.toContain(`/notifications/messages/${failedId}/retry`);
  });

  it("an alert whose mail arrived shows nothing about mail", async () => {
    const { alert, failedId, doubtfulId } = await alertWithLeadMail();
    await prisma.outboundMessage.updateMany({
      where: { id: { in: [failedId, doubtfulId] } },
      data: { status: "SENT", failure: null, lastError: null, sentAt: new Date() },
    });
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    const page = await (await lead.get(`/alerts/${alert.id}`)).text();
    expect(page).not.toContain('data-testid="lead-mail-problems"');
  });
});
