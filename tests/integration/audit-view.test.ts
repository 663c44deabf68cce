// The audit view's filters, keyset pagination and bad input, against the app's database. Other tests and the fixtures
// write audit rows too, so every row here carries this run's own incident id or sits in a
// time window nobody else uses, and every assertion is scoped to them.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAuditFilter, parseJstDateTime, parseSeqParam, PAGE_SIZE, type AuditFilter } from "~/audit/audit-filter";
import { translateAuditFilterProblem } from "~/audit/audit-filter-messages.server";
import { appendAuditEvents, type AuditEventInput } from "~/audit/audit-log.server";
import { resolveAuditFilter, searchAuditLog, loadFilterChoices, withSearchBudget } from "~/audit/audit-search.server";
import { database, prisma } from "~/db.server";
import { DomainError } from "~/lib/domain-error";

const RUN = randomUUID();
const PAGING_RUN = randomUUID();
const INCIDENT_CODE = `AUD-${RUN.slice(0, 8)}`;
// A unique hour in the 2050s–2080s, on a minute boundary, so JST filters can be exact.
const WINDOW_START = Date.UTC(
  2050 + Math.floor(Math.random() * 30),
  Math.floor(Math.random() * 12),
  1 + Math.floor(Math.random() * 27),
  Math.floor(Math.random() * 24),
);
const at = (minutes: number) => new Date(WINDOW_START + minutes * 60_000);
const origin = { ip: "198.51.100.7", userAgent: "vitest", requestId: "req-view" };

let leadId: string;
let complianceId: string;
let complianceEmail: string;
let incidentId: string;

function jst(date: Date): string {
  // "YYYY-MM-DDTHH:MM" in Japan time, as a datetime-local input sends it.
  return new Date(date.getTime() + 9 * 3600_000).toISOString().slice(0, 16);
}

async function search(params: Record<string, string>, cursor: { before?: bigint; after?: bigint } = {}) {
  const parsed = parseAuditFilter(new URLSearchParams(params));
  if (!parsed.ok) throw new Error(parsed.errors.join(" "));
  const resolved = await resolveAuditFilter(database.sql, parsed.filter);
  return searchAuditLog(database, resolved, cursor);
}

/** Rows of this run matching the filter, as "action/targetId" labels, newest first. */
async function labels(params: Record<string, string>) {
  const page = await search({ incident: RUN, ...params });
  return page.rows.map((r) => `${r.action}/${r.targetId}`);
}

