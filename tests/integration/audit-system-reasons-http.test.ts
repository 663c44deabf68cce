// What the system itself wrote into the audit trail, read in the member's language (ADR 111): a Japanese compliance
// officer reads the system's own reasons and before/after codes in Japanese, with the stored text kept beside them,
// and a reason a member typed exactly as it was typed. Over real HTTP: run `npx remix build` first.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents } from "~/audit/audit-log.server";
import { prisma } from "~/db.server";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient } from "../support/staff";

const RUN = randomUUID();
const origin = { ip: "192.0.2.45", userAgent: "vitest", requestId: "req-audit-reasons" };
const STAFF_TYPED = "The 30-minute lock expired early: caller verified by phone.";

let app: TestHttpApp;
let japanese: StaffClient;
let english: StaffClient;
let japaneseAdmin: StaffClient;
let subjectId: string;

beforeAll(async () => {
  app = await startHttpApp();
  const [ja, en, admin, subject] = await Promise.all([
    createStaff({ role: "COMPLIANCE", language: "ja" }),
    createStaff({ role: "COMPLIANCE" }),
    createStaff({ role: "ADMIN", language: "ja" }),
    createStaff({ role: "AGENT" }),
  ]);
  subjectId = subject.id;
  japanese = await signIn(app, ja);
  english = await signIn(app, en);
  japaneseAdmin = await signIn(app, admin);
  await prisma.$transaction((tx) =>
    appendAuditEvents(tx, [
      {
        actor: { kind: "system", id: "system:auth" },
        origin,
        action: "staff.unlock",
        outcome: "SUCCESS",
        targetType: "staff",
        targetId: subject.id,
        incidentId: RUN,
        reason: "The 30-minute lock expired.",
      },
      {
        actor: { kind: "anonymous" },
        origin,
        action: "staff.lock.source",
        outcome: "SUCCESS",
        targetType: "staff",
        targetId: subject.id,
        incidentId: RUN,
        reason: "10 consecutive wrong passwords from one source.",
      },
      {
        actor: { kind: "anonymous" },
        origin,
        action: "staff.sign-in.password",
        outcome: "FAILED",
        targetType: "staff",
        targetId: subject.id,
        incidentId: RUN,
        after: { reason: "wrong-password", consecutiveFailures: 1 },
      },
      {
        actor: { kind: "staff", id: admin.id, role: "ADMIN" },
        origin,
        action: "staff.unlock",
        outcome: "SUCCESS",
        targetType: "staff",
        targetId: subject.id,
        incidentId: RUN,
        reason: STAFF_TYPED,
      },
    ]),
  );
});

afterAll(() => app?.close());

/** The reason cells of the audit table, in page order (newest first). */
function reasonCells(html: string): string[] {
  return [...html.matchAll(/data-testid="audit-reason">([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
}

describe("the system's own reasons in the audit trail", () => {
  it("reads in Japanese for a Japanese member, the stored sentence kept on it, and a typed reason as typed", async () => {
    const page = await (await japanese.get(`/audit?incident=${RUN}`)).text();
    const html = page.slice(0, page.indexOf("<script"));
    const cells = reasonCells(html);
    expect(cells).toHaveLength(4);
    // Newest first: the member's own words, the failed sign-in (no reason), the source lock, the lock's expiry.
    expect(cells[0]).toContain(STAFF_TYPED);
    expect(cells[0]).not.toContain('data-testid="system-reason"');
    expect(cells[2]).toContain("同じ接続元からパスワードを10回続けて誤りました。");
    expect(cells[2]).toMatch(/<samp[^>]*>10 consecutive wrong passwords from one source\.<\/samp>/);
    expect(cells[3]).toContain("30分間のロックが期限切れになりました。");
    expect(cells[3]).toMatch(/<samp[^>]*>The 30-minute lock expired\.<\/samp>/);
    // A before/after code the system wrote: named, the stored code beside it.
    expect(html).toMatch(/パスワードの誤り<\/span> <code[^>]*>wrong-password<\/code>/);
  });

  it("stays in English for an English member", async () => {
    const page = await (await english.get(`/audit?incident=${RUN}`)).text();
    const cells = reasonCells(page.slice(0, page.indexOf("<script")));
    expect(cells[3]).toContain("The 30-minute lock expired.");
    expect(cells[3]).not.toContain("期限切れ");
    expect(cells[3]).not.toContain("<samp"); // the stored text is the label: not shown twice
    expect(page).toContain("Wrong password");
  });

  it("reads in Japanese among the member's security events on the staff page", async () => {
    const page = await (await japaneseAdmin.get(`/admin/staff/${subjectId}`)).text();
    const html = page.slice(0, page.indexOf("<script"));
    expect(html).toContain("30分間のロックが期限切れになりました。");
    expect(html).toContain(STAFF_TYPED);
  });

  it("leaves the stored rows as they were written", async () => {
    const rows = await prisma.auditEvent.findMany({ where: { incidentId: RUN }, orderBy: { seq: "asc" } });
    expect(rows.map((row) => row.reason)).toEqual([
      "The 30-minute lock expired.",
      "10 consecutive wrong passwords from one source.",
      null,
      STAFF_TYPED,
    ]);
  });
});
