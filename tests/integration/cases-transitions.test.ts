// Incident cases: the walk open → contained → remediated → notified → closed (and reopen), refused skips and stale
// pages, assignment to staff who may work cases, opening at most one case per account and incident, all audited.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { prisma } from "~/db.server";
import {
  allowedCaseTransitions,
  assignCase,
  CASE_FLOW,
  isAllowedCaseTransition,
  openCase,
  transitionCase,
} from "~/incidents/cases.server";
import { loadCaseBoard } from "~/incidents/cases-queries.server";
import { PermissionDeniedError } from "~/lib/domain-error";
import { createTestCustomer } from "../support/customers";

const origin = { ip: "198.51.100.50", userAgent: "vitest", requestId: `req-${randomUUID()}` };
const as = (role: "AGENT" | "SECURITY_LEAD" | "COMPLIANCE", id: string = randomUUID()) => ({
  actor: { kind: "staff", id, role } as Actor & { id: string },
  origin,
});

let incidentId: string;
let customerId: string;
let caseId: string;

beforeEach(async () => {
  const incident = await prisma.incident.create({
    data: { code: `INC-C-${randomUUID().slice(0, 8)}`, title: "Case test", summary: "s", openedAt: new Date() },
  });
  incidentId = incident.id;
  customerId = (await createTestCustomer(prisma)).customer.id;
  caseId = (await openCase(as("AGENT"), { incidentId, customerId, reason: "caller reported fraud" })).id;
});

