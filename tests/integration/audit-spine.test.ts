// The audited-action spine: no change without its audit row, no audit row without its change, denials and failures
// audited, the chain valid and gapless under concurrent writers, and the log append-only in the database itself.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { signCheckpoint } from "~/audit/checkpoint-service.server";
import { performAction } from "~/audit/perform-action.server";
import { verifyAuditChain } from "~/audit/verify-chain.server";
import { database, prisma } from "~/db.server";
import { DomainError, PermissionDeniedError } from "~/lib/domain-error";

const origin = { ip: "203.0.113.7", userAgent: "vitest", requestId: "req-spine-test" };
const lead: Actor = { kind: "staff", id: randomUUID(), role: "SECURITY_LEAD" };
const compliance: Actor = { kind: "staff", id: randomUUID(), role: "COMPLIANCE" };

/** Each test uses its own action name, so the tests of this file (one database) never see each other's rows. */
const uniqueAction = (name: string) => `test.${name}.${randomUUID().slice(0, 8)}`;

function openIncident(tx: Parameters<Parameters<typeof prisma.$transaction>[0]>[0], code: string) {
  return tx.incident.create({ data: { code, title: "Test", summary: "spine test", openedAt: new Date() } });
}

describe("performAction", () => {
  it("commits the change and its SUCCESS audit row together, with every PCI DSS 10.2.2 field", async () => {
    const action = uniqueAction("success");
    const code = `INC-${randomUUID()}`;
    const incident = await performAction(
      { actor: lead, origin },
      { action, permission: "cases:manage", targetType: "incident", reason: "opening a test incident" },
      async (tx) => {
        const created = await openIncident(tx, code);
        return { result: created, targetId: created.id, before: null, after: { code, at: new Date(0) } };
      },
    );
    const [row] = await prisma.auditEvent.findMany({ where: { action } });
    expect(row).toMatchObject({
      actorId: (lead as { id: string }).id,
      actorRole: "SECURITY_LEAD",
      targetType: "incident",
      targetId: incident.id,
      outcome: "SUCCESS",
      reason: "opening a test incident",
      ip: "203.0.113.7",
      userAgent: "vitest",
      requestId: "req-spine-test",
      before: null,
      after: { code, at: "1970-01-01T00:00:00.000Z" },
    });
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a failing action leaves no change and a FAILED audit row", async () => {
    const action = uniqueAction("failure");
    const code = `INC-${randomUUID()}`;
    await expect(
      performAction({ actor: lead, origin }, { action, permission: "cases:manage" }, async (tx) => {
        await openIncident(tx, code);
        throw new DomainError("TEST_REFUSED", "the domain refused this");
      }),
    ).rejects.toThrow("the domain refused this");
    expect(await prisma.incident.count({ where: { code } })).toBe(0);
    const rows = await prisma.auditEvent.findMany({ where: { action } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "FAILED", after: { error: "TEST_REFUSED: the domain refused this" } });
  });

  it("an unexpected error is audited without its message (it might carry secrets)", async () => {
    const action = uniqueAction("crash");
    await expect(
      performAction({ actor: lead, origin }, { action, permission: "cases:manage" }, async () => {
        throw new Error("password=hunter2");
      }),
    ).rejects.toThrow();
    const [row] = await prisma.auditEvent.findMany({ where: { action } });
    expect(row).toMatchObject({ outcome: "FAILED", after: { error: "INTERNAL_ERROR" } });
    expect(
      JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)),
    ).not.toContain("hunter2");
  });

  it("refuses an actor without the permission, runs nothing and audits the denial", async () => {
    const action = uniqueAction("denied");
    let ran = false;
    await expect(
      performAction({ actor: compliance, origin }, { action, permission: "ledger:reverse" }, async () => {
        ran = true;
        return { result: null };
      }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(ran).toBe(false);
    const [row] = await prisma.auditEvent.findMany({ where: { action } });
    expect(row).toMatchObject({
      outcome: "DENIED",
      actorRole: "COMPLIANCE",
      after: { missingPermission: "ledger:reverse" },
    });
  });

  it("50 concurrent audited actions leave a valid, gapless chain with one row each", async () => {
    const action = uniqueAction("concurrent");
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        performAction(
          { actor: lead, origin },
          { action, permission: "cases:manage", targetId: String(i) },
          async (tx) => {
            await openIncident(tx, `INC-${randomUUID()}`);
            return { result: i };
          },
        ),
      ),
    );
    const rows = await prisma.auditEvent.findMany({ where: { action }, orderBy: { seq: "asc" } });
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.targetId)).size).toBe(50);
    const verification = await verifyAuditChain(database.sql);
    expect(verification.firstBad, JSON.stringify(verification.firstBad)).toBeUndefined();
    expect(verification.ok).toBe(true);
    const [totals] = await prisma.$queryRaw<{ max: bigint; count: bigint }[]>`
      SELECT max(seq) AS max, count(*) AS count FROM audit_event`;
    expect(BigInt(totals!.max)).toBe(BigInt(totals!.count)); // gapless from 1
  });
});

describe("the audit table is append-only in the database", () => {
  it("rejects UPDATE, DELETE and TRUNCATE", async () => {
    const action = uniqueAction("append-only");
    await performAction({ actor: lead, origin }, { action, permission: "cases:manage" }, async () => ({ result: 1 }));
    const [row] = await prisma.auditEvent.findMany({ where: { action } });
    await expect(
      prisma.$executeRaw`UPDATE audit_event SET reason = 'rewritten' WHERE seq = ${row!.seq}`,
    ).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`DELETE FROM audit_event WHERE seq = ${row!.seq}`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe("TRUNCATE audit_event")).rejects.toThrow(/append-only/);
    const after = await prisma.auditEvent.findUnique({ where: { seq: row!.seq } });
    expect(after?.reason).toBeNull();
  });

  it("rejects UPDATE, DELETE and TRUNCATE of a signed checkpoint too", async () => {
    await performAction(
      { actor: lead, origin },
      { action: uniqueAction("checkpointed"), permission: "cases:manage" },
      async () => ({ result: 1 }),
    );
    const outcome = await signCheckpoint(database, "cli");
    expect(outcome.status).toBe("created");
    const id = BigInt(outcome.status === "created" ? outcome.checkpoint.id : -1);
    await expect(prisma.$executeRaw`UPDATE audit_checkpoint SET signature = 'forged' WHERE id = ${id}`).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.$executeRaw`DELETE FROM audit_checkpoint WHERE id = ${id}`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe("TRUNCATE audit_checkpoint")).rejects.toThrow(/append-only/);
    expect(await prisma.auditCheckpoint.count({ where: { id } })).toBe(1);
  });

  it("refuses a row that does not extend the chain", async () => {
    await expect(
      prisma.$executeRaw`INSERT INTO audit_event (seq, occurred_at, action, outcome, prev_hash, hash)
                         VALUES (1000000000, now(), 'forged', 'SUCCESS', ${"f".repeat(64)}, ${randomUUID()})`,
    ).rejects.toThrow(/does not extend the chain/);
  });
});
