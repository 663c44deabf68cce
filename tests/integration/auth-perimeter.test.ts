// The request perimeter over real HTTP: CSRF refusal by Origin / Sec-Fetch-Site, security headers on every response
// (and HSTS plus the __Host- cookie in production), the client address behind a proxy, boot refusal without a TOTP key in production, the test clock's
// absence outside tests, open-redirect refusal, and secrets kept out of the audit trail.
import { spawnSync } from "node:child_process";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { createBootstrapAdmin } from "~/auth/bootstrap-admin.server";
import { clearSessionCookie, serializeSessionCookie } from "~/auth/cookie.server";
import { safeRedirect } from "~/auth/safe-redirect";
import { decryptSecret, encryptSecret } from "~/auth/totp-key.server";
import { generateTotpSecret, matchTotpStep, totpCodeForStep, totpStepAt } from "~/auth/totp.server";
import { prisma } from "~/db.server";
import { EnvironmentError, parseEnv } from "~/env.server";
import { now } from "~/lib/clock.server";
import { createClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { dataPath, loaderDataOf, readSingleFetch, ThrownResponse } from "../support/single-fetch";
import { createStaff, nextTotpCode, signIn, signInWithPasswordOnly, stepUp } from "../support/staff";

let app: TestHttpApp;
let production: TestHttpApp;
beforeAll(async () => {
  app = await startHttpApp();
  production = await startHttpApp({ mode: "production" });
});
afterAll(async () => {
  await app.close();
  await production.close();
});

describe("CSRF: writes must come from our own pages", () => {
  const refusals: [string, { origin?: string | null; headers?: Record<string, string> }][] = [
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["no Origin", { origin: null }],
    ['Origin "null"', { origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { headers: { "sec-fetch-site": "cross-site" } }],
  ];

  it.each(refusals)("refuses a staff change with %s (403) and changes nothing", async (_label, options) => {
    const target = await createStaff();
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const response = await admin.post(`/admin/staff/${target.id}`, { intent: "disable", reason: "forged" }, options);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Cross-site request refused");
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "staff.disable", targetId: target.id } })).toBe(0);
  });

  it("refuses a forged sign-in (login CSRF) and a forged sign-out", async () => {
    const staff = await createStaff();
    const forged = await createClient(app).post(
      "/sign-in",
      { email: staff.email, password: staff.password },
      { origin: "https://evil.example" },
    );
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie()).toEqual([]);
    const client = await signIn(app, staff);
    expect((await client.post("/sign-out", {}, { origin: "https://evil.example" })).status).toBe(403);
    expect((await client.get("/")).status).toBe(200);
  });

  it("judges the path Remix routes by: a raw /api/.. prefix does not carry a form past the check", async () => {
    const staff = await createStaff();
    const form = new URLSearchParams({ email: staff.email, password: staff.password }).toString();
    // node:http sends the path as written (browsers and fetch would resolve the dot segments first).
    for (const rawPath of ["/api/../sign-in", "/api/%2e%2e/sign-in"]) {
      const answer = await new Promise<{ status: number; cookies: string[] }>((resolve, reject) => {
        const base = new URL(app.baseUrl);
        const request = http.request(
          {
            hostname: base.hostname,
            port: base.port,
            path: rawPath,
            method: "POST",
            headers: {
              origin: "https://evil.example",
              authorization: "Bearer not-a-service-token",
              "content-type": "application/x-www-form-urlencoded",
              "content-length": Buffer.byteLength(form),
            },
          },
          (response) => {
            response.resume();
            response.on("end", () =>
              resolve({ status: response.statusCode ?? 0, cookies: response.headers["set-cookie"] ?? [] }),
            );
          },
        );
        request.on("error", reject);
        request.end(form);
      });
      expect(answer).toEqual({ status: 403, cookies: [] });
    }
  });

  it("accepts the same form from our own origin", async () => {
    const target = await createStaff();
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const response = await admin.post(
      `/admin/staff/${target.id}`,
      { intent: "end-sessions" },
      { headers: { "sec-fetch-site": "same-origin" } },
    );
    expect(response.status).toBe(302);
  });
});

