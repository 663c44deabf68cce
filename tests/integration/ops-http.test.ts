// The operator's endpoints over real HTTP: /healthz, /readyz (database, migrations, worker heartbeats, draining),
// /metrics (names and labels operators alert on, who may scrape), the JSON request log, and — on PostgreSQL — the
// 503 page and the metrics while the database refuses connections.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import type express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { beat } from "~/ops/heartbeat.server";
import en from "~/i18n/locales/en/common";
import ja from "~/i18n/locales/ja/common";
import { mayScrape, routeLabel, routePatterns } from "~/ops/http-ops.server";
import { createLogger } from "~/ops/logger.server";
import type { Metrics } from "~/ops/metrics.server";
import { createSimulatedCustomer } from "~/wallet/simulated-customers.server";
import { topUp } from "~/wallet/top-up.server";
import type { ServerBuild } from "@remix-run/node";
import { enqueueNotices } from "~/notify/notices.server";
import { enqueueStaffMail } from "~/notify/staff-mail.server";
import { STAFF_LINK_TEMPLATE } from "~/notify/templates/staff-link";
import { forceReset } from "~/recovery/force-reset.server";
import { createClient, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createIncident, createVictims } from "../support/notify-fixtures";
import { createStaff, signIn, staffContext } from "../support/staff";
import { bringTestDatabaseBack, takeTestDatabaseAway } from "../support/postgres-admin";
import { createRecoveryCustomer } from "./recovery-fixtures";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
let app: TestHttpApp;

beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app?.close();
});

describe("probes", () => {
  it("/healthz answers while the process is up", async () => {
    const response = await createClient(app).get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz is 503 naming the failing check until a worker heartbeat is fresh, then 200", async () => {
    await prisma.workerHeartbeat.deleteMany({});
    const before = await createClient(app).get("/readyz");
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({
      ready: false,
      checks: { database: "ok", migrations: "ok", workers: "fail", accepting: "ok" },
    });
    await beat(`test:${randomUUID()}`, ["bulk-jobs"], new Date());
    const after = await createClient(app).get("/readyz");
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ ready: true });
  });

  it("a heartbeat older than three intervals does not count", async () => {
    await prisma.workerHeartbeat.deleteMany({});
    await beat(`test:${randomUUID()}`, ["bulk-jobs"], new Date(), new Date(Date.now() - 60_000));
    expect((await createClient(app).get("/readyz")).status).toBe(503);
  });
});