describe("the case flow", () => {
  it("allows exactly one step forward, and reopening a closed case", () => {
    expect(CASE_FLOW).toEqual(["OPEN", "CONTAINED", "REMEDIATED", "NOTIFIED", "CLOSED"]);
    expect(allowedCaseTransitions("OPEN")).toEqual(["CONTAINED"]);
    expect(allowedCaseTransitions("NOTIFIED")).toEqual(["CLOSED"]);
    expect(allowedCaseTransitions("CLOSED")).toEqual(["OPEN"]);
    expect(isAllowedCaseTransition("OPEN", "REMEDIATED")).toBe(false);
    expect(isAllowedCaseTransition("CONTAINED", "OPEN")).toBe(false);
  });

  it("walks open → contained → remediated → notified → closed, each step audited with before and after", async () => {
    const agent = as("AGENT");
    for (let k = 0; k < CASE_FLOW.length - 1; k++) {
      const result = await transitionCase(agent, { caseId, from: CASE_FLOW[k]!, to: CASE_FLOW[k + 1]! });
      expect(result.status).toBe(CASE_FLOW[k + 1]);
    }
    expect((await prisma.incidentCase.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("CLOSED");
    const rows = await prisma.auditEvent.findMany({
      where: { action: "case.transition", targetId: caseId },
      orderBy: { seq: "asc" },
    });
    expect(rows.map((r) => [(r.before as { status: string }).status, (r.after as { status: string }).status])).toEqual([
      ["OPEN", "CONTAINED"],
      ["CONTAINED", "REMEDIATED"],
      ["REMEDIATED", "NOTIFIED"],
      ["NOTIFIED", "CLOSED"],
    ]);
    expect(rows.every((r) => r.incidentId === incidentId && r.targetType === "incident_case")).toBe(true);
  });

  it("refuses a skipped step and an unknown status, changing nothing", async () => {
    await expect(transitionCase(as("AGENT"), { caseId, from: "OPEN", to: "CLOSED" })).rejects.toMatchObject({
      code: "CASE_TRANSITION_NOT_ALLOWED",
      message: "A case goes from Open to Contained, not to Closed.",
    });
    await expect(transitionCase(as("AGENT"), { caseId, from: "OPEN", to: "DONE" })).rejects.toMatchObject({
      code: "INVALID_CASE_STATUS",
    });
    expect((await prisma.incidentCase.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("OPEN");
  });

  it("refuses a change made from a stale page (conditional on the status the agent saw)", async () => {
    await transitionCase(as("AGENT"), { caseId, from: "OPEN", to: "CONTAINED" });
    // A second agent's page still says OPEN.
    await expect(transitionCase(as("AGENT"), { caseId, from: "OPEN", to: "CONTAINED" })).rejects.toMatchObject({
      code: "CASE_CHANGED",
      status: 409,
    });
    const failed = await prisma.auditEvent.findMany({
      where: { action: "case.transition", targetId: caseId, outcome: "FAILED" },
    });
    expect(failed).toHaveLength(1);
  });

  it("two agents moving the same case at once: exactly one wins (PostgreSQL)", async () => {
    const results = await Promise.allSettled([
      transitionCase(as("AGENT"), { caseId, from: "OPEN", to: "CONTAINED" }),
      transitionCase(as("AGENT"), { caseId, from: "OPEN", to: "CONTAINED" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("reopening needs a reason", async () => {
    for (const [from, to] of [
      ["OPEN", "CONTAINED"],
      ["CONTAINED", "REMEDIATED"],
      ["REMEDIATED", "NOTIFIED"],
      ["NOTIFIED", "CLOSED"],
    ] as const) {
      await transitionCase(as("AGENT"), { caseId, from, to });
    }
    await expect(transitionCase(as("AGENT"), { caseId, from: "CLOSED", to: "OPEN" })).rejects.toMatchObject({
      code: "REASON_REQUIRED",
    });
    await transitionCase(as("AGENT"), { caseId, from: "CLOSED", to: "OPEN", reason: "customer found another charge" });
    expect((await prisma.incidentCase.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("OPEN");
  });

  it("a compliance officer cannot move cases (denied and audited)", async () => {
    const compliance = as("COMPLIANCE");
    await expect(transitionCase(compliance, { caseId, from: "OPEN", to: "CONTAINED" })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    const [row] = await prisma.auditEvent.findMany({
      where: { action: "case.transition", actorId: compliance.actor.id },
    });
    expect(row).toMatchObject({ outcome: "DENIED" });
  });

  it("a case is only moved from the page of its own account", async () => {
    const other = (await createTestCustomer(prisma)).customer.id;
    await expect(
      transitionCase(as("AGENT"), { caseId, from: "OPEN", to: "CONTAINED", customerId: other }),
    ).rejects.toMatchObject({ code: "CASE_NOT_FOUND" });
  });
});

describe("assignment and opening", () => {
  it("assigns to staff who may work cases, unassigns, and refuses others", async () => {
    const lead = await prisma.staffUser.create({
      data: { email: `lead-${randomUUID()}@firebreak.test`, displayName: "Lead Suzuki", role: "SECURITY_LEAD" },
    });
    const compliance = await prisma.staffUser.create({
      data: { email: `comp-${randomUUID()}@firebreak.test`, displayName: "Compliance", role: "COMPLIANCE" },
    });
    const disabled = await prisma.staffUser.create({
      data: {
        email: `gone-${randomUUID()}@firebreak.test`,
        displayName: "Gone",
        role: "AGENT",
        disabledAt: new Date(),
      },
    });
    await assignCase(as("AGENT"), { caseId, assigneeId: lead.id });
    expect((await prisma.incidentCase.findUniqueOrThrow({ where: { id: caseId } })).assigneeId).toBe(lead.id);
    const board = await loadCaseBoard(incidentId, { assignee: lead.id });
    expect(board.cases.map((c) => [c.id, c.assignee])).toEqual([[caseId, "Lead Suzuki"]]);

    await expect(assignCase(as("AGENT"), { caseId, assigneeId: compliance.id })).rejects.toMatchObject({
      code: "ASSIGNEE_CANNOT_MANAGE_CASES",
    });
    await expect(assignCase(as("AGENT"), { caseId, assigneeId: disabled.id })).rejects.toMatchObject({
      code: "ASSIGNEE_NOT_FOUND",
    });
    await assignCase(as("AGENT"), { caseId, assigneeId: null });
    expect((await prisma.incidentCase.findUniqueOrThrow({ where: { id: caseId } })).assigneeId).toBeNull();
    const rows = await prisma.auditEvent.findMany({
      where: { action: "case.assign", targetId: caseId, outcome: "SUCCESS" },
    });
    expect(rows.map((r) => (r.after as { assigneeId: string | null }).assigneeId)).toEqual([lead.id, null]);
  });

  it("opens at most one case per account and incident, even when two agents click at once", async () => {
    await expect(openCase(as("AGENT"), { incidentId, customerId })).rejects.toMatchObject({
      code: "CASE_EXISTS",
      status: 409,
    });
    const fresh = (await createTestCustomer(prisma)).customer.id;
    const results = await Promise.allSettled([
      openCase(as("AGENT"), { incidentId, customerId: fresh }),
      openCase(as("AGENT"), { incidentId, customerId: fresh }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await prisma.incidentCase.count({ where: { incidentId, customerId: fresh } })).toBe(1);
    await expect(openCase(as("AGENT"), { incidentId: randomUUID(), customerId })).rejects.toMatchObject({
      code: "INCIDENT_NOT_FOUND",
    });
  });

  it("the case board counts and filters by status", async () => {
    await transitionCase(as("AGENT"), { caseId, from: "OPEN", to: "CONTAINED" });
    const board = await loadCaseBoard(incidentId, { status: "CONTAINED" });
    expect(board.byStatus.CONTAINED).toBe(1);
    expect(board.cases.map((c) => c.customer.id)).toEqual([customerId]);
    expect((await loadCaseBoard(incidentId, { status: "OPEN" })).cases).toHaveLength(0);
    await expect(loadCaseBoard("nope", {})).rejects.toMatchObject({ status: 404 });
  });
});
