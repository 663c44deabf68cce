// The account view's data and its actions at the domain level: profile, devices, sessions, contact history, one JST
// timeline including staff actions, the ledger balance checked against its entries, cases and notes; freeze /
// unfreeze / mark compromised / restore through the spine with conditional updates; notes; the access audit.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { availableStatusChanges, changeAccountStatus } from "~/accounts/account-status.server";
import { loadAccountView } from "~/accounts/account-view.server";
import { addAccountNote } from "~/accounts/notes.server";
import { TIMELINE_PAGE, timelineColumns } from "~/accounts/timeline.server";
import { appendAuditEvents } from "~/audit/audit-log.server";
import { database, prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { postLedgerTransaction, systemAccountId } from "~/ledger/post-transaction.server";
import { now } from "~/lib/clock.server";
import { PermissionDeniedError } from "~/lib/domain-error";
import { forceReset } from "~/recovery/force-reset.server";
import { assertCustomerCanTransact } from "~/wallet/customer-guard.server";
import { createTestCustomer } from "../support/customers";

const origin = { ip: "198.51.100.40", userAgent: "vitest", requestId: `req-${randomUUID()}` };
function staff(role: "AGENT" | "SECURITY_LEAD" | "COMPLIANCE" | "ADMIN", id: string = randomUUID()) {
  return { actor: { kind: "staff", id, role } as Actor & { id: string }, origin };
}

/** The same member just after re-entering a TOTP code. */
function steppedUp(ctx: ReturnType<typeof staff>) {
  return { ...ctx, steppedUpAt: now() };
}

let customer: Awaited<ReturnType<typeof createTestCustomer>>;
let agent: ReturnType<typeof staff>;

async function topUp(amount: number, occurredAt: Date) {
  return prisma.$transaction(async (tx) =>
    postLedgerTransaction(tx, {
      kind: "TOP_UP",
      customerId: customer.customer.id,
      amount,
      channel: "CREDIT_CARD",
      fundingSourceId: customer.card.id,
      occurredAt,
      legs: [
        { accountId: await systemAccountId(tx, "clearing:CREDIT_CARD"), amount: -amount },
        { accountId: customer.wallet.id, amount },
      ],
    }),
  );
}

beforeEach(async () => {
  customer = await createTestCustomer(prisma);
  const member = await prisma.staffUser.create({
    data: { email: `agent-${randomUUID()}@firebreak.test`, displayName: "Agent Sato", role: "AGENT" },
  });
  agent = staff("AGENT", member.id);
});

describe("the account view", () => {
  it("shows profile, devices, sessions, contact changes, balance and one timeline in time order", async () => {
    const id = customer.customer.id;
    const phone = await prisma.device.create({
      data: {
        customerId: id,
        fingerprint: `fp-${randomUUID()}`,
        platform: "ios",
        model: "iPhone 8",
        firstSeenAt: new Date("2019-06-01T00:00:00Z"),
      },
    });
    const attacker = `fp-shared-${randomUUID()}`;
    const stolen = await prisma.device.create({
      data: {
        customerId: id,
        fingerprint: attacker,
        platform: "android",
        model: "Redmi",
        firstSeenAt: new Date("2019-07-02T01:00:00Z"),
      },
    });
    const other = await createTestCustomer(prisma);
    await prisma.device.create({
      data: { customerId: other.customer.id, fingerprint: attacker, platform: "android", firstSeenAt: new Date() },
    });
    await prisma.loginEvent.createMany({
      data: [
        {
          customerId: id,
          deviceId: phone.id,
          ip: "192.0.2.10",
          country: "JP",
          success: true,
          occurredAt: new Date("2019-06-10T00:00:00Z"),
        },
        {
          customerId: id,
          deviceId: null,
          ip: "203.0.113.9",
          country: "CN",
          success: false,
          newDevice: true,
          occurredAt: new Date("2019-07-02T00:58:00Z"),
        },
        {
          customerId: id,
          deviceId: stolen.id,
          ip: "203.0.113.9",
          country: "CN",
          success: true,
          newDevice: true,
          occurredAt: new Date("2019-07-02T01:00:00Z"),
        },
      ],
    });
    await prisma.contactChange.create({
      data: {
        customerId: id,
        field: "EMAIL",
        oldValue: "mine@example.com",
        newValue: "x1@attacker.example",
        changedAt: new Date("2019-07-02T01:05:00Z"),
        source: "APP",
        ip: "203.0.113.9",
        deviceId: stolen.id,
      },
    });
    await prisma.customerSession.create({
      data: {
        id: randomUUID().replace(/-/g, ""),
        customerId: id,
        deviceId: stolen.id,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    await topUp(30_000, new Date("2019-07-02T01:20:00Z"));

    const view = await loadAccountView(agent, id);
    expect(view.customer).toMatchObject({ id, displayId: customer.customer.displayId, status: "ACTIVE" });
    expect(view.balance).toEqual({ cached: 30_000, fromEntries: 30_000, consistent: true });
    const shared = view.devices.find((d) => d.fingerprint === attacker)!;
    expect(shared.otherAccounts).toBe(1);
    expect(view.devices.find((d) => d.id === phone.id)!.otherAccounts).toBe(0);
    expect(view.sessions).toEqual([expect.objectContaining({ state: "active", device: "Android Redmi" })]);
    expect(view.contactChanges[0]).toMatchObject({ field: "EMAIL", newValue: "x1@attacker.example" });
    expect(view.fundingSources).toEqual([expect.objectContaining({ kind: "CREDIT_CARD", last4: "4242" })]);

    const kinds = view.timeline.events.map((e) => e.kind);
    expect(kinds).toEqual(["top-up", "contact-change", "sign-in", "sign-in-failed", "sign-in"]);
    const times = view.timeline.events.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    const takeover = view.timeline.events[2]!;
    expect(takeover.flags).toEqual(expect.arrayContaining(["new device", "abroad (CN)"]));
    expect(view.timeline.events[0]).toMatchObject({ amount: 30_000, summary: expect.stringContaining("VISA ••4242") });
  });

  it("records the access (account.view) before returning anything", async () => {
    await loadAccountView(agent, customer.customer.id);
    const row = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "account.view", targetId: customer.customer.id },
    });
    expect(row).toMatchObject({ actorId: agent.actor.id, outcome: "SUCCESS", targetType: "customer" });
  });

  it("unknown or malformed ids are a 404, and a role without accounts:view is refused", async () => {
    await expect(loadAccountView(agent, randomUUID())).rejects.toMatchObject({ status: 404 });
    await expect(loadAccountView(agent, "'; select 1; --")).rejects.toMatchObject({ status: 404 });
    await expect(loadAccountView(staff("ADMIN"), customer.customer.id)).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it("lists staff actions on the account, its cases and its transactions, and leaves out reads of it", async () => {
    const id = customer.customer.id;
    const topUpTx = await topUp(500, new Date(Date.UTC(2020, 0, 1)));
    const incident = await prisma.incident.create({
      data: { code: `T-${randomUUID().slice(0, 8)}`, title: "Timeline", summary: "s", openedAt: new Date() },
    });
    const kase = await prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: id } });
    const caseId = kase.id;
    const row = (action: string, targetType: string, targetId: string, minutes: number) => ({
      actor: agent.actor,
      origin,
      action,
      outcome: "SUCCESS" as const,
      targetType,
      targetId,
      occurredAt: new Date(Date.UTC(2020, 0, 2) + minutes * 60_000),
    });
    await prisma.$transaction((tx) =>
      appendAuditEvents(tx, [
        row("account.freeze", "customer", id, 1),
        row("case.open", "incident_case", caseId, 2),
        row("ledger.reverse", "ledger_transaction", topUpTx.id, 3),
        row("account.view", "customer", id, 4),
        row("accounts.search", "customer", id, 5),
        row("account.freeze", "customer", randomUUID(), 6),
      ]),
    );
    const refs = (await loadAccountView(agent, id)).timeline.events
      .filter((e) => e.kind === "staff-action")
      .map((e) => e.summary);
    expect(refs).toHaveLength(3);
    expect(refs.join(" ")).not.toMatch(/account\.view|accounts\.search/);
  });

  it.skipIf(database.mode !== "postgresql")(
    "the timeline's staff actions can be read from the index without read actions, in the prepared statement's generic plan",
    async () => {
      const statement = Prisma.sql`SELECT ${timelineColumns(customer.customer.id)}`;
      // Seq scans off: the test tables are small enough that any plan would do; what is checked is that the index's
      // predicate is provable from the statement's text alone, as a generic plan (no parameter values) needs.
      const plan = await database.sqlTransaction(async (sql) => {
        await sql.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
        await sql.query(`SET LOCAL enable_seqscan = off`);
        await sql.query(`PREPARE timeline_plan_check AS ${statement.text}`);
        // EXECUTE takes no bind parameters: the test's own values, as literals.
        const literals = statement.values.map(
          (value) => `'${(value instanceof Date ? value.toISOString() : String(value)).replaceAll("'", "''")}'`,
        );
        const { rows } = await sql.query<{ "QUERY PLAN": string }>(
          `EXPLAIN EXECUTE timeline_plan_check(${literals.join(", ")})`,
        );
        await sql.query(`DEALLOCATE timeline_plan_check`);
        return rows.map((row) => row["QUERY PLAN"]).join("\n");
      });
      expect(plan).toContain("audit_event_staff_action_target_seq_idx");
      expect(plan).not.toMatch(/Seq Scan on audit_event|using audit_event_pkey/);
    },
  );

  /** Every page of the account's timeline, newest first, as the "older events" link walks them. */
  async function allTimelinePages(id: string) {
    const pages: Awaited<ReturnType<typeof loadAccountView>>["timeline"][] = [];
    let before: Date | undefined;
    for (;;) {
      const { timeline } = await loadAccountView(agent, id, { before });
      pages.push(timeline);
      if (!timeline.hasMore) return pages;
      before = new Date(timeline.events.at(-1)!.at);
    }
  }

  function signIns(id: string, times: Date[]) {
    return prisma.loginEvent.createMany({
      data: times.map((occurredAt) => ({ customerId: id, ip: "192.0.2.1", country: "JP", success: true, occurredAt })),
    });
  }

  it("pages the timeline back in time, a page of TIMELINE_PAGE events at a time", async () => {
    const id = customer.customer.id;
    await signIns(
      id,
      Array.from({ length: 60 }, (_, k) => new Date(Date.UTC(2019, 5, 1) + k * 60_000)),
    );
    const pages = await allTimelinePages(id);
    expect(pages.map((page) => page.events.length)).toEqual([TIMELINE_PAGE, TIMELINE_PAGE, 60 - 2 * TIMELINE_PAGE]);
    expect(new Set(pages.flatMap((page) => page.events.map((e) => e.ref))).size).toBe(60);
  });

  it("ends a page where the time changes, so events sharing the last instant open the next page", async () => {
    const id = customer.customer.id;
    const minute = (k: number) => new Date(Date.UTC(2019, 5, 1) + k * 60_000);
    // Minutes 0 … TIMELINE_PAGE + 4, and two more at minute 5: newest first, the page's last place (minute 5) and
    // the two after it share one instant.
    await signIns(id, [...Array.from({ length: TIMELINE_PAGE + 5 }, (_, k) => minute(k)), minute(5), minute(5)]);
    const pages = await allTimelinePages(id);
    expect(pages[0]!.events).toHaveLength(TIMELINE_PAGE - 1);
    expect(pages[1]!.events.slice(0, 3).map((e) => e.at)).toEqual(Array(3).fill(minute(5).toISOString()));
    const refs = pages.flatMap((page) => page.events.map((e) => e.ref));
    expect(refs).toHaveLength(TIMELINE_PAGE + 5 + 2);
    expect(new Set(refs).size).toBe(refs.length);
  });
});