describe("metrics", () => {
  it("exposes latency by route pattern, top-up decisions, switch state, outbox, jobs and audit head age", async () => {
    const customer = await createSimulatedCustomer(prisma);
    const card = customer.fundingSources.find((s) => s.kind === "CREDIT_CARD")!.id;
    await topUp({ customerId: customer.id, fundingSourceId: card, amount: 1000 });
    await createClient(app).get(`/accounts/${randomUUID()}`);
    const response = await createClient(app).get("/metrics");
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/firebreak_http_request_duration_seconds_bucket\{[^}]*route="\/accounts\/:customerId"/);
    expect(text).toMatch(/firebreak_topup_decisions_total\{outcome="ACCEPTED"\} [1-9]/);
    expect(text).toMatch(/firebreak_kill_switch_engaged\{key="topup.all"\} 0/);
    expect(text).toMatch(/firebreak_outbox_messages\{status="UNCERTAIN"\} \d+/);
    expect(text).toMatch(/firebreak_outbox_oldest_queued_age_seconds \d/);
    expect(text).toContain("# TYPE firebreak_bulk_job_items gauge");
    expect(text).toMatch(/firebreak_audit_chain_head_age_seconds -?\d/);
    expect(text).toMatch(/firebreak_audit_rows_after_checkpoint \d+/);
    expect(text).toMatch(/firebreak_database_up 1/);
    expect(text).toMatch(/firebreak_metrics_dropped_observations_total 0/);
    expect(text).toContain("firebreak_process_resident_memory_bytes");
  });

  it("may be scraped with the bearer token, or without one only from this machine outside production", () => {
    const req = (address: string, authorization?: string) =>
      ({ socket: { remoteAddress: address }, get: () => authorization }) as unknown as express.Request;
    const token = "a-long-enough-metrics-token";
    expect(mayScrape(req("10.0.0.5", `Bearer ${token}`), token, true)).toBe(true);
    expect(mayScrape(req("127.0.0.1", "Bearer wrong"), token, false)).toBe(false);
    expect(mayScrape(req("127.0.0.1"), undefined, false)).toBe(true);
    expect(mayScrape(req("10.0.0.5"), undefined, false)).toBe(false);
    expect(mayScrape(req("127.0.0.1"), undefined, true)).toBe(false);
  });

  it("labels requests by route pattern, never by the concrete URL", () => {
    const build = {
      routes: {
        root: { id: "root", path: "" },
        a: { id: "a", parentId: "root", path: "accounts/:customerId" },
        b: { id: "b", parentId: "root", path: "accounts/:customerId/reverse" },
        c: { id: "c", parentId: "root", path: "accounts", index: true },
      },
    } as unknown as ServerBuild;
    const patterns = routePatterns(build);
    expect(routeLabel(patterns, "/accounts/123")).toBe("/accounts/:customerId");
    expect(routeLabel(patterns, "/accounts/123/reverse")).toBe("/accounts/:customerId/reverse");
    expect(routeLabel(patterns, "/accounts")).toBe("/accounts");
    expect(routeLabel(patterns, "/no/such/page")).toBe("(unmatched)");
    // A client-side navigation's data (single fetch) is counted as the page it serves.
    expect(routeLabel(patterns, "/accounts/123.data")).toBe("/accounts/:customerId");
    expect(routeLabel(patterns, "/accounts/123/reverse.data")).toBe("/accounts/:customerId/reverse");
    expect(routeLabel(patterns, "/_root.data")).toBe("/");
    expect(routeLabel(patterns, "/no/such/page.data")).toBe("(unmatched)");
  });
});

/** A logger whose JSON lines the test reads. */
function capturedLog() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger(sink) };
}

describe("request log", () => {
  it("writes JSON lines with the request ID and no query string, cookie or password", async () => {
    const { lines, logger } = capturedLog();
    logger.level = "info";
    const { requestLogAndMetrics } = await import("~/ops/http-ops.server");
    const middleware = requestLogAndMetrics(logger, []);
    const listeners: (() => void)[] = [];
    const res = {
      statusCode: 200,
      getHeader: () => "req-1234abcd",
      on: (_event: string, fn: () => void) => listeners.push(fn),
    } as unknown as express.Response;
    const req = { method: "GET", path: "/reset-password", url: "/reset-password?token=secret-reset-token" };
    middleware(req as unknown as express.Request, res, () => undefined);
    listeners.forEach((fn) => fn());
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ requestId: "req-1234abcd", method: "GET", path: "/reset-password", status: 200 });
    expect(lines[0]).not.toContain("secret-reset-token");
  });
});

describe("request log: credentials in the path", () => {
  it("logs an invitation link's route, never its token", async () => {
    const { lines, logger } = capturedLog();
    logger.level = "info";
    const { requestLogAndMetrics } = await import("~/ops/http-ops.server");
    const build = {
      routes: {
        root: { id: "root", path: "" },
        invite: { id: "invite", parentId: "root", path: "invite/:token" },
        account: { id: "account", parentId: "root", path: "accounts/:customerId" },
      },
    } as unknown as ServerBuild;
    const middleware = requestLogAndMetrics(logger, routePatterns(build), async () => {
      throw new Error("no metrics in this test");
    });
    const token = "abcdefghijklmnopqrstuvwxyz234567";
    for (const path of [`/invite/${token}`, `/invite/${token}.data`, "/accounts/123"]) {
      const listeners: (() => void)[] = [];
      const res = { statusCode: 200, getHeader: () => "req-1", on: (_e: string, fn: () => void) => listeners.push(fn) };
      middleware({ method: "GET", path } as express.Request, res as unknown as express.Response, () => undefined);
      listeners.forEach((fn) => fn());
    }
    const entries = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "request");
    expect(entries.map((entry) => entry.path)).toEqual(["/invite/:token", "/invite/:token", "/accounts/123"]);
    expect(lines.join("")).not.toContain(token);
  });
});

