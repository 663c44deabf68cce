// The switch board and the service API over real HTTP (the express perimeter in front of the Remix build):
// run `npx remix build` first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { SERVICE_LAGGING_AFTER_MS } from "~/killswitch/board.server";
import { hashServiceToken } from "~/killswitch/service-tokens.server";
import { advanceClock, resetClock } from "~/lib/clock.server";
import { createClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, stepUp, type StaffClient } from "../support/staff";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";

const DAY = 24 * 60 * 60 * 1000;
let app: TestHttpApp;
let releaseLock: () => Promise<void>;
let leadA: StaffClient;
let leadB: StaffClient;
let agent: StaffClient;
let admin: StaffClient;

beforeAll(async () => {
  releaseLock = await holdKillSwitchTestLock();
  app = await startHttpApp();
  leadA = await signIn(app, await createStaff({ role: "SECURITY_LEAD", displayName: "Lead Aoki" }));
  leadB = await signIn(app, await createStaff({ role: "SECURITY_LEAD", displayName: "Lead Baba" }));
  agent = await signIn(app, await createStaff({ role: "AGENT" }));
  admin = await signIn(app, await createStaff({ role: "ADMIN" }));
});

afterAll(async () => {
  await app?.close();
  await releaseLock?.();
});

async function switchRow(key: string) {
  return prisma.killSwitch.findUniqueOrThrow({ where: { key } });
}

async function boardPost(client: StaffClient, form: Record<string, string>) {
  return client.post("/kill-switches?index", form);
}

describe("switch board", () => {
  it("engages after step-up, shows the banner everywhere, and releases with a second lead", async () => {
    const board = await leadA.get("/kill-switches");
    expect(board.status).toBe(200);
    const html = await board.text();
    expect(html).toContain("All top-ups");
    expect(html).toContain("step-up-notice"); // no fresh code yet: the engage form is replaced by the notice

    // Without a fresh code the action sends the lead to step up, and changes nothing.
    const before = await switchRow("topup.bank");
    const noStepUp = await boardPost(leadA, { intent: "engage", key: "topup.bank", reason: "bank fraud" });
    expect(noStepUp.status).toBe(302);
    expect(redirectPath(noStepUp)).toMatch(/^\/step-up\?redirectTo=/);
    expect(await switchRow("topup.bank")).toEqual(before);

    await stepUp(leadA, "/kill-switches");
    const blank = await boardPost(leadA, {
      intent: "engage",
      key: "topup.bank",
      reason: "   ",
      formId: "engage:topup.bank",
    });
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain("Give a reason for engaging the switch");
    expect(await switchRow("topup.bank")).toEqual(before);

    const engaged = await boardPost(leadA, { intent: "engage", key: "topup.bank", reason: "bank fraud wave" });
    expect(engaged.status).toBe(302);
    expect(redirectPath(engaged)).toBe("/kill-switches");
    expect(await switchRow("topup.bank")).toMatchObject({ engaged: true, reason: "bank fraud wave" });

    // The banner is on every page, for every role.
    const home = await agent.get("/");
    expect(await home.text()).toMatch(/kill-switch-banner[\s\S]*Bank top-ups/);
    const afterEngage = await (await leadA.get("/kill-switches")).text();
    expect(afterEngage).toContain("refused (TOPUP_SUSPENDED)");

    // A direct release is refused (four-eyes) and audited.
    const direct = await boardPost(leadA, { intent: "release", key: "topup.bank", formId: "x" });
    expect(direct.status).toBe(403);
    expect(await direct.text()).toContain("second security lead");

    const requested = await boardPost(leadA, { intent: "request-release", key: "topup.bank", reason: "fixed" });
    expect(requested.status).toBe(302);
    const request = await prisma.killSwitchReleaseRequest.findUniqueOrThrow({
      where: { pendingSwitchKey: "topup.bank" },
    });

    const self = await boardPost(leadA, { intent: "approve", requestId: request.id, formId: `approve:${request.id}` });
    expect(self.status).toBe(403);
    expect(await self.text()).toContain("another security lead must approve it");

    const agentTry = await boardPost(agent, { intent: "approve", requestId: request.id, formId: "x" });
    expect(agentTry.status).toBe(403);
    expect((await switchRow("topup.bank")).engaged).toBe(true);

    await stepUp(leadB, "/kill-switches");
    const approved = await boardPost(leadB, { intent: "approve", requestId: request.id, comment: "agreed" });
    expect(approved.status).toBe(302);
    expect(await switchRow("topup.bank")).toMatchObject({ engaged: false });
    // Released: the next page the agent opens has no banner (the switches are read with each page's session check).
    expect(await (await agent.get("/")).text()).not.toContain("kill-switch-banner");
    const history = await (await agent.get("/kill-switches")).text();
    expect(history.replaceAll("<!-- -->", "")).toContain("requested by Lead Aoki");
    expect(history.replaceAll("<!-- -->", "")).toContain("approved by Lead Baba");

    const audit = await prisma.auditEvent.findMany({
      where: {
        actorId: { in: [leadA.staff.id, leadB.staff.id, agent.staff.id] },
        action: { startsWith: "killswitch." },
      },
      orderBy: { seq: "asc" },
      select: { action: true, outcome: true },
    });
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: "killswitch.engage", outcome: "DENIED" },
        { action: "killswitch.engage", outcome: "SUCCESS" },
        { action: "killswitch.release", outcome: "DENIED" },
        { action: "killswitch.release.request", outcome: "SUCCESS" },
        { action: "killswitch.release.approve", outcome: "DENIED" },
        { action: "killswitch.release.approve", outcome: "SUCCESS" },
      ]),
    );
  });

  it("an agent can see the board but its engage attempt is refused and audited", async () => {
    const response = await boardPost(agent, { intent: "engage", key: "topup.bank", reason: "me", formId: "x" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("You do not have permission");
    expect((await switchRow("topup.bank")).engaged).toBe(false);
    const denied = await prisma.auditEvent.findFirst({
      where: { actorId: agent.staff.id, action: "killswitch.engage" },
      orderBy: { seq: "desc" },
    });
    expect(denied).toMatchObject({ outcome: "DENIED" });
  });
});

