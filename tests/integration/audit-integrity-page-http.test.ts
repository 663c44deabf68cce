// The integrity page in Japanese says how often the trail is signed (the cadence the checkpoint worker runs at, not a
// figure written into the copy) and who signed each checkpoint in words, not as the stored code ("schedule").
// Needs `npx remix build` first.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signCheckpoint } from "~/audit/checkpoint-service.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { database } from "~/db.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn } from "../support/staff";

let app: TestHttpApp;

beforeAll(async () => {
  app = await startHttpApp();
});

afterAll(async () => {
  await app.close();
});

describe("the integrity page in Japanese", () => {
  it("states the signing cadence in force and who signed", async () => {
    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE", language: "ja" }));
    await recordAuditEvent({
      actor: { kind: "system", id: "system:test" },
      origin: { ip: null, userAgent: null, requestId: null },
      action: "test.integrity-page",
      outcome: "SUCCESS",
      targetId: randomUUID(),
    });
    expect((await signCheckpoint(database, "schedule")).status).toBe("created");

    const page = await compliance.get("/audit/integrity");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("新しい行があれば5秒ごとに最新の行を");
    expect(html).not.toContain("10分ごと");
    expect(html).toMatch(/<td class="py-1 pr-3 text-xs">定期署名<\/td>/);
    expect(html).not.toContain(">schedule<");
  });
});
