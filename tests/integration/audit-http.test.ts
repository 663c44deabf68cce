// The audit trail over HTTP, as staff use it: who may see, export and verify; bad input answered with a message (never a
// 500); every view, export and verification itself audited. Needs `npx remix build` first.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents } from "~/audit/audit-log.server";
import { parseCsv, CSV_COLUMNS } from "~/audit/export-format";
import { readPublicKey } from "~/audit/signatures";
import { verifyCsvExport, verifyJsonlExport } from "~/audit/verify-export";
import { prisma } from "~/db.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient } from "../support/staff";

const RUN = randomUUID();
const origin = { ip: "192.0.2.44", userAgent: "vitest", requestId: "req-audit-http" };

let app: TestHttpApp;
let compliance: StaffClient;
let lead: StaffClient;
let agent: StaffClient;

async function auditRowsBy(actorId: string, action: string) {
  return prisma.auditEvent.findMany({ where: { actorId, action }, orderBy: { seq: "asc" } });
}

beforeAll(async () => {
  app = await startHttpApp();
  const [c, l, a] = await Promise.all([
    createStaff({ role: "COMPLIANCE" }),
    createStaff({ role: "SECURITY_LEAD" }),
    createStaff({ role: "AGENT" }),
  ]);
  compliance = await signIn(app, c);
  lead = await signIn(app, l);
  agent = await signIn(app, a);
  await prisma.$transaction((tx) =>
    appendAuditEvents(tx, [
      {
        actor: { kind: "staff", id: l.id, role: "SECURITY_LEAD" },
        origin,
        action: "ledger.reverse",
        outcome: "SUCCESS",
        targetType: "ledger_transaction",
        targetId: "tx-http-1",
        incidentId: RUN,
        reason: '=HYPERLINK("http://evil.example")',
        before: { remaining: 3000, status: "SETTLED" },
        after: { remaining: 0, status: "REVERSED" },
      },
      {
        actor: { kind: "staff", id: l.id, role: "SECURITY_LEAD" },
        origin,
        action: "accounts.freeze",
        outcome: "DENIED",
        targetType: "customer",
        targetId: "cust-http-1",
        incidentId: RUN,
        reason: "wrong role",
      },
    ]),
  );
});

afterAll(async () => {
  await app?.close();
});

