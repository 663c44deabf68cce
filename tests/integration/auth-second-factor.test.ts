// The TOTP step over real HTTP: mandatory enrollment (invite → password → QR/manual key → recovery codes shown once),
// replay refusal, the 5-wrong-codes block, recovery codes, no session fixation, and that a password-only session
// reaches nothing but the second-step pages.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import type { ServerBuild } from "@remix-run/node";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createBootstrapAdmin } from "~/auth/bootstrap-admin.server";
import { hashToken } from "~/auth/session.server";
import { totpCodeForStep, totpStepAt } from "~/auth/totp.server";
import { prisma } from "~/db.server";
import { advanceClock, now, resetClock } from "~/lib/clock.server";
import { createClient, HttpClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import {
  createStaff,
  lastUsedTotpCode,
  nextTotpCode,
  signIn,
  signInWithPasswordOnly,
  type TestStaff,
} from "../support/staff";

const THIRTY_MINUTES = 30 * 60 * 1000;
const SEVENTY_TWO_HOURS = 72 * 60 * 60 * 1000;

let app: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(() => app.close());
afterEach(() => resetClock());

/** A well-formed code that is certainly wrong for this secret right now. */
function wrongCode(staff: TestStaff): string {
  const current = totpStepAt(now());
  const valid = new Set([-1n, 0n, 1n].map((offset) => totpCodeForStep(staff.totpSecret!, current + offset)));
  for (let candidate = 0; ; candidate++) {
    const code = String(candidate).padStart(6, "0");
    if (!valid.has(code)) return code;
  }
}

function sessionToken(client: HttpClient): string | undefined {
  return client.cookies.get("firebreak_session");
}

describe("TOTP codes work once", () => {
  it("refuses a code that was already used, even from another session (audited)", async () => {
    const staff = await createStaff();
    await signIn(app, staff);
    const second = await signInWithPasswordOnly(app, staff);
    const replay = await second.post("/sign-in/totp", { code: lastUsedTotpCode(staff) });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("already been used");
    const failed = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.sign-in.second-factor", targetId: staff.id, outcome: "FAILED" },
    });
    expect(failed.after).toMatchObject({ reason: "replayed", method: "totp" });
    // The next code still works.
    expect((await second.post("/sign-in/totp", { code: nextTotpCode(staff) })).status).toBe(302);
  });

  it("lets exactly one of two simultaneous submissions of the same code through", async () => {
    const staff = await createStaff();
    const [a, b] = await Promise.all([signInWithPasswordOnly(app, staff), signInWithPasswordOnly(app, staff)]);
    const code = nextTotpCode(staff);
    const statuses = await Promise.all([a, b].map((c) => c.post("/sign-in/totp", { code }).then((r) => r.status)));
    expect(statuses.sort()).toEqual([302, 400]);
  });
});

describe("5 wrong codes in 30 minutes block the second step", () => {
  it("blocks sign-in for the rest of the window, even with the right code (audited)", async () => {
    const staff = await createStaff();
    const client = await signInWithPasswordOnly(app, staff);
    for (let i = 0; i < 4; i++) {
      const response = await client.post("/sign-in/totp", { code: wrongCode(staff) });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("That code is not correct");
    }
    const fifth = await client.post("/sign-in/totp", { code: wrongCode(staff) });
    expect(fifth.status).toBe(429);
    expect(await fifth.text()).toContain("blocked until");
    const right = await client.post("/sign-in/totp", { code: nextTotpCode(staff) });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await prisma.auditEvent.count({ where: { action: "staff.second-factor.block", targetId: staff.id } })).toBe(
      1,
    );
    expect(
      await prisma.auditEvent.count({
        where: { action: "staff.sign-in.second-factor", targetId: staff.id, outcome: "DENIED" },
      }),
    ).toBe(1);

    advanceClock(THIRTY_MINUTES);
    // The password-only session has expired meanwhile (15 minutes); a new sign-in passes once the window is over.
    expect((await client.get("/sign-in/totp")).status).toBe(302);
    await signIn(app, staff);
  });

  it("blocks step-up in the session that entered the wrong codes (lockout-weapon.test.ts: only there)", async () => {
    const staff = await createStaff();
    const client = await signIn(app, staff);
    for (let i = 0; i < 5; i++) await client.post("/step-up", { code: wrongCode(staff), redirectTo: "/" });
    const response = await client.post("/step-up", { code: nextTotpCode(staff), redirectTo: "/" });
    expect(response.status).toBe(429);
    const session = await prisma.staffSession.findFirstOrThrow({ where: { staffId: staff.id } });
    expect(session.steppedUpAt).toBeNull();
  });
});

