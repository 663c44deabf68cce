// An alert's page tells a lead, in Japanese first, what was counted, over which minutes (JST), across how many
// accounts, and what to do next (run `npx remix build` first).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
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

describe("an alert's page in Japanese", () => {
  it("says over which JST minutes, across how many accounts, and what to do next", async () => {
    const lead = await createStaff({
      role: "SECURITY_LEAD",
      language: "ja",
      displayName: `責任者 ${randomUUID().slice(0, 6)}`,
    });
    // The minute 23:59 JST on 20 June 2019 (14:59 UTC): the hour it counted began at 23:00 JST the same day.
    const minute = new Date(Date.UTC(2019, 5, 20, 14, 59));
    const accounts = Array.from({ length: 4 }, () => randomUUID());
    const alert = await prisma.detectAlert.create({
      data: {
        detector: "contact-change-after-new-device",
        version: 1,
        minute,
        raisedAt: new Date(minute.getTime() + 60_000),
        severity: "LOW",
        peakSeverity: "LOW",
        value: 4,
        baseline: { method: "weekly", centre: 0, spread: 0, level: 0.05, samples: 350 },
        evidence: { accounts, devices: [], ips: [], stores: [] },
        lastAboveAt: minute,
      },
    });
    const session = await signIn(app, lead);
    const page = await (await session.get(`/alerts/${alert.id}`)).text();
    const summary = page.slice(page.indexOf('data-testid="alert-summary"'));
    expect(summary).toContain(
      "2019/06/20 23:00:00 JST から 2019/06/21 00:00:00 JST までの60分間に、4 件のアカウントで",
    );
    expect(summary).toContain(`次にすること:${ja.next["contact-change-after-new-device"]}`);
  });
});