describe("the audit view", () => {
  it("shows compliance the filtered events with their diffs, and records the view", async () => {
    const response = await compliance.get(`/audit?incident=${RUN}&action=ledger.reverse`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("tx-http-1");
    expect(html).not.toContain("cust-http-1");
    expect(html).toContain('data-testid="audit-diff"');
    expect(html).toContain("REVERSED");
    const views = await auditRowsBy(compliance.staff.id, "audit.view");
    expect(views.at(-1)).toMatchObject({
      outcome: "SUCCESS",
      targetType: "audit_log",
      after: { filter: { incident: RUN, action: "ledger.reverse" }, rowsShown: 1 },
    });
  });

  it("names each action in the member's language beside its code, and keeps code and prefix filters working", async () => {
    const japanese = await signIn(app, await createStaff({ role: "COMPLIANCE", language: "ja" }));
    const html = await (await japanese.get(`/audit?incident=${RUN}&action=ledger.*`)).text();
    const cells = [...html.matchAll(/data-testid="audit-action">([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
    expect(cells).toHaveLength(1);
    expect(cells[0]).toContain("取引を取消");
    expect(cells[0]).toMatch(/<code[^>]*>ledger\.reverse<\/code>/);
    // The filter suggests every action by code, named: a compliance officer picks the name, the field gets the code.
    expect(html).toMatch(/<option value="killswitch\.engage">緊急停止を実行<\/option>/);
    // A code no release names (an older row) is shown as the code alone.
    const unknown = await (await japanese.get(`/audit?incident=${RUN}&action=accounts.freeze`)).text();
    expect(unknown).toMatch(/data-testid="audit-action"><code[^>]*>accounts\.freeze<\/code><\/td>/);
    const english = await (await compliance.get(`/audit?incident=${RUN}&action=ledger.reverse`)).text();
    expect(english).toContain("Reverse transaction");
    expect(english).not.toContain("取引を取消");
  });

  it("shows text that reorders itself (direction controls stored before forms refused them, or sent as a User-Agent) as it is stored", async () => {
    const incidentId = randomUUID();
    await prisma.$transaction((tx) =>
      appendAuditEvents(tx, [
        {
          actor: { kind: "staff", id: compliance.staff.id, role: "COMPLIANCE" },
          origin: { ...origin, userAgent: "Mozilla/5.0 \u202Eexe.tnega" },
          action: "ledger.reverse",
          outcome: "SUCCESS",
          targetType: "ledger_transaction",
          targetId: "tx-bidi-1",
          incidentId,
          reason: "refund \u202E0001\u202C yen",
          after: { note: "\u2067hidden\u2069" },
        },
      ]),
    );
    const page = await (await compliance.get(`/audit?incident=${incidentId}`)).text();
    // What is drawn (the loader data after it keeps the stored text, for the same component to draw in the browser).
    const html = page.slice(0, page.indexOf("<script"));
    expect(html).toContain("tx-bidi-1");
    expect(html).not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
    const marks = [...html.matchAll(/data-testid="direction-control"[^>]*>(U\+[0-9A-F]{4})</g)].map((m) => m[1]);
    expect(marks).toEqual(["U+202E", "U+202C", "U+2067", "U+2069", "U+202E"]);
    expect(html).toContain("<span>refund </span><abbr");
  });

  it("is open to security leads but not to agents (and the refusal is audited)", async () => {
    expect((await lead.get(`/audit?incident=${RUN}`)).status).toBe(200);
    const refused = await agent.get("/audit");
    expect(refused.status).toBe(403);
    const denials = await auditRowsBy(agent.staff.id, "access.denied");
    expect(denials.at(-1)).toMatchObject({ outcome: "DENIED", targetId: "GET /audit" });
  });

  it.each([
    ["colour=red", 'Unknown filter "colour"'],
    ["page=99999999999999999999", "Page numbers are not supported"],
    ["from=2019-07-05T10:00&to=2019-07-04T10:00", "inverted or empty"],
    ["from=not-a-date", "is not a date and time"],
    ["before=abc", "must be a sequence number"],
    ["before=99999999999999999999999", "must be a sequence number"],
    ["before=5&after=3", "not both"],
    ["role=ROOT", "Role: must be one of"],
    [`actor=nobody-${RUN}@staff.test`, "No staff member has the email"],
  ])("answers ?%s with a clear message, not a 500", async (query, message) => {
    const response = await compliance.get(`/audit?${query}`);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("These filters cannot be applied");
    expect(html.replace(/&quot;/g, '"').replace(/&#x27;/g, "'")).toContain(message);
  });

  it("records refused filters as failed views", async () => {
    await compliance.get("/audit?colour=blue");
    const views = await auditRowsBy(compliance.staff.id, "audit.view");
    expect(views.at(-1)).toMatchObject({ outcome: "FAILED", after: { query: "?colour=blue" } });
  });
});

describe("exports", () => {
  it("CSV: compliance downloads the filtered set, formulas neutralised, the export audited", async () => {
    const response = await compliance.get(`/audit/export.csv?incident=${RUN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="firebreak-audit-through-\d+\.csv"$/,
    );
    const records = parseCsv(await response.text());
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    expect(records.slice(1).map((r) => r[CSV_COLUMNS.indexOf("target_id")])).toEqual(["tx-http-1", "cust-http-1"]);
    expect(records[1]![CSV_COLUMNS.indexOf("reason")]).toBe('\'=HYPERLINK("http://evil.example")');
    const exports = await auditRowsBy(compliance.staff.id, "audit.export");
    expect(exports.at(-1)).toMatchObject({ outcome: "SUCCESS", after: { format: "csv", filter: { incident: RUN } } });
  });

  it("CSV and its manifest, downloaded separately, verify offline with the published public key", async () => {
    const head = (await prisma.auditEvent.findFirst({ orderBy: { seq: "desc" } }))!.seq.toString();
    const csv = Buffer.from(
      await (await compliance.get(`/audit/export.csv?incident=${RUN}&through=${head}`)).arrayBuffer(),
    );
    const manifestResponse = await compliance.get(`/audit/export.csv.manifest.json?incident=${RUN}&through=${head}`);
    expect(manifestResponse.status).toBe(200);
    const manifest = await manifestResponse.text();
    const keyResponse = await compliance.get("/audit/public-key.pem");
    expect(keyResponse.status).toBe(200);
    const publicKey = readPublicKey(await keyResponse.text());
    const result = await verifyCsvExport([csv], manifest, [publicKey]);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, rowCount: 2 });
    expect(JSON.parse(manifest)).toMatchObject({ throughSeq: head, rowCount: 2, filter: { incident: RUN } });
  });

  it("JSON Lines carries its own manifest and verifies offline", async () => {
    const response = await compliance.get(`/audit/export.jsonl?incident=${RUN}`);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const lines = (await response.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    const publicKey = readPublicKey(await (await compliance.get("/audit/public-key.pem")).text());
    const result = await verifyJsonlExport(lines, [publicKey], { manifestLine: lines.at(-1) });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  // Lax cookies ride along on a top-level navigation from another site: a link there must not make a signed-in
  // member export (and so file an export under their name). Same-site and non-browser clients are unaffected.
  it.each(["/audit/export.csv", "/audit/export.jsonl", "/audit/export.csv.manifest.json"])(
    "%s: refused when another site started the download, audited as a denial, nothing exported",
    async (path) => {
      const exportsBefore = (await auditRowsBy(compliance.staff.id, "audit.export")).length;
      const refused = await compliance.get(`${path}?incident=${RUN}`, { headers: { "sec-fetch-site": "cross-site" } });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain("started from another site");
      expect(await auditRowsBy(compliance.staff.id, "audit.export")).toHaveLength(exportsBefore);
      const denials = await auditRowsBy(compliance.staff.id, "access.denied");
      expect(denials.at(-1)).toMatchObject({
        outcome: "DENIED",
        targetId: `GET ${path}`,
        after: { secFetchSite: "cross-site" },
      });
      for (const secFetchSite of ["same-origin", "same-site", "none", null]) {
        const headers: Record<string, string> = secFetchSite ? { "sec-fetch-site": secFetchSite } : {};
        expect((await compliance.get(`${path}?incident=${RUN}`, { headers })).status).toBe(200);
      }
    },
  );

  it("are refused to security leads (exports are the Compliance role's)", async () => {
    expect((await lead.get(`/audit/export.csv?incident=${RUN}`)).status).toBe(403);
    expect((await lead.get(`/audit/export.jsonl?incident=${RUN}`)).status).toBe(403);
    expect((await lead.get(`/audit/export.csv.manifest.json?incident=${RUN}`)).status).toBe(403);
    expect(await (await lead.get(`/audit?incident=${RUN}`)).text()).not.toContain("Download CSV");
  });

  it.each([
    ["colour=red", 'Unknown filter "colour"'],
    ["through=0", "must be a sequence number"],
    ["through=9223372036854775807", "beyond the end of the audit trail"],
    ["from=2019-07-05&to=2019-07-04", "inverted or empty"],
  ])("answer ?%s with a plain 400 message", async (query, message) => {
    const response = await compliance.get(`/audit/export.csv?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(await response.text()).toContain(message);
  });
});

describe("integrity", () => {
  it("verifies the chain on request, and records the verification", async () => {
    const page = await compliance.get("/audit/integrity");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("BEGIN PUBLIC KEY");
    const response = await compliance.post("/audit/integrity", { intent: "verify" });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('data-testid="verification-result"');
    expect(html).toContain("The audit trail is intact");
    const verifications = await auditRowsBy(compliance.staff.id, "audit.verify");
    expect(verifications.at(-1)).toMatchObject({ outcome: "SUCCESS", after: { ok: true } });
  });

  it("signs a checkpoint on demand, through the audited spine", async () => {
    const response = await lead.post("/audit/integrity", { intent: "checkpoint" });
    expect(response.status).toBe(302);
    const [checkpoint] = await prisma.auditCheckpoint.findMany({ orderBy: { id: "desc" }, take: 1 });
    expect(checkpoint).toMatchObject({ createdBy: `staff:${lead.staff.id}`, algorithm: "Ed25519" });
    const events = await auditRowsBy(lead.staff.id, "audit.checkpoint");
    expect(events.at(-1)).toMatchObject({ outcome: "SUCCESS", targetId: checkpoint!.id.toString() });
  });

  it("refuses agents and unknown intents", async () => {
    expect((await agent.post("/audit/integrity", { intent: "verify" })).status).toBe(403);
    expect((await compliance.post("/audit/integrity", { intent: "truncate" })).status).toBe(400);
  });
});