describe("request metrics", () => {
  it("says once in the log that the metrics failed to load, and counts the latencies lost until they do", async () => {
    const { lines, logger } = capturedLog();
    const { requestLogAndMetrics } = await import("~/ops/http-ops.server");
    const observed: string[] = [];
    const droppedCounts: number[] = [];
    let loads = 0;
    const loadMetrics = async () => {
      loads += 1;
      if (loads <= 2) throw new Error("Cannot find module prom-client");
      return {
        httpDuration: { observe: (labels: { route: string }) => observed.push(labels.route) },
        droppedObservations: { inc: (n = 1) => droppedCounts.push(n) },
      } as unknown as Pick<Metrics, "httpDuration" | "droppedObservations">;
    };
    const middleware = requestLogAndMetrics(logger, [], loadMetrics);
    const finishRequest = async (path: string) => {
      const listeners: (() => void)[] = [];
      const res = { statusCode: 200, getHeader: () => "req-1", on: (_e: string, fn: () => void) => listeners.push(fn) };
      middleware({ method: "GET", path } as express.Request, res as unknown as express.Response, () => undefined);
      listeners.forEach((fn) => fn());
      await new Promise((resolve) => setTimeout(resolve, 0));
    };

    await finishRequest("/first");
    await finishRequest("/second");
    expect(observed).toEqual([]);
    const failures = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level >= 50);
    expect(failures).toHaveLength(1);
    expect(failures[0].msg).toContain("metrics failed to load");

    await finishRequest("/third");
    await finishRequest("/fourth");
    expect(observed).toEqual(["(unmatched)", "(unmatched)"]);
    expect(droppedCounts).toEqual([2]);
  });
});

