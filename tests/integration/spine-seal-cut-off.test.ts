// A staff action that committed, whose audit row's seal into the chain is then cut off (ADR 123): the connection
// carrying the seal is cut as it goes, or the database freezes under it. The change and its SUCCESS row are committed
// (in the intake, for the next seal), so the member must be told the change was made, not shown "the database is away"
// for something done — and the trail must hold one SUCCESS row, no FAILED one, in an unbroken chain.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { sealAuditIntakeNow } from "~/audit/audit-log.server";
import { performAction } from "~/audit/perform-action.server";
import { database, prisma } from "~/db.server";
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

const ACTION = "test.seal-cut-off";
const SEAL = "firebreak_seal_audit_intake";

/** The action's audit rows, sealed or still in the intake, by outcome. */
async function auditOutcomes(key: string): Promise<string[]> {
  const where = { action: ACTION, targetId: key };
  const sealed = await prisma.auditEvent.findMany({ where, select: { outcome: true } });
  const waiting = await prisma.auditIntake.findMany({ where, select: { outcome: true } });
  return [...sealed, ...waiting].map((row) => row.outcome).sort();
}

describe.skipIf(!onPostgres)("the seal after a committed action, cut off (PostgreSQL)", () => {
  it.each([
    ["its connection cut as the seal goes", "sever"],
    ["the database frozen under the seal", "freeze"],
  ] as const)("%s: the member gets the result, the trail one SUCCESS row", async (_, how) => {
    const { proxy } = through!;
    const key = randomUUID();
    const lead = await createStaffContext(prisma, "SECURITY_LEAD");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const cut = how === "sever" ? proxy.severWhenSent(SEAL) : proxy.freezeWhenSent(SEAL);
      const acting = performAction(
        lead,
        { action: ACTION, permission: "recovery:force-reset", targetType: "form", targetId: key },
        async (tx) => {
          await tx.formSubmission.create({
            data: { key, action: ACTION, staffId: lead.actor.id, createdAt: new Date() },
          });
          return { result: `done ${key}`, after: { key } };
        },
      );
      await frozenOrFail(cut, "the seal after the action's COMMIT");
      await expect(acting).resolves.toBe(`done ${key}`);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`${ACTION}: committed`));
    } finally {
      warn.mockRestore();
      proxy.resume();
    }
    expect(await prisma.formSubmission.count({ where: { key } })).toBe(1);
    // Whatever the cut-off seal did, the next seal leaves the row in the chain, once, with nothing failed beside it.
    await vi.waitFor(() => sealAuditIntakeNow(database.sql), { timeout: 30_000, interval: 200 });
    expect(await auditOutcomes(key)).toEqual(["SUCCESS"]);
    expect(await prisma.auditIntake.count({ where: { action: ACTION, targetId: key } })).toBe(0);
  });
});