describe("service API", () => {
  it("issues a token once, serves state with ETags, records acks, and stops at revocation", async () => {
    // Only an admin manages tokens, after a step-up.
    expect((await leadA.get("/admin/service-tokens")).status).toBe(403);
    await stepUp(admin, "/admin/service-tokens");
    const created = await admin.post("/admin/service-tokens", {
      intent: "create",
      formId: "create",
      serviceName: "payments-gateway",
    });
    expect(created.status).toBe(200);
    expect(created.headers.get("cache-control")).toContain("no-store");
    const token = /fbk_svc_[a-z2-7]{52}/.exec(await created.text())?.[0];
    expect(token).toBeDefined();
    const stored = await prisma.serviceToken.findFirstOrThrow({ where: { tokenHash: hashServiceToken(token!) } });
    expect(JSON.stringify(stored)).not.toContain(token!);
    // The page never shows it again.
    expect(await (await admin.get("/admin/service-tokens")).text()).not.toContain(token!);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "service-token.create", actorId: admin.staff.id },
    });
    expect(
      JSON.stringify(audit, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)),
    ).not.toContain(token!);

    const machine = createClient(app);
    const anonymous = await machine.get("/api/v1/kill-switches");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    expect(
      (await machine.get("/api/v1/kill-switches", { headers: { authorization: "Bearer fbk_svc_nope" } })).status,
    ).toBe(401);

    const auth = { authorization: `Bearer ${token}` };
    const first = await machine.get("/api/v1/kill-switches", { headers: auth });
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const document = (await first.json()) as { switches: { key: string; engaged: boolean; version: number }[] };
    expect(document.switches.map((s) => s.key)).toContain("topup.all");
    expect(JSON.stringify(document)).not.toContain("reason");
    const topupAll = document.switches.find((s) => s.key === "topup.all")!;

    const unchanged = await machine.get("/api/v1/kill-switches", { headers: { ...auth, "if-none-match": etag } });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe("");

    // A machine client: bearer token, no cookie, no Origin header — let through the CSRF perimeter.
    const ack = await machine.request("/api/v1/kill-switches/ack", {
      method: "POST",
      origin: null,
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ instance: "pod-a", applied: [{ key: "topup.all", version: topupAll.version }] }),
    });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ service: "payments-gateway", instance: "pod-a", recorded: 1 });

    for (const [body, status] of [
      [{ instance: "pod-a", applied: [{ key: "topup.everything", version: 1 }] }, 422],
      [{ instance: "pod-a", applied: [{ key: "topup.all", version: topupAll.version + 100 }] }, 422],
      [{ instance: "pod a!", applied: [{ key: "topup.all", version: 1 }] }, 422],
      ["{not json", 400],
      [{ instance: "pod-a", applied: [{ key: "topup.all\u0000", version: 1 }] }, 422],
      [{ instance: "pod-a", applied: [{ key: "topup.all", version: 1e300 }] }, 422],
      [{ instance: "pod-a", applied: "topup.all" }, 422],
      ["null", 422],
      ["[]", 422],
    ] as const) {
      const refused = await machine.request("/api/v1/kill-switches/ack", {
        method: "POST",
        origin: null,
        headers: { ...auth, "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      expect(refused.status, JSON.stringify(body)).toBe(status);
      expect(((await refused.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(5);
    }

    const boardHtml = await (await leadA.get("/kill-switches")).text();
    expect(boardHtml).toContain("ack-topup.all-payments-gateway-pod-a");
    expect(boardHtml).toMatch(/v<!-- -->\d+<!-- --> <!-- -->✓ current/);

    // A change makes the old ETag stale. (Each TOTP code works once: move past the codes used so far.)
    advanceClock(31_000);
    await stepUp(leadA, "/kill-switches");
    await boardPost(leadA, { intent: "engage", key: "topup.all", reason: "etag test" });
    const changed = await machine.get("/api/v1/kill-switches", { headers: { ...auth, "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    const engagedDoc = (await changed.json()) as typeof document;
    expect(engagedDoc.switches.find((s) => s.key === "topup.all")).toMatchObject({
      engaged: true,
      version: topupAll.version + 1,
    });
    const boardBehind = await (await leadA.get("/kill-switches")).text();
    expect(boardBehind).toContain(`behind (current v${topupAll.version + 1})`);
    expect(boardBehind).not.toContain('data-testid="lagging-topup.all"'); // a poll or two late is no alarm yet
    advanceClock(SERVICE_LAGGING_AFTER_MS + 1_000);
    const boardLagging = await (await leadA.get("/kill-switches")).text();
    expect(boardLagging).toContain('data-testid="lagging-topup.all"');
    expect(boardLagging).toContain(`payments-gateway/pod-a (still on v${topupAll.version})`);
    const request = await boardPost(leadA, { intent: "request-release", key: "topup.all", reason: "test over" });
    expect(request.status).toBe(302);
    const pending = await prisma.killSwitchReleaseRequest.findUniqueOrThrow({
      where: { pendingSwitchKey: "topup.all" },
    });
    await stepUp(leadB, "/kill-switches");
    expect((await boardPost(leadB, { intent: "approve", requestId: pending.id })).status).toBe(302);

    // Revoked: refused at once.
    const revoke = await admin.post("/admin/service-tokens", {
      intent: "revoke",
      tokenId: stored.id,
      reason: "rotated",
    });
    expect(revoke.status).toBe(302);
    expect((await machine.get("/api/v1/kill-switches", { headers: auth })).status).toBe(401);
  });

  it("a token expires on the day chosen at creation (90 by default, at most a year), then gets a 401", async () => {
    advanceClock(31_000);
    await stepUp(admin, "/admin/service-tokens");
    const create = (serviceName: string, validDays?: string) =>
      admin.post("/admin/service-tokens", {
        intent: "create",
        formId: "create",
        serviceName,
        ...(validDays === undefined ? {} : { validDays }),
      });
    for (const validDays of ["0", "366", "1.5", "ninety", "-1"]) {
      const refused = await create("refused-validity", validDays);
      expect(refused.status, validDays).toBe(400);
      expect(await refused.text()).toContain("1 to 365 whole days");
    }
    expect(await prisma.serviceToken.count({ where: { serviceName: "refused-validity" } })).toBe(0);

    expect((await create("default-validity")).status).toBe(200);
    const byDefault = await prisma.serviceToken.findFirstOrThrow({ where: { serviceName: "default-validity" } });
    expect(byDefault.expiresAt.getTime() - byDefault.createdAt.getTime()).toBe(90 * DAY);

    const created = await create("short-lived", "1");
    const token = /fbk_svc_[a-z2-7]{52}/.exec(await created.text())![0];
    const stored = await prisma.serviceToken.findFirstOrThrow({ where: { tokenHash: hashServiceToken(token) } });
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(DAY);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "service-token.create", targetId: "short-lived" },
    });
    expect(audit.after).toMatchObject({ validDays: 1, expiresAt: stored.expiresAt.toISOString() });
    const page = await (await admin.get("/admin/service-tokens")).text();
    expect(page).toContain("Expires");
    expect(page).toContain('data-testid="token-expires"');

    const machine = createClient(app);
    const auth = { authorization: `Bearer ${token}` };
    try {
      advanceClock(DAY - 60_000);
      expect((await machine.get("/api/v1/kill-switches", { headers: auth })).status).toBe(200);
      advanceClock(60_000);
      const expired = await machine.get("/api/v1/kill-switches", { headers: auth });
      expect(expired.status).toBe(401);
      expect(expired.headers.get("www-authenticate")).toContain("invalid_token");
    } finally {
      resetClock();
    }
  });
});