beforeAll(async () => {
  complianceEmail = `compliance-${RUN.slice(0, 8)}@staff.test`;
  const [lead, compliance] = await Promise.all([
    prisma.staffUser.create({
      data: { email: `lead-${RUN.slice(0, 8)}@staff.test`, displayName: "Lead", role: "SECURITY_LEAD" },
    }),
    prisma.staffUser.create({ data: { email: complianceEmail, displayName: "Compliance", role: "COMPLIANCE" } }),
  ]);
  leadId = lead.id;
  complianceId = compliance.id;
  incidentId = (
    await prisma.incident.create({
      data: { code: INCIDENT_CODE, title: "Audit view test", summary: "", openedAt: at(0) },
    })
  ).id;
  const leadActor = { kind: "staff" as const, id: leadId, role: "SECURITY_LEAD" as const };
  const complianceActor = { kind: "staff" as const, id: complianceId, role: "COMPLIANCE" as const };
  const events: AuditEventInput[] = [
    {
      actor: leadActor,
      origin,
      action: "ledger.reverse",
      outcome: "SUCCESS",
      targetType: "ledger_transaction",
      targetId: "tx-1",
      incidentId: RUN,
      reason: "Fraudulent top-up, 100% stolen",
      occurredAt: at(1),
      before: { remaining: 5000 },
      after: { remaining: 0 },
    },
    {
      actor: leadActor,
      origin,
      action: "ledger.reverse-large",
      outcome: "DENIED",
      targetType: "ledger_transaction",
      targetId: "tx-2",
      incidentId: RUN,
      reason: "needs approval",
      occurredAt: at(2),
    },
    {
      actor: complianceActor,
      origin,
      action: "accounts.freeze",
      outcome: "FAILED",
      targetType: "customer",
      targetId: "cust-1",
      incidentId: RUN,
      reason: "Customer_called",
      occurredAt: at(3),
    },
    {
      actor: { kind: "system", id: "system:job-runner" },
      origin,
      action: "killswitch.release",
      outcome: "SUCCESS",
      targetType: "kill_switch",
      targetId: "topup.all",
      incidentId: RUN,
      reason: null,
      occurredAt: at(4),
    },
    {
      actor: { kind: "anonymous" },
      origin,
      action: "staff.sign-in",
      outcome: "FAILED",
      targetType: "staff_user",
      targetId: "unknown@staff.test",
      incidentId: RUN,
      reason: null,
      occurredAt: at(5),
    },
    {
      actor: leadActor,
      origin,
      action: "ledger.reverse",
      outcome: "SUCCESS",
      targetType: "ledger_transaction",
      targetId: "tx-3",
      incidentId,
      reason: "By incident id",
      occurredAt: at(6),
    },
  ];
  const paging: AuditEventInput[] = Array.from({ length: 120 }, (_, i) => ({
    actor: leadActor,
    origin,
    action: "test.paging",
    outcome: "SUCCESS",
    targetType: "test",
    targetId: String(i + 1),
    incidentId: PAGING_RUN,
    occurredAt: at(10),
  }));
  await prisma.$transaction((tx) => appendAuditEvents(tx, [...events, ...paging]));
});

describe("each filter", () => {
  it("time range entered in JST, converted to UTC: From inclusive, To exclusive", async () => {
    expect(await labels({ from: jst(at(2)), to: jst(at(4)) })).toEqual([
      "accounts.freeze/cust-1",
      "ledger.reverse-large/tx-2",
    ]);
    expect(await labels({ from: jst(at(5)) })).toEqual(["staff.sign-in/unknown@staff.test"]);
    expect(await labels({ to: jst(at(2)) })).toEqual(["ledger.reverse/tx-1"]);
    // Without the incident filter too: the window is this run's alone.
    const page = await search({ from: jst(at(1)), to: jst(at(2)) });
    expect(page.rows.map((r) => r.targetId)).toEqual(["tx-1"]);
    expect(page.rows[0]!.occurredAt).toBe(at(1).toISOString());
  });

  it("actor, by id and by staff email", async () => {
    expect(await labels({ actor: complianceId })).toEqual(["accounts.freeze/cust-1"]);
    expect(await labels({ actor: complianceEmail.toUpperCase() })).toEqual(["accounts.freeze/cust-1"]);
    expect(await labels({ actor: "system:job-runner" })).toEqual(["killswitch.release/topup.all"]);
  });

  it("role, including rows without an actor", async () => {
    expect(await labels({ role: "SECURITY_LEAD" })).toEqual(["ledger.reverse-large/tx-2", "ledger.reverse/tx-1"]);
    expect(await labels({ role: "SYSTEM" })).toEqual(["killswitch.release/topup.all"]);
    expect(await labels({ role: "ANONYMOUS" })).toEqual(["staff.sign-in/unknown@staff.test"]);
  });

  it("action, exact or by prefix", async () => {
    expect(await labels({ action: "ledger.reverse" })).toEqual(["ledger.reverse/tx-1"]);
    expect(await labels({ action: "ledger.*" })).toEqual(["ledger.reverse-large/tx-2", "ledger.reverse/tx-1"]);
  });

  it("target type and target id", async () => {
    expect(await labels({ targetType: "customer" })).toEqual(["accounts.freeze/cust-1"]);
    expect(await labels({ targetId: "tx-2" })).toEqual(["ledger.reverse-large/tx-2"]);
    expect(await labels({ targetType: "ledger_transaction", targetId: "tx-1" })).toEqual(["ledger.reverse/tx-1"]);
  });

  it("outcome", async () => {
    expect(await labels({ outcome: "DENIED" })).toEqual(["ledger.reverse-large/tx-2"]);
    expect(await labels({ outcome: "FAILED" })).toEqual(["staff.sign-in/unknown@staff.test", "accounts.freeze/cust-1"]);
  });

  it("incident, by the id as recorded and by the incident's code", async () => {
    expect((await search({ incident: RUN })).rows).toHaveLength(5);
    const byCode = await search({ incident: INCIDENT_CODE });
    expect(byCode.rows.map((r) => r.targetId)).toEqual(["tx-3"]);
    expect(byCode.rows[0]!.incidentCode).toBe(INCIDENT_CODE);
  });

  it("text in the reason: case-insensitive, % and _ taken literally", async () => {
    expect(await labels({ q: "FRAUDULENT" })).toEqual(["ledger.reverse/tx-1"]);
    expect(await labels({ q: "0%" })).toEqual(["ledger.reverse/tx-1"]);
    // As a LIKE wildcard "u_t" would match "Customer"; taken literally it matches nothing.
    expect(await labels({ q: "u_t" })).toEqual([]);
    expect(await labels({ q: "r_called" })).toEqual(["accounts.freeze/cust-1"]);
  });

  it("filters combine with AND", async () => {
    expect(await labels({ role: "SECURITY_LEAD", outcome: "SUCCESS" })).toEqual(["ledger.reverse/tx-1"]);
  });

  it("rows carry what the diff needs and who the actor is", async () => {
    const [row] = (await search({ incident: RUN, targetId: "tx-1" })).rows;
    expect(row).toMatchObject({ before: { remaining: 5000 }, after: { remaining: 0 }, outcome: "SUCCESS" });
    expect(row!.actorLabel).toBe(`lead-${RUN.slice(0, 8)}@staff.test`);
  });

  it("offers the actions and target types that exist", async () => {
    const choices = await loadFilterChoices(database.sql);
    expect(choices.actions).toEqual(expect.arrayContaining(["ledger.reverse", "ledger.reverse-large", "test.paging"]));
    expect(choices.targetTypes).toEqual(expect.arrayContaining(["customer", "kill_switch"]));
    expect(choices.incidents.map((i) => i.code)).toContain(INCIDENT_CODE);
  });
});

