// The before/after diff the audit view renders, and the checkpoint worker's schedule.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appendAuditEvent } from "~/audit/audit-log.server";
import { startAuditCheckpointWorker, TEN_MINUTES, THIRTY_SECONDS } from "~/audit/checkpoint-worker.server";
import { diffAuditValues, MAX_DIFF_LINES } from "~/audit/diff";
import { prisma } from "~/db.server";

describe("diffAuditValues", () => {
  it("lists changed, added and removed fields first, down to nested scalars, then the unchanged ones", () => {
    const { lines } = diffAuditValues(
      { status: "ACTIVE", balance: 5000, flags: ["new"], contact: { email: "a@example.jp", phone: "+8190" } },
      { status: "FROZEN", balance: 5000, flags: ["new", "frozen"], contact: { email: "b@example.jp" }, by: "lead" },
    );
    expect(lines).toEqual([
      { path: "by", kind: "added", after: "lead" },
      { path: "contact.email", kind: "changed", before: "a@example.jp", after: "b@example.jp" },
      { path: "contact.phone", kind: "removed", before: "+8190" },
      { path: "flags[1]", kind: "added", after: "frozen" },
      { path: "status", kind: "changed", before: "ACTIVE", after: "FROZEN" },
      { path: "balance", kind: "unchanged", before: "5000", after: "5000" },
      { path: "flags[0]", kind: "unchanged", before: "new", after: "new" },
    ]);
  });

  it("treats a missing side as created or deleted, and scalars as one value", () => {
    expect(diffAuditValues(null, { id: "x" }).lines).toEqual([{ path: "id", kind: "added", after: "x" }]);
    expect(diffAuditValues({ id: "x" }, undefined).lines).toEqual([{ path: "id", kind: "removed", before: "x" }]);
    expect(diffAuditValues(1, 2).lines).toEqual([{ path: "(value)", kind: "changed", before: "1", after: "2" }]);
    expect(diffAuditValues(null, null).lines).toEqual([]);
    expect(diffAuditValues({ list: [] }, { list: [1] }).lines.map((l) => `${l.kind}:${l.path}`)).toEqual([
      "removed:list",
      "added:list[0]",
    ]);
  });

  it("orders array indexes numerically and caps very large values", () => {
    const big = Array.from({ length: 12 }, (_, i) => i);
    expect(
      diffAuditValues(null, big)
        .lines.map((l) => l.path)
        .slice(0, 3),
    ).toEqual(["[0]", "[1]", "[2]"]);
    const huge = diffAuditValues(
      null,
      Array.from({ length: MAX_DIFF_LINES + 10 }, (_, i) => i),
    );
    expect(huge).toMatchObject({ truncated: true });
    expect(huge.lines).toHaveLength(MAX_DIFF_LINES);
  });
});

describe("the checkpoint worker", () => {
  it("runs every ten minutes, first thirty seconds after start", () => {
    expect(TEN_MINUTES).toBe(600_000);
    expect(THIRTY_SECONDS).toBe(30_000);
  });

  it("signs the head on its first run and stops cleanly", async () => {
    await prisma.$transaction((tx) =>
      appendAuditEvent(tx, {
        actor: { kind: "system", id: "system:test" },
        origin: { ip: null, userAgent: null, requestId: null },
        action: "test.worker",
        outcome: "SUCCESS",
        targetId: randomUUID(),
      }),
    );
    const before = await prisma.auditCheckpoint.count();
    const messages: string[] = [];
    const log = { info: (m: string) => messages.push(m), error: (m: unknown) => messages.push(`error: ${String(m)}`) };
    const stop = startAuditCheckpointWorker({ initialDelayMs: 0, intervalMs: TEN_MINUTES, log });
    await expect.poll(() => prisma.auditCheckpoint.count(), { timeout: 30_000 }).toBeGreaterThan(before);
    await stop();
    expect(messages.join("\n")).toMatch(/audit checkpoint #\d+ signed at seq \d+/);
    const [latest] = await prisma.auditCheckpoint.findMany({ orderBy: { id: "desc" }, take: 1 });
    expect(latest).toMatchObject({ createdBy: "schedule", algorithm: "Ed25519" });
  });
});