describe("recovery codes", () => {
  it("sign in once each, and count towards the wrong-code limit", async () => {
    const staff = await createStaff();
    const client = await signInWithPasswordOnly(app, staff);
    const code = staff.recoveryCodes[0]!;
    const used = await client.post("/sign-in/recovery", { code: code.toUpperCase() });
    expect(used.status).toBe(302);
    expect(redirectPath(used)).toBe("/");
    expect((await client.get("/")).status).toBe(200);

    const again = await signInWithPasswordOnly(app, staff);
    const reused = await again.post("/sign-in/recovery", { code });
    expect(reused.status).toBe(400);
    expect(await prisma.staffTotpFailure.count({ where: { staffId: staff.id } })).toBe(1);
    expect(await prisma.staffRecoveryCode.count({ where: { staffId: staff.id, usedAt: null } })).toBe(9);
  });
});

describe("no session fixation", () => {
  it("issues a new token at each step and ends the previous ones", async () => {
    const staff = await createStaff();
    const planted = await signInWithPasswordOnly(app, staff);
    const plantedToken = sessionToken(planted)!;
    // The victim's browser holds the planted token when they sign in.
    const client = createClient(app);
    client.cookies.set("firebreak_session", plantedToken);
    await client.post("/sign-in", { email: staff.email, password: staff.password });
    const passwordToken = sessionToken(client)!;
    expect(passwordToken).not.toBe(plantedToken);
    expect(await prisma.staffSession.findUnique({ where: { id: hashToken(plantedToken) } })).toBeNull();

    await client.post("/sign-in/totp", { code: nextTotpCode(staff) });
    const fullToken = sessionToken(client)!;
    expect(fullToken).not.toBe(passwordToken);
    expect(await prisma.staffSession.findUnique({ where: { id: hashToken(passwordToken) } })).toBeNull();
    expect((await prisma.staffSession.findUniqueOrThrow({ where: { id: hashToken(fullToken) } })).stage).toBe("FULL");
    // The token is 160 random bits (32 base32 characters); only its SHA-256 is stored.
    expect(fullToken).toMatch(/^[a-z2-7]{32}$/);
    expect(await prisma.staffSession.count({ where: { id: fullToken } })).toBe(0);
  });
});

describe("a password-only session reaches only the second-step pages", () => {
  // Routes that declare themselves open (`permission = null`, each justified in route-permissions.test.ts) answer a
  // password-only session on purpose; every other route must send it to the second step.
  const isOpen = (module: Record<string, unknown>) => module.permission === null;

  function fullPath(build: ServerBuild, id: string): string {
    const route = build.routes[id]!;
    const own = route.path ?? "";
    const parent = route.parentId && route.parentId !== "root" ? fullPath(build, route.parentId) : "";
    return `${parent}/${own}`.replace(/\/+/g, "/");
  }

  it("redirects every other page and action of the build to the second step", async () => {
    const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
    const staff = await createStaff();
    const client = await signInWithPasswordOnly(app, staff);
    const checked: string[] = [];
    for (const [id, route] of Object.entries(build.routes)) {
      if (id === "root" || isOpen(route.module as unknown as Record<string, unknown>)) continue;
      const url = fullPath(build, id)
        .replace(/:[A-Za-z]+/g, "00000000-0000-4000-8000-000000000000")
        .replace(/\*$/, "x");
      if (route.module.loader) {
        const response = await client.get(url);
        expect([url, response.status, redirectPath(response)?.replace(/\?.*/, "")]).toEqual([
          url,
          302,
          "/sign-in/totp",
        ]);
        checked.push(`GET ${url}`);
      }
      if (route.module.action) {
        const response = await client.post(`${url}${route.index ? "?index" : ""}`, { intent: "anything" });
        expect([url, response.status, redirectPath(response)?.replace(/\?.*/, "")]).toEqual([
          url,
          302,
          "/sign-in/totp",
        ]);
        checked.push(`POST ${url}`);
      }
    }
    expect(checked).toContain("GET /");
    expect(checked).toContain("GET /admin/staff");
    expect(checked).toContain("POST /step-up");
    expect((await client.get("/sign-in/totp")).status).toBe(200);
  });
});