function csp(response: Response): Map<string, string> {
  const header = response.headers.get("content-security-policy") ?? "";
  return new Map(
    header.split(";").map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      return [name!, values.join(" ")];
    }),
  );
}

function expectBaselineHeaders(response: Response): void {
  const policy = csp(response);
  expect(policy.get("object-src")).toBe("'none'");
  expect(policy.get("base-uri")).toBe("'none'");
  expect(policy.get("frame-ancestors")).toBe("'none'");
  expect(policy.get("script-src")).not.toContain("unsafe-inline");
  expect(policy.get("script-src")).not.toContain("unsafe-eval");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("same-origin");
  expect(response.headers.get("permissions-policy")).toContain("camera=()");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
}

describe("single fetch data requests (`<path>.data`) are guarded exactly like pages", () => {
  it("a protected page's data: signed out, the same sign-in redirect as the page and no data", async () => {
    const client = createClient(app);
    const page = await client.get("/accounts?q=sato");
    expect(page.status).toBe(302);
    const response = await client.get(dataPath("/accounts?q=sato"));
    const answer = await readSingleFetch(response);
    expect(answer.status).toBe(202);
    expect(answer.redirect).toBe(redirectPath(page));
    expect(answer.redirect).toMatch(/^\/sign-in\?/);
    expect(JSON.stringify(answer.value)).not.toContain("routes/accounts._index");
    expectBaselineHeaders(response);
  });

  it("signed in without the permission: the same 403 as the page, audited with the page's path, and no data", async () => {
    const agent = await signIn(app, await createStaff({ role: "AGENT" }));
    expect((await agent.get("/admin/staff")).status).toBe(403);
    const answer = await readSingleFetch(await agent.get(dataPath("/admin/staff")));
    expect(answer.status).toBe(403);
    const result = (answer.value as Record<string, { data?: unknown; error?: unknown }>)["routes/admin.staff._index"];
    expect(result?.error).toBeInstanceOf(ThrownResponse);
    expect((result?.error as ThrownResponse).status).toBe(403);
    expect(result).not.toHaveProperty("data");
    const denials = await prisma.auditEvent.findMany({
      where: { action: "access.denied", actorId: agent.staff.id },
      select: { targetId: true },
    });
    expect(denials.map((d) => d.targetId)).toEqual(["GET /admin/staff", "GET /admin/staff"]);
  });

  it("an action's data request: signed out, redirected to sign in and nothing changes", async () => {
    const target = await createStaff();
    const form = { intent: "disable", reason: "scripted" };
    const page = await createClient(app).post(`/admin/staff/${target.id}`, form);
    expect(page.status).toBe(302);
    const answer = await readSingleFetch(await createClient(app).post(dataPath(`/admin/staff/${target.id}`), form));
    expect(answer.status).toBe(202);
    expect(answer.redirect).toBe(redirectPath(page));
    expect(answer.redirect).toMatch(/^\/sign-in/);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "staff.disable", targetId: target.id } })).toBe(0);
  });

  it("an action's data request from another site is refused like a form post (403), signed in or not", async () => {
    const target = await createStaff();
    const admin = await signIn(app, await createStaff({ role: "ADMIN" }));
    const forged = await admin.post(
      dataPath(`/admin/staff/${target.id}`),
      { intent: "disable", reason: "forged" },
      { origin: "https://evil.example" },
    );
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("Cross-site request refused");
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
    const staff = await createStaff();
    const forgedSignIn = await createClient(app).post(
      dataPath("/sign-in?index"),
      { email: staff.email, password: staff.password },
      { origin: "https://evil.example" },
    );
    expect(forgedSignIn.status).toBe(403);
    expect(forgedSignIn.headers.getSetCookie()).toEqual([]);
  });

  it("the sign-in route's data: the page's own data signed out, and its action answers as the form does", async () => {
    const client = createClient(app);
    const answer = await readSingleFetch(await client.get(dataPath("/sign-in?redirectTo=%2Faccounts")));
    expect(loaderDataOf(answer, "routes/sign-in._index")).toEqual({
      redirectTo: "/accounts",
      expired: false,
      unsent: false,
    });
    expect(loaderDataOf<{ staff: unknown }>(answer, "root").staff).toBeNull();
    const staff = await createStaff();
    const wrong = await client.post(dataPath("/sign-in?index"), { email: staff.email, password: "x-wrong-password" });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith("firebreak_session="))).toBe(false);
    const rightResponse = await client.post(dataPath("/sign-in?index"), {
      email: staff.email,
      password: staff.password,
    });
    // The password alone never signs in: the second step is next, and its session cookie reaches the browser.
    expect((await readSingleFetch(rightResponse)).redirect).toMatch(/^\/sign-in\/totp/);
    expect(rightResponse.headers.getSetCookie().some((c) => c.startsWith("firebreak_session="))).toBe(true);
    expect((await client.post("/sign-in/totp", { code: nextTotpCode(staff) })).status).toBe(302);
    expect((await client.get("/accounts")).status).toBe(200);
  });
});