describe("keyset pagination by sequence number", () => {
  it("walks older and newer pages without overlap", async () => {
    const first = await search({ incident: PAGING_RUN });
    expect(first.rows.map((r) => r.targetId)).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => String(120 - i)));
    expect(first.newerCursor).toBeNull();
    const second = await search({ incident: PAGING_RUN }, { before: BigInt(first.olderCursor!) });
    expect(second.rows.map((r) => r.targetId)).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => String(70 - i)));
    const third = await search({ incident: PAGING_RUN }, { before: BigInt(second.olderCursor!) });
    expect(third.rows.map((r) => r.targetId)).toEqual(Array.from({ length: 20 }, (_, i) => String(20 - i)));
    expect(third.olderCursor).toBeNull();
    // Back to the newer page from the third.
    const back = await search({ incident: PAGING_RUN }, { after: BigInt(third.newerCursor!) });
    expect(back.rows.map((r) => r.targetId)).toEqual(second.rows.map((r) => r.targetId));
    expect(back.newerCursor).not.toBeNull();
    expect(back.olderCursor).not.toBeNull();
  });

  it("a cursor beyond the end of the log shows the newest rows, not an error", async () => {
    const page = await search({ incident: PAGING_RUN }, { before: 9_223_372_036_854_775_807n });
    expect(page.rows[0]!.targetId).toBe("120");
  });
});

