import { describe, expect, it } from "vitest";
import { database, prisma } from "~/db.server";
import { performAction } from "~/audit/perform-action.server";
import { verifyAuditChain } from "~/audit/verify-chain.server";
import { DomainError } from "~/lib/domain-error";

const origin = { ip: "127.0.0.1", userAgent: "vitest", requestId: "req-test" };
const lead = { kind: "staff" as const, id: "00000000-0000-4000-8000-000000000001", role: "SECURITY_LEAD" as const };

describe("smoke", () => {
  it("writes a chained audit row with the change", async () => {
    const result = await performAction(
      { actor: lead, origin },
      { action: "test.noop", permission: "console:view", targetType: "test", targetId: "t1", reason: "smoke" },
      async () => ({ result: 42, before: { a: 1 }, after: { a: 2, when: new Date(0) } }),
    );
    expect(result).toBe(42);
    await expect(
      performAction({ actor: lead, origin }, { action: "test.fail", permission: "console:view" }, async () => {
        throw new DomainError("NOPE", "no");
      }),
    ).rejects.toThrow("no");
    const rows = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.outcome)).toEqual(["SUCCESS", "FAILED"]);
    const verification = await verifyAuditChain(database.sql);
    expect(verification).toMatchObject({ ok: true, rowsChecked: 2 });
  });
});
