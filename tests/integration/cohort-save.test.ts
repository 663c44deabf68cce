// Saving a signal search as a cohort through the spine, and reading it back the way the bulk actions do: the snapshot
// is what matched inside the saving transaction, it is audited with a digest of its members, only cohorts:build may
// save one, refusals change nothing, and the database refuses to alter a saved cohort.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { prisma } from "~/db.server";
import {
  CohortNotFoundError,
  getCohort,
  getCohortMemberIds,
  getCohortMembers,
  pageCohortMembers,
} from "~/incidents/cohorts/cohort-members.server";
import type { CohortDefinition } from "~/incidents/cohorts/definition";
import { membersDigest, saveCohort } from "~/incidents/cohorts/save-cohort.server";
import { PermissionDeniedError } from "~/lib/domain-error";

const HOUR = 60 * 60 * 1000;
const origin = { ip: "198.51.100.30", userAgent: "vitest", requestId: `req-${randomUUID()}` };

function staff(role: "AGENT" | "SECURITY_LEAD"): { actor: Actor & { id: string }; origin: typeof origin } {
  return { actor: { kind: "staff", id: randomUUID(), role }, origin };
}

// A window of our own, far from every other test's data (the file's tests share its database).
const windowStart = new Date(Date.UTC(2040, 0, 1) + Math.floor(Math.random() * 3000) * 24 * HOUR);
const windowEnd = new Date(windowStart.getTime() + 48 * HOUR);
const at = (hours: number) => new Date(windowStart.getTime() + hours * HOUR);

let victims: string[];
let ordinary: string;
let incidentId: string;