describe("bad input gets a clear message", () => {
  // The parser answers with message keys and values; read them as an English-speaking member would.
  const errorsOf = (params: Record<string, string> | URLSearchParams) => {
    const parsed = parseAuditFilter(params instanceof URLSearchParams ? params : new URLSearchParams(params));
    return parsed.ok ? [] : parsed.errors.map((problem) => translateAuditFilterProblem("en", problem));
  };

  it("unknown filters and page numbers", () => {
    expect(errorsOf({ colour: "red" })).toEqual([expect.stringContaining('Unknown filter "colour"')]);
    expect(errorsOf({ page: "99999999999999999999" })).toEqual([
      expect.stringContaining("Page numbers are not supported"),
    ]);
    expect(errorsOf(new URLSearchParams("role=AGENT&role=ADMIN"))).toEqual([expect.stringContaining("more than once")]);
  });

  it("malformed, impossible, out-of-range and inverted times", () => {
    expect(errorsOf({ from: "yesterday" })).toEqual([expect.stringContaining("is not a date and time")]);
    expect(errorsOf({ from: "2019-02-30T10:00" })).toEqual([expect.stringContaining("not a date on the calendar")]);
    expect(errorsOf({ to: "2019-07-04T25:00" })).toEqual([expect.stringContaining("not a valid time of day")]);
    expect(errorsOf({ from: "9999-01-01" })).toEqual([expect.stringContaining("year must be between")]);
    expect(errorsOf({ from: "2019-07-05T10:00", to: "2019-07-04T10:00" })).toEqual([
      expect.stringContaining("inverted or empty"),
    ]);
    expect(errorsOf({ from: "2019-07-04T10:00", to: "2019-07-04T10:00" })).toEqual([
      expect.stringContaining("inverted or empty"),
    ]);
  });

  it("JST is UTC+9 with no daylight saving", () => {
    const parsed = parseJstDateTime("2019-07-04 09:00", "from");
    expect("date" in parsed && parsed.date.toISOString()).toBe("2019-07-04T00:00:00.000Z");
    const dateOnly = parseJstDateTime("2019-01-01", "from");
    expect("date" in dateOnly && dateOnly.date.toISOString()).toBe("2018-12-31T15:00:00.000Z");
  });

  it("enumerated and free-text filters", () => {
    expect(errorsOf({ role: "ROOT" })[0]).toContain("Role: must be one of");
    expect(errorsOf({ outcome: "MAYBE" })[0]).toContain("Outcome: must be one of");
    expect(errorsOf({ q: "x" })[0]).toContain("at least 2 characters");
    expect(errorsOf({ action: "ledger'; DROP TABLE audit_event;--" })[0]).toContain("Action:");
    expect(errorsOf({ targetId: "x".repeat(201) })[0]).toContain("at most 200");
  });

  it("bad cursors", () => {
    for (const value of ["abc", "0", "-5", "99999999999999999999", "1e3", ""]) {
      const parsed = parseSeqParam(value, "before");
      expect("error" in parsed && translateAuditFilterProblem("en", parsed.error)).toContain(
        "must be a sequence number",
      );
    }
    expect(parseSeqParam("9223372036854775807", "before")).toEqual({ seq: 9_223_372_036_854_775_807n });
  });

  it("an email nobody has is an error, not an empty result", async () => {
    const filter: AuditFilter = { actor: `nobody-${RUN}@staff.test` };
    await expect(resolveAuditFilter(database.sql, filter)).rejects.toThrow(DomainError);
    await expect(resolveAuditFilter(database.sql, filter)).rejects.toThrow("No staff member has the email");
  });

  it("empty values are simply no filter", () => {
    const parsed = parseAuditFilter(new URLSearchParams({ from: "", actor: " ", role: "" }));
    expect(parsed).toMatchObject({ ok: true, filter: {} });
  });
});

describe("the search's budget", () => {
  it.skipIf(database.mode !== "postgresql")("runs each search read-only under its statement timeout", async () => {
    const rows = await withSearchBudget(database, async (sql) => {
      const { rows } = await sql.query(
        `SELECT current_setting('transaction_read_only') AS read_only, current_setting('statement_timeout') AS timeout`,
      );
      return rows;
    });
    expect(rows).toEqual([{ read_only: "on", timeout: "10s" }]);
  });
});