describe("security headers on every response", () => {
  it("pages carry an enforced CSP whose per-request nonce is on every script", async () => {
    const client = createClient(app);
    const first = await client.get("/sign-in");
    expect(first.status).toBe(200);
    expectBaselineHeaders(first);
    expect(first.headers.get("content-security-policy-report-only")).toBeNull();
    const nonce = /'nonce-([^']+)'/.exec(csp(first).get("script-src") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const second = await client.get("/sign-in");
    expect(csp(second).get("script-src")).not.toContain(nonce!);
    expect(first.headers.get("strict-transport-security")).toBeNull();
  });

  it("so do redirects, refusals, data responses and unknown paths", async () => {
    const client = createClient(app);
    const responses = [
      await client.get("/"),
      await client.post("/sign-out", {}, { origin: "https://evil.example" }),
      await client.get(dataPath("/sign-in")),
      await client.get("/no-such-page"),
    ];
    expect(responses.map((r) => r.status)).toEqual([302, 403, 200, 404]);
    for (const response of responses) expectBaselineHeaders(response);
  });

  it("production adds HSTS everywhere", async () => {
    const client = createClient(production);
    for (const response of [await client.get("/sign-in"), await client.get("/")]) {
      expect(response.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
      expectBaselineHeaders(response);
    }
  });

  it("production session cookies are __Host-, Secure, HttpOnly, SameSite and host-only", () => {
    const cookie = serializeSessionCookie("a".repeat(32), new Date(Date.now() + 60_000), true);
    expect(cookie).toMatch(/^__Host-firebreak_session=a{32}; /);
    for (const attribute of ["Path=/", "HttpOnly", "SameSite=Lax", "Secure"]) expect(cookie).toContain(attribute);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(clearSessionCookie(true)).toMatch(/^__Host-firebreak_session=; .*Max-Age=0.*Secure/);
    // Development over plain http: no prefix, no Secure (the browser would drop it).
    expect(serializeSessionCookie("a".repeat(32), new Date(), false)).not.toContain("Secure");
  });

  it("the session cookie set over HTTP is HttpOnly and SameSite", async () => {
    const client = createClient(app);
    const staff = await createStaff();
    const response = await client.post("/sign-in", { email: staff.email, password: staff.password });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("firebreak_session="))!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
  });
});

describe("the client address behind a reverse proxy", () => {
  it("is the one the proxy saw: entries the client wrote into X-Forwarded-For itself are ignored", async () => {
    const staff = await createStaff();
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the address it saw.
    await signInWithPasswordOnly(app, staff, { ip: "6.6.6.6, 203.0.113.77" });
    const row = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.sign-in.password", targetId: staff.id },
    });
    expect(row.ip).toBe("203.0.113.77");
  });

  it("counts proxies with FIREBREAK_TRUST_PROXY (none by default) and refuses anything else", () => {
    expect(parseEnv({}).FIREBREAK_TRUST_PROXY).toBe(0);
    expect(parseEnv({ FIREBREAK_TRUST_PROXY: "2" }).FIREBREAK_TRUST_PROXY).toBe(2);
    expect(() => parseEnv({ FIREBREAK_TRUST_PROXY: "true" })).toThrow(EnvironmentError);
  });
});