describe("mandatory enrollment", () => {
  it("takes an invited admin from the one-time link through password, QR code and recovery codes", async () => {
    const email = `first-admin-${Date.now()}@staff.test`;
    const { invite, staffId } = await createBootstrapAdmin({ email, displayName: "First Admin" });
    const client = createClient(app);
    const landing = await client.get(`/invite/${invite.token}`);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain(email);

    const weak = await client.post(`/invite/${invite.token}`, { password: "short", confirmPassword: "short" });
    expect(weak.status).toBe(400);
    const password = "a long enough passphrase for staff";
    const accepted = await client.post(`/invite/${invite.token}`, { password, confirmPassword: password });
    expect(accepted.status).toBe(302);
    expect(redirectPath(accepted)).toBe("/sign-in/enroll");

    // Password-only: nothing but enrollment.
    expect(redirectPath(await client.get("/admin/staff"))).toMatch(/^\/sign-in\/enroll/);

    const page = await (await client.get("/sign-in/enroll")).text();
    expect(page).toContain('src="data:image/svg+xml;base64,');
    const manualKey = /data-testid="totp-manual-key"[^>]*>([^<]+)</.exec(page)![1]!.replace(/\s/g, "");
    // A reload shows the same secret (a mistyped code does not force a rescan).
    expect((await (await client.get("/sign-in/enroll")).text()).includes(manualKey.slice(0, 4))).toBe(true);
    const secret = decodeBase32IgnorePadding(manualKey);

    const wrong = await client.post("/sign-in/enroll", { code: totpCodeForStep(secret, totpStepAt(now()) + 5n) });
    expect(wrong.status).toBe(400);
    const enrolled = await client.post("/sign-in/enroll", { code: totpCodeForStep(secret, totpStepAt(now())) });
    expect(enrolled.status).toBe(302);
    expect(redirectPath(enrolled)).toBe("/sign-in/recovery-codes");

    const codesPage = await (await client.get("/sign-in/recovery-codes")).text();
    const codes = [...codesPage.matchAll(/>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    // Shown once.
    expect(await (await client.get("/sign-in/recovery-codes")).text()).not.toContain(codes[0]);
    expect((await client.get("/admin/staff")).status).toBe(200);

    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: staffId } });
    expect(row.totpEnrolledAt).not.toBeNull();
    expect(row.totpSecretEncrypted).not.toContain(manualKey);
    expect(await prisma.staffRecoveryCode.count({ where: { staffId } })).toBe(10);
    const stored = await prisma.staffRecoveryCode.findMany({ where: { staffId } });
    expect(stored.some((r) => codes.includes(r.codeHash))).toBe(false);
    expect(await prisma.auditEvent.count({ where: { action: "staff.totp.enroll", targetId: staffId } })).toBe(1);

    // The link is spent.
    expect(await (await createClient(app).get(`/invite/${invite.token}`)).text()).toContain("does not work");
  });

  it("forces enrollment at the first password sign-in of a member without an authenticator", async () => {
    const staff = await createStaff({ enrolled: false });
    const client = createClient(app);
    const response = await client.post("/sign-in", { email: staff.email, password: staff.password });
    expect(redirectPath(response)).toBe("/sign-in/enroll");
    expect(redirectPath(await client.get("/sign-in/totp"))).toMatch(/^\/sign-in\/enroll/);
  });

  it("refuses a link after 72 hours", async () => {
    const { invite } = await createBootstrapAdmin({ email: `late-${Date.now()}@staff.test` });
    advanceClock(SEVENTY_TWO_HOURS);
    const client = createClient(app);
    expect(await (await client.get(`/invite/${invite.token}`)).text()).toContain("does not work");
    const password = "a long enough passphrase for staff";
    expect((await client.post(`/invite/${invite.token}`, { password, confirmPassword: password })).status).toBe(404);
  });
});