describe("the account view's cases and context", () => {
  it("shows cases with their assignee (even one disabled since), cohorts, open incidents without a case, assignees", async () => {
    const id = customer.customer.id;
    // Who a case can be assigned to is read only for a customer with a case: the list is the staff directory.
    expect((await loadAccountView(agent, id)).assignees).toEqual([]);
    const code = () => `INC-V-${randomUUID().slice(0, 8)}`;
    const withCase = await prisma.incident.create({
      data: { code: code(), title: "Card testing", summary: "s", openedAt: new Date("2026-11-01T00:00:00Z") },
    });
    const open = await prisma.incident.create({
      data: { code: code(), title: "Open elsewhere", summary: "s", openedAt: new Date("2026-11-02T00:00:00Z") },
    });
    const resolved = await prisma.incident.create({
      data: {
        code: code(),
        title: "Old",
        summary: "s",
        status: "RESOLVED",
        openedAt: new Date("2026-10-01T00:00:00Z"),
      },
    });
    const lead = await prisma.staffUser.create({
      data: { email: `lead-${randomUUID()}@firebreak.test`, displayName: "Lead Tanaka", role: "SECURITY_LEAD" },
    });
    const gone = await prisma.staffUser.create({
      data: { email: `gone-${randomUUID()}@firebreak.test`, displayName: "Lead Gone", role: "SECURITY_LEAD" },
    });
    const kase = await prisma.incidentCase.create({
      data: { incidentId: withCase.id, customerId: id, assigneeId: gone.id, status: "CONTAINED" },
    });
    await prisma.staffUser.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
    const cohort = await prisma.cohort.create({
      data: { name: "Shared device", definition: {}, memberCount: 1, createdById: lead.id, incidentId: withCase.id },
    });
    await prisma.cohortMember.create({ data: { cohortId: cohort.id, customerId: id, riskScore: 80, reasons: [] } });

    const view = await loadAccountView(agent, id);
    expect(view.cases).toEqual([
      expect.objectContaining({
        id: kase.id,
        incidentId: withCase.id,
        incidentCode: withCase.code,
        incidentTitle: "Card testing",
        status: "CONTAINED",
        assignee: { id: gone.id, name: "Lead Gone" },
      }),
    ]);
    expect(view.cases[0]!.transitions.length).toBeGreaterThan(0);
    expect(view.cohorts).toEqual([
      { cohortId: cohort.id, name: "Shared device", createdAt: cohort.createdAt.toISOString(), riskScore: 80 },
    ]);
    const without = view.incidentsWithoutCase.map((i) => i.id);
    expect(without).toContain(open.id);
    expect(without).not.toContain(withCase.id);
    expect(without).not.toContain(resolved.id);
    const assignees = view.assignees.map((a) => a.id);
    expect(assignees).toContain(lead.id);
    expect(assignees).not.toContain(gone.id);
    expect(view.assignees.find((a) => a.id === lead.id)).toEqual({
      id: lead.id,
      name: "Lead Tanaka",
      role: "SECURITY_LEAD",
    });
    expect(view.customer.birthDate).toBe(customer.customer.birthDate.toISOString().slice(0, 10));

    const due = new Date("2026-11-03T00:00:00Z");
    const message = await prisma.outboundMessage.create({
      data: {
        incidentId: withCase.id,
        customerId: id,
        template: "incident-update",
        language: "ja",
        recipient: "caller@example.test",
        dedupeKey: `view-${randomUUID()}`,
        messageIdHeader: `<${randomUUID()}@firebreak.test>`,
        status: "QUEUED",
        nextAttemptAt: due,
      },
    });
    expect(view.notices).toEqual([]);
    expect((await loadAccountView(agent, id)).notices).toEqual([
      expect.objectContaining({
        id: message.id,
        incidentCode: withCase.code,
        status: "QUEUED",
        recipient: "caller@example.test",
        sentAt: null,
        nextAttemptAt: due.toISOString(),
        createdAt: message.createdAt.toISOString(),
      }),
    ]);
  });
});