describe("TOTP key in production", () => {
  const KEY = Buffer.alloc(32, 7).toString("base64");

  it("is required, and must be 32 bytes of base64", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(EnvironmentError);
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/FIREBREAK_TOTP_KEY is required in production/);
    expect(() => parseEnv({ NODE_ENV: "production", FIREBREAK_TOTP_KEY: "c2hvcnQ=" })).toThrow(/32 random bytes/);
    expect(
      parseEnv({
        NODE_ENV: "production",
        FIREBREAK_TOTP_KEY: KEY,
        FIREBREAK_COOKIE_SECRET: "c".repeat(32),
        PUBLIC_BASE_URL: "https://firebreak.example.co.jp",
      }).FIREBREAK_TOTP_KEY,
    ).toBe(KEY);
    expect(parseEnv({ NODE_ENV: "development" }).FIREBREAK_TOTP_KEY).toBeUndefined();
  });

  it("stops `npm start` in production with one clear line when absent", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-boot-"));
    try {
      const result = spawnSync("npx", ["tsx", "scripts/start.ts", "--port", "0", "--no-seed", "--no-workers"], {
        env: { ...process.env, NODE_ENV: "production", FIREBREAK_TOTP_KEY: "", FIREBREAK_DATA_DIR: dataDir },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("FIREBREAK_TOTP_KEY is required in production");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("encrypts secrets so they only decrypt for their owner and purpose", () => {
    const secret = generateTotpSecret();
    const sealed = encryptSecret(secret, "staff:a");
    expect(decryptSecret(sealed, "staff:a")).toEqual(secret);
    expect(decryptSecret(sealed, "staff:b")).toBeNull();
    const [iv, body, tag] = sealed.split(":");
    const flipped = Buffer.from(body!, "base64");
    flipped[0]! ^= 1;
    expect(decryptSecret([iv, flipped.toString("base64"), tag].join(":"), "staff:a")).toBeNull();
    expect(decryptSecret(sealed, "staff:a", Buffer.alloc(32, 1))).toBeNull();
  });

  it("accepts codes one 30-second step either side, and no further", () => {
    const secret = generateTotpSecret();
    const at = now();
    const step = totpStepAt(at);
    for (const offset of [-1n, 0n, 1n])
      expect(matchTotpStep(secret, totpCodeForStep(secret, step + offset), at)).toBe(step + offset);
    for (const offset of [-2n, 2n]) {
      const code = totpCodeForStep(secret, step + offset);
      const inWindow = [-1n, 0n, 1n].some((o) => totpCodeForStep(secret, step + o) === code);
      if (!inWindow) expect(matchTotpStep(secret, code, at)).toBeNull();
    }
    expect(matchTotpStep(secret, "12345", at)).toBeNull();
    expect(matchTotpStep(secret, "abcdef", at)).toBeNull();
  });
});

describe("the test clock", () => {
  it("exists only when FIREBREAK_TEST_CLOCK=1 outside production", async () => {
    const client = createClient(app);
    const before = new Date(((await (await client.get("/test-clock")).json()) as { now: string }).now);
    const moved = await client.post("/test-clock", { intent: "advance", ms: String(60 * 60 * 1000) });
    const after = new Date(((await moved.json()) as { now: string }).now);
    expect(after.getTime() - before.getTime()).toBeGreaterThanOrEqual(60 * 60 * 1000);
    expect(now().getTime()).toBeGreaterThanOrEqual(after.getTime());
    await client.post("/test-clock", { intent: "reset" });
    process.env.FIREBREAK_TEST_CLOCK = "0";
    try {
      expect((await client.get("/test-clock")).status).toBe(404);
      expect((await client.post("/test-clock", { intent: "advance", ms: "60000" })).status).toBe(404);
    } finally {
      process.env.FIREBREAK_TEST_CLOCK = "1";
    }
  });
});

describe("redirects after sign-in stay on this site", () => {
  it.each([
    ["https://evil.example/", "/"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    // Dot segments that resolve to a protocol-relative URL: the browser would follow "//evil.example" off-site.
    ["/.//evil.example", "/"],
    ["/a/..//evil.example/x", "/"],
    ["/%2E//evil.example", "/"],
    ["/admin/./staff", "/admin/staff"],
    ["javascript:alert(1)", "/"],
    ["/sign-in", "/"],
    ["/admin/staff?x=1#top", "/admin/staff?x=1#top"],
    ["/accounts\n/evil", "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  it("carries a local redirectTo through both sign-in steps, and drops a foreign one", async () => {
    const staff = await createStaff({ role: "ADMIN" });
    const client = createClient(app);
    const first = await client.get("/admin/staff");
    expect(redirectPath(first)).toBe("/sign-in?redirectTo=%2Fadmin%2Fstaff");
    const password = await client.post("/sign-in", {
      email: staff.email,
      password: staff.password,
      redirectTo: "/admin/staff",
    });
    expect(redirectPath(password)).toBe("/sign-in/totp?redirectTo=%2Fadmin%2Fstaff");
    const totp = await client.post("/sign-in/totp?redirectTo=%2Fadmin%2Fstaff", { code: nextTotpCode(staff) });
    expect(redirectPath(totp)).toBe("/admin/staff");

    const other = await signInWithPasswordOnly(app, await createStaff());
    const foreign = await other.post("/sign-in/totp?redirectTo=https%3A%2F%2Fevil.example", {
      code: nextTotpCode(other.staff),
    });
    expect(foreign.headers.get("location")).toBe("/");

    const dotted = await signInWithPasswordOnly(app, await createStaff());
    const offSite = await dotted.post("/sign-in/totp?redirectTo=%2F.%2F%2Fevil.example%2Fx", {
      code: nextTotpCode(dotted.staff),
    });
    expect(offSite.headers.get("location")).toBe("/");
  });
});

describe("no secrets in the audit trail", () => {
  it("never records passwords, codes, keys, session tokens or link tokens", async () => {
    const secrets: string[] = [];
    const { invite, staffId } = await createBootstrapAdmin({ email: `audit-${Date.now()}@staff.test` });
    secrets.push(invite.token);
    const client = createClient(app);
    const password = "correct horse battery staple for audit";
    secrets.push(password);
    await client.post(`/invite/${invite.token}`, { password, confirmPassword: password });
    const page = await (await client.get("/sign-in/enroll")).text();
    const manualKey = /data-testid="totp-manual-key"[^>]*>([^<]+)</.exec(page)![1]!.replace(/\s/g, "");
    secrets.push(manualKey);
    const secret = decodeBase32IgnorePadding(manualKey);
    const enrollCode = totpCodeForStep(secret, totpStepAt(now()));
    secrets.push(enrollCode);
    await client.post("/sign-in/enroll", { code: enrollCode });
    secrets.push(client.cookies.get("firebreak_session")!);
    const codesPage = await (await client.get("/sign-in/recovery-codes")).text();
    const recovery = [...codesPage.matchAll(/>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</g)].map((m) => m[1]!);
    secrets.push(...recovery);

    const wrongPassword = "my other password, mistyped";
    secrets.push(wrongPassword);
    await createClient(app).post("/sign-in", { email: `audit-${staffId}@x.test`, password: wrongPassword });
    const staff = await createStaff({ role: "ADMIN" });
    secrets.push(staff.password);
    const signedIn = await signIn(app, staff);
    secrets.push(signedIn.cookies.get("firebreak_session")!);
    await stepUp(signedIn);
    const again = await signInWithPasswordOnly(app, staff);
    await again.post("/sign-in/recovery", { code: staff.recoveryCodes[3]! });
    secrets.push(...staff.recoveryCodes);

    const rows = await prisma.auditEvent.findMany({
      select: { action: true, targetId: true, reason: true, before: true, after: true, userAgent: true },
    });
    const text = JSON.stringify(rows);
    expect(rows.length).toBeGreaterThan(5);
    for (const value of secrets) expect(text).not.toContain(value);
    // TOTP codes are six digits: look for them only where values are recorded, as whole JSON strings.
    expect(text).not.toContain(`"${enrollCode}"`);
  });
});