describe("mail in doubt on the dashboard", () => {
  it("shows UNCERTAIN mail by incident, with what to do and a link to resend", async () => {
    const incident = await createIncident("CONTAINED");
    await createVictims(incident.id, 2);
    await enqueueNotices(staffContext("SECURITY_LEAD", { steppedUp: true }), {
      incidentId: incident.id,
      template: "incident-update",
    });
    await prisma.outboundMessage.updateMany({ where: { incidentId: incident.id }, data: { status: "UNCERTAIN" } });
    const client = await signIn(app, await createStaff({ role: "AGENT" }));
    const html = await (await client.get("/")).text();
    expect(html).toContain('data-testid="uncertain-mail"');
    // In the member's language (test staff read English unless set otherwise).
    const copy = html.includes('<html lang="ja"') ? ja : en;
    const title = copy === ja ? "確認が必要なメール：2 件" : "2 emails need review";
    expect(html).toContain(title);
    expect(html).toContain(copy.uncertainMail.whatToDo.slice(0, 20).replace(/'/g, "&#x27;"));
    expect(html).toContain(`/notifications/incidents/${incident.id}`);
  });
});

describe("a secret in doubt on the dashboard and the account", () => {
  it("says to issue a new link or code, links where that is done, and offers no resend", async () => {
    const agent = staffContext("AGENT");
    const customer = await createRecoveryCustomer();
    await forceReset(agent, { customerId: customer.id, requireTwoFactor: false, reason: "caller reports a takeover" });
    const member = await createStaff({ role: "AGENT", displayName: `Newcomer ${randomUUID().slice(0, 6)}` });
    await enqueueStaffMail(prisma, {
      template: STAFF_LINK_TEMPLATE,
      subject: randomUUID(),
      recipients: [{ id: member.id, email: member.email, language: "en" }],
      render: () => ({ subject: "Firebreak", text: "one-time link", html: "<p>one-time link</p>" }),
      requestedBy: "test",
    });
    const secrets = { OR: [{ customerId: customer.id }, { staffId: member.id }] };
    await prisma.outboundMessage.updateMany({
      where: secrets,
      data: { status: "UNCERTAIN", attempts: 1, textBody: null, htmlBody: null, redactedAt: new Date() },
    });
    const reset = await prisma.outboundMessage.findFirstOrThrow({ where: { customerId: customer.id } });
    expect(reset.template).toBe("password-reset");

    const client = await signIn(app, await createStaff({ role: "AGENT", language: "en" }));
    const home = await (await client.get("/")).text();
    expect(home).toContain('data-testid="uncertain-secrets"');
    expect(home).toContain(`/accounts/${customer.id}/recovery`);
    expect(home).toContain(`${customer.displayId} — password-reset link`);
    expect(home).toContain(`/admin/staff/${member.id}`);
    expect(home).toContain(en.uncertainMail.secrets.whatToDo.slice(0, 40));

    const account = await (await client.get(`/accounts/${customer.id}`)).text();
    expect(account).toContain('data-testid="secret-not-resent"');
    expect(account).not.toContain(`/notifications/messages/${reset.id}/retry`);
  });
});

describe.skipIf(!onPostgres)("while the database is away (PostgreSQL)", () => {
  it("pages answer 503 with a clear message, not 500; they work again when it is back", async () => {
    const staff = await createStaff({ role: "AGENT" });
    const client = await signIn(app, staff);
    expect((await client.get("/accounts")).status).toBe(200);
    try {
      await takeTestDatabaseAway();
      const away = await client.get("/accounts");
      expect(away.status).toBe(503);
      expect(away.headers.get("retry-after")).toBe("5");
      // In the browser's language (the member's own setting is in the database that is away).
      expect(await away.text()).toContain(en.errorPage.databaseAway.slice(0, 40));
      const japanese = await client.get("/accounts", { headers: { "accept-language": "ja" } });
      expect(japanese.status).toBe(503);
      expect(await japanese.text()).toContain(ja.errorPage.databaseAway.slice(0, 20));
      expect((await createClient(app).get("/readyz")).status).toBe(503);
    } finally {
      await bringTestDatabaseBack();
    }
    expect((await client.get("/accounts")).status).toBe(200);
  });

  it("/metrics says the database is down and shows no stale figure read before; they are back with it", async () => {
    const scrape = async () => {
      const response = await createClient(app).get("/metrics");
      expect(response.status).toBe(200);
      return response.text();
    };
    const before = await scrape();
    expect(before).toMatch(/firebreak_database_up 1/);
    expect(before).toMatch(/firebreak_kill_switch_engaged\{key="topup.all"\} 0/);
    let away: string;
    try {
      await takeTestDatabaseAway();
      away = await scrape();
    } finally {
      await bringTestDatabaseBack();
    }
    expect(away).toMatch(/firebreak_database_up 0/);
    // A switch shown released, a queue shown empty, while nobody can read them, would be the last scrape's word.
    expect(away).not.toMatch(/firebreak_kill_switch_engaged\{/);
    expect(away).not.toMatch(/firebreak_outbox_messages\{/);
    expect(away).toMatch(/firebreak_outbox_oldest_queued_age_seconds NaN/i);
    expect(away).toMatch(/firebreak_audit_chain_head_age_seconds NaN/i);
    // Figures of this process, not of the database, are still served.
    expect(away).toMatch(/firebreak_http_request_duration_seconds_bucket\{/);
    const back = await scrape();
    expect(back).toMatch(/firebreak_database_up 1/);
    expect(back).toMatch(/firebreak_kill_switch_engaged\{key="topup.all"\} 0/);
  });
});
