// A staff action whose COMMIT fails or goes unanswered (docs/decisions/090-reliability-round-five.md). The spine asks
// on another connection whether the action committed, by the id it wrote with its SUCCESS row: committed, the caller
// gets its result and the trail nothing more; refused, one FAILED row and no change; not known yet (the database
// still frozen), no FAILED row that the action's own SUCCESS row could later contradict.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { performAction } from "~/audit/perform-action.server";
import { prisma } from "~/db.server";
import { frozenOrFail, openProcessDatabaseThroughProxy } from "../support/frozen-worker";
import { createStaffContext } from "../support/ledger-fixtures";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const through = await vi.hoisted(async () => {
  if (process.env.FIREBREAK_TEST_DB !== "postgresql") return null;
  const { openProcessDatabaseThroughProxy: open } = await import("../support/frozen-worker");
  return open();
});
void openProcessDatabaseThroughProxy; // opened above, before ~/db.server was imported

afterEach(() => {
  through?.proxy.resume();
});
afterAll(async () => {
  await through?.proxy.close();
});

const ACTION = "test.commit-in-doubt";

/** An audited action whose change is one form key (a row the test can count), targeted at that key. */
async function act(key: string, extra?: (tx: Parameters<Parameters<typeof performAction>[2]>[0]) => Promise<void>) {
  const lead = await createStaffContext(prisma, "SECURITY_LEAD");
  return performAction(
    lead,
    { action: ACTION, permission: "recovery:force-reset", targetType: "form", targetId: key },
    async (tx) => {
      await tx.formSubmission.create({
        data: { key, action: ACTION, staffId: lead.actor.id, createdAt: new Date() },
      });
      await extra?.(tx);
      return { result: `done ${key}`, after: { key } };
    },
  );
}

/** The action's audit rows, sealed or still in the intake, by outcome. */
async function auditOutcomes(key: string): Promise<string[]> {
  const where = { action: ACTION, targetId: key };
  const sealed = await prisma.auditEvent.findMany({ where, select: { outcome: true } });
  const waiting = await prisma.auditIntake.findMany({ where, select: { outcome: true } });
  return [...sealed, ...waiting].map((row) => row.outcome).sort();
}

describe("a COMMIT the server refuses", () => {
  it("is recorded FAILED once, with no change and no SUCCESS row", async () => {
    const key = randomUUID();
    // A deferred foreign key is checked at COMMIT: the change and its SUCCESS row are written, then the COMMIT fails.
    const failingCommit = async (tx: Parameters<Parameters<typeof performAction>[2]>[0]) => {
      await tx.$executeRawUnsafe(`CREATE TEMP TABLE doubt_parent (id int PRIMARY KEY) ON COMMIT DROP`);
      await tx.$executeRawUnsafe(
        `CREATE TEMP TABLE doubt_child (parent int REFERENCES doubt_parent DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP`,
      );
      await tx.$executeRawUnsafe(`INSERT INTO doubt_child VALUES (1)`);
    };
    await expect(act(key, failingCommit)).rejects.toThrow();
    expect(await prisma.formSubmission.count({ where: { key } })).toBe(0);
    expect(await auditOutcomes(key)).toEqual(["FAILED"]);
  });
});

describe.skipIf(!onPostgres)("a COMMIT whose answer is lost (PostgreSQL)", () => {
  it("that committed: the caller gets its result, and the trail holds one SUCCESS row and no FAILED row", async () => {
    const { proxy } = through!;
    const key = randomUUID();
    const cut = proxy.severWhenSent("COMMIT", { after: "committed_action" });
    const acting = act(key);
    await frozenOrFail(cut, "the action's COMMIT");
    await expect(acting).resolves.toBe(`done ${key}`);
    expect(await prisma.formSubmission.count({ where: { key } })).toBe(1);
    expect(await auditOutcomes(key)).toEqual(["SUCCESS"]);
  });

  it("while the database stays frozen: no FAILED row; the committed action's SUCCESS row is the trail's only word", async () => {
    const { proxy } = through!;
    const key = randomUUID();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const cut = proxy.severWhenSent("COMMIT", { after: "committed_action" });
      const acting = act(key);
      // Every connection freezes as the COMMIT goes: the question cannot be answered now.
      void cut.then(() => proxy.pause());
      await frozenOrFail(cut, "the action's COMMIT");
      await expect(acting).rejects.toThrow();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("commit outcome unknown"));
    } finally {
      warn.mockRestore();
      proxy.resume();
    }
    expect(await prisma.formSubmission.count({ where: { key } })).toBe(1);
    expect(await auditOutcomes(key)).toEqual(["SUCCESS"]);
  });
});