describe("wallet status through the spine", () => {
  it("freeze → the wallet refuses money at once; unfreeze → it accepts again; each change audited", async () => {
    const id = customer.customer.id;
    await changeAccountStatus(agent, { customerId: id, change: "freeze", reason: "caller reports unknown top-ups" });
    await expect(prisma.$transaction((tx) => assertCustomerCanTransact(tx, id))).rejects.toMatchObject({
      code: "ACCOUNT_NOT_ACTIVE",
    });
    // Letting money move again needs the member's fresh step-up: a session alone (a stolen cookie) is refused.
    await expect(
      changeAccountStatus(agent, { customerId: id, change: "unfreeze", reason: "verified with the caller" }),
    ).rejects.toMatchObject({ code: "STEP_UP_REQUIRED" });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id } })).status).toBe("FROZEN");
    // And a forced reset sent since the freeze (ADR 122).
    await forceReset(agent, { customerId: id, requireTwoFactor: false, reason: "caller reports a takeover" });
    await changeAccountStatus(steppedUp(agent), {
      customerId: id,
      change: "unfreeze",
      reason: "verified with the caller",
    });
    await prisma.$transaction((tx) => assertCustomerCanTransact(tx, id));
    const rows = await prisma.auditEvent.findMany({
      where: { targetId: id, action: { startsWith: "account." } },
      orderBy: { seq: "asc" },
    });
    expect(rows.filter((r) => r.action !== "account.view").map((r) => [r.action, r.before, r.after, r.reason])).toEqual(
      [
        ["account.freeze", { status: "ACTIVE" }, { status: "FROZEN" }, "caller reports unknown top-ups"],
        ["account.unfreeze", null, { reason: "step-up-required" }, "verified with the caller"],
        ["account.unfreeze", { status: "FROZEN" }, { status: "ACTIVE" }, "verified with the caller"],
      ],
    );
    // The staff actions appear on the account's timeline.
    const view = await loadAccountView(agent, id);
    expect(view.timeline.events.filter((e) => e.kind === "staff-action").map((e) => e.summary)).toEqual([
      expect.stringContaining("Unfreeze account (account.unfreeze) by Agent Sato"),
      expect.stringContaining("Force password reset (recovery.force-reset) by Agent Sato"),
      expect.stringContaining("Unfreeze account (account.unfreeze) by Agent Sato"), // refused for want of a step-up
      expect.stringContaining("Freeze account (account.freeze) by Agent Sato"),
    ]);
  });

  it("mark compromised from active or frozen; restore only from compromised; closed never changes", async () => {
    const id = customer.customer.id;
    expect(availableStatusChanges("ACTIVE")).toEqual(["freeze", "mark-compromised"]);
    await changeAccountStatus(agent, { customerId: id, change: "freeze", reason: "first step" });
    await changeAccountStatus(agent, { customerId: id, change: "mark-compromised", reason: "new device from CN" });
    expect(availableStatusChanges("COMPROMISED")).toEqual(["restore"]);
    await expect(
      changeAccountStatus(steppedUp(agent), { customerId: id, change: "unfreeze", reason: "oops" }),
    ).rejects.toMatchObject({
      code: "ACCOUNT_STATUS_CHANGED",
      status: 409,
    });
    await expect(
      changeAccountStatus(agent, { customerId: id, change: "restore", reason: "password reset done" }),
    ).rejects.toMatchObject({ code: "STEP_UP_REQUIRED" });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id } })).status).toBe("COMPROMISED");
    await forceReset(agent, { customerId: id, requireTwoFactor: false, reason: "caller reports a takeover" });
    await changeAccountStatus(steppedUp(agent), { customerId: id, change: "restore", reason: "password reset done" });
    await prisma.customer.update({ where: { id }, data: { status: "CLOSED" } });
    await expect(
      changeAccountStatus(agent, { customerId: id, change: "freeze", reason: "late" }),
    ).rejects.toMatchObject({
      code: "ACCOUNT_CLOSED",
    });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id } })).status).toBe("CLOSED");
  });

  it("refuses a blank reason, a compliance officer and an unknown customer, changing nothing", async () => {
    const id = customer.customer.id;
    await expect(
      changeAccountStatus(agent, { customerId: id, change: "freeze", reason: " \u0000 " }),
    ).rejects.toMatchObject({
      code: "INVALID_REASON",
    });
    await expect(
      changeAccountStatus(staff("COMPLIANCE"), { customerId: id, change: "freeze", reason: "not mine to do" }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(
      changeAccountStatus(agent, { customerId: randomUUID(), change: "freeze", reason: "no such account" }),
    ).rejects.toMatchObject({ code: "CUSTOMER_NOT_FOUND" });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id } })).status).toBe("ACTIVE");
  });

  it("two agents freezing at once: one succeeds, the other is told it changed (PostgreSQL)", async () => {
    const id = customer.customer.id;
    const results = await Promise.allSettled([
      changeAccountStatus(agent, { customerId: id, change: "freeze", reason: "agent one" }),
      changeAccountStatus(staff("AGENT"), { customerId: id, change: "freeze", reason: "agent two" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "ACCOUNT_STATUS_CHANGED" });
  });
});