async function customerWithSignIn(country: string, newDevice: boolean) {
  const customer = await prisma.customer.create({
    data: {
      displayId: `C-${randomUUID().slice(0, 8)}`,
      name: "試験 花子",
      nameKana: "シケン ハナコ",
      email: `cohort-${randomUUID().slice(0, 8)}@cohort.example`,
      phone: `+8180${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
      birthDate: new Date("1980-05-05"),
    },
  });
  const device = await prisma.device.create({
    data: { customerId: customer.id, fingerprint: `fp-${randomUUID()}`, platform: "android", firstSeenAt: at(1) },
  });
  await prisma.loginEvent.create({
    data: {
      customerId: customer.id,
      deviceId: device.id,
      ip: "198.18.0.1",
      country,
      success: true,
      newDevice,
      occurredAt: at(1),
    },
  });
  return customer.id;
}

function takeoverDefinition(): CohortDefinition {
  return {
    version: 1,
    window: { from: windowStart, to: windowEnd },
    match: "all",
    minScore: 0,
    signals: {
      newDevice: { enabled: true },
      foreignSignIn: { enabled: true, homeCountry: "JP" },
      sharedDevice: { enabled: false, minAccounts: 3 },
      sharedIp: { enabled: false, minAccounts: 10 },
      topUpThenResellable: { enabled: false, withinHours: 6, minYen: 10_000 },
      contactChangeBeforeTopUp: { enabled: false, withinHours: 24 },
    },
    storeIds: [],
  };
}

beforeAll(async () => {
  victims = [
    await customerWithSignIn("CN", true),
    await customerWithSignIn("VN", true),
    await customerWithSignIn("HK", true),
  ];
  ordinary = await customerWithSignIn("JP", true);
  const incident = await prisma.incident.create({
    data: {
      code: `INC-COHORT-${randomUUID().slice(0, 8)}`,
      title: "Cohort test",
      summary: "test",
      openedAt: windowStart,
    },
  });
  incidentId = incident.id;
});

describe("saving a cohort", () => {
  it("snapshots the matching accounts with scores and reasons, audited with a digest of the members", async () => {
    const lead = staff("SECURITY_LEAD");
    const saved = await saveCohort(lead, {
      name: "  Foreign new devices \u0007 ",
      incidentId,
      definition: takeoverDefinition(),
    });
    expect(saved.memberCount).toBe(3);

    const cohort = await getCohort(saved.id);
    expect(cohort).toMatchObject({
      name: "Foreign new devices",
      incidentId,
      memberCount: 3,
      createdById: lead.actor.id,
    });
    expect((cohort.definition as { window: { from: string } }).window.from).toBe(windowStart.toISOString());

    const { members } = await getCohortMembers(saved.id);
    expect(members.map((m) => m.customerId)).toEqual([...victims].sort());
    expect(members.every((m) => m.status === "ACTIVE" && m.riskScore === 35)).toBe(true);
    expect(await getCohortMemberIds(saved.id)).toEqual([...victims].sort());

    const page = await pageCohortMembers(saved.id, 1);
    expect(page.members).toHaveLength(3);
    expect(page.members[0]!.reasons.map((r) => r.code).sort()).toEqual(["foreignSignIn", "newDevice"]);
    expect(page.members[0]!.reasons.every((r) => r.selected && r.detail.includes("JST"))).toBe(true);

    const [row] = await prisma.auditEvent.findMany({ where: { action: "cohort.save", targetId: saved.id } });
    expect(row).toMatchObject({ outcome: "SUCCESS", actorId: lead.actor.id, incidentId, targetType: "cohort" });
    expect(row!.after).toMatchObject({ memberCount: 3, membersDigest: membersDigest(victims) });
  });

  it("reads inside a caller's transaction too (what a bulk action does)", async () => {
    const saved = await saveCohort(staff("SECURITY_LEAD"), {
      name: "tx read",
      incidentId: null,
      definition: takeoverDefinition(),
    });
    const ids = await prisma.$transaction((tx) => getCohortMemberIds(saved.id, { db: tx }));
    expect(ids).toHaveLength(3);
    expect(ids).not.toContain(ordinary);
  });

  it("an agent (no cohorts:build) is refused and audited; nothing is saved", async () => {
    const agent = staff("AGENT");
    await expect(
      saveCohort(agent, { name: "not allowed", incidentId, definition: takeoverDefinition() }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(await prisma.cohort.count({ where: { createdById: agent.actor.id } })).toBe(0);
    const [row] = await prisma.auditEvent.findMany({ where: { action: "cohort.save", actorId: agent.actor.id } });
    expect(row).toMatchObject({ outcome: "DENIED" });
  });

  it("refuses an empty result, a bad window, a missing name or an unknown incident, saving nothing", async () => {
    const lead = staff("SECURITY_LEAD");
    const empty = { ...takeoverDefinition(), window: { from: at(-100), to: at(-90) } };
    await expect(saveCohort(lead, { name: "empty", incidentId, definition: empty })).rejects.toMatchObject({
      code: "COHORT_EMPTY",
    });
    const reversed = { ...takeoverDefinition(), window: { from: windowEnd, to: windowStart } };
    await expect(saveCohort(lead, { name: "reversed", incidentId, definition: reversed })).rejects.toMatchObject({
      code: "INVALID_COHORT",
      // A key: the page says it in the member's language ("The window must end after it starts." in English).
      message: "cohorts:validation.windowOrder",
    });
    await expect(
      saveCohort(lead, { name: " \n ", incidentId, definition: takeoverDefinition() }),
    ).rejects.toMatchObject({
      code: "INVALID_COHORT",
    });
    await expect(
      saveCohort(lead, { name: "ghost incident", incidentId: randomUUID(), definition: takeoverDefinition() }),
    ).rejects.toMatchObject({ code: "INCIDENT_NOT_FOUND" });
    expect(await prisma.cohort.count({ where: { createdById: lead.actor.id } })).toBe(0);
  });
});

describe("a saved cohort is immutable", () => {
  it("the database refuses to change or delete a cohort or its members", async () => {
    const saved = await saveCohort(staff("SECURITY_LEAD"), {
      name: "frozen",
      incidentId,
      definition: takeoverDefinition(),
    });
    await expect(prisma.cohort.update({ where: { id: saved.id }, data: { name: "renamed" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.cohortMember.deleteMany({ where: { cohortId: saved.id } })).rejects.toThrow(/append-only/);
    await expect(
      prisma.cohortMember.updateMany({ where: { cohortId: saved.id }, data: { riskScore: 0 } }),
    ).rejects.toThrow(/append-only/);
    expect((await getCohortMembers(saved.id)).members).toHaveLength(3);
  });

  it("unknown or malformed ids are a clear not-found", async () => {
    await expect(getCohort("not-a-uuid")).rejects.toBeInstanceOf(CohortNotFoundError);
    await expect(getCohortMembers(randomUUID())).rejects.toMatchObject({ code: "COHORT_NOT_FOUND", status: 404 });
  });
});