describe("notes", () => {
  it("are appended with their author, scoped to the account's own cases, and audited without their text", async () => {
    const id = customer.customer.id;
    const incident = await prisma.incident.create({
      data: { code: `INC-N-${randomUUID().slice(0, 8)}`, title: "t", summary: "s", openedAt: new Date() },
    });
    const kase = await prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: id } });
    await addAccountNote(agent, {
      customerId: id,
      body: "Caller confirms she did not change her email.\nWill call back.",
    });
    await addAccountNote(agent, { customerId: id, caseId: kase.id, body: "Case note" });
    const other = await createTestCustomer(prisma);
    await expect(
      addAccountNote(agent, { customerId: other.customer.id, caseId: kase.id, body: "wrong account" }),
    ).rejects.toMatchObject({
      code: "CASE_NOT_FOUND",
    });
    await expect(addAccountNote(agent, { customerId: id, body: "   " })).rejects.toMatchObject({
      code: "INVALID_NOTE",
    });
    await expect(addAccountNote(agent, { customerId: id, body: "x".repeat(4001) })).rejects.toMatchObject({
      code: "INVALID_NOTE",
    });

    const view = await loadAccountView(agent, id);
    expect(view.notes.map((n) => [n.body, n.caseId, n.authorName])).toEqual([
      ["Case note", kase.id, "Agent Sato"],
      ["Caller confirms she did not change her email.\nWill call back.", null, "Agent Sato"],
    ]);
    const audit = await prisma.auditEvent.findMany({
      where: { action: "account.note.add", targetId: id, outcome: "SUCCESS" },
    });
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit.map((a) => a.after))).not.toContain("Caller confirms");
    await expect(
      prisma.accountNote.updateMany({ where: { customerId: id }, data: { body: "rewritten" } }),
    ).rejects.toThrow(/append-only/);
  });
});
