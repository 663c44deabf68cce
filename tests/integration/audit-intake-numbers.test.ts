// Intake rows cannot vanish unnoticed (docs/decisions/049-intake-numbers-and-a-cheaper-seal.md): a committed audit row
// deleted from the intake before it was sealed is named by the trail's verification, while rolled-back transactions,
// failed statements and rows still waiting raise no alarm.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  intakeAuditEvents,
  intakeAuditEventsInTx,
  sealAuditIntakeNow,
  type AuditEventInput,
} from "~/audit/audit-log.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { verifyAuditTrail } from "~/audit/verify-trail.server";
import { findMissingIntakeRows } from "~/audit/verify-intake.server";
import { database, prisma } from "~/db.server";

const trusted = new Map();
const ROLLBACK = new Error("rollback");

function event(action: string, i: number, outcome: AuditEventInput["outcome"] = "SUCCESS"): AuditEventInput {
  return {
    actor: { kind: "system", id: "system:test" },
    origin: { ip: "203.0.113.9", userAgent: "vitest", requestId: `req-${i}` },
    action,
    outcome,
    targetType: "customer",
    after: { query: `佐藤 ${i}` },
  };
}

describe("intake numbers", () => {
  it("names a committed intake row that was deleted before it was sealed", async () => {
    const action = `test.numbers.deleted.${randomUUID().slice(0, 8)}`;
    await intakeAuditEvents(database.sql, [event(action, 1), event(action, 2), event(action, 3)]);
    const { rows: taken } = await database.sql.query<{ slot: number; no: string }>(
      `SELECT slot, slot_no::text AS no FROM audit_intake WHERE action = $1 ORDER BY slot_no`,
      [action],
    );
    expect(taken).toHaveLength(3);
    const victim = taken[1]!;

    let missing: Awaited<ReturnType<typeof findMissingIntakeRows>> | undefined;
    let trail: Awaited<ReturnType<typeof verifyAuditTrail>> | undefined;
    let untouched: Awaited<ReturnType<typeof findMissingIntakeRows>> | undefined;
    await database
      .sqlTransaction(async (tx) => {
        untouched = await findMissingIntakeRows(tx);
        // What an owner-level actor can do (the runtime role cannot DELETE from the intake): remove a committed row
        // before the sealer moved it into the chain. The chain itself stays perfect.
        await tx.query(`DELETE FROM audit_intake WHERE slot = $1 AND slot_no = $2::bigint`, [victim.slot, victim.no]);
        await tx.query(`SELECT firebreak_seal_audit_intake()`);
        missing = await findMissingIntakeRows(tx);
        trail = await verifyAuditTrail(tx, { trusted });
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });

    expect(untouched).toEqual([]);
    expect(missing).toEqual([
      expect.objectContaining({ slot: victim.slot, missing: [BigInt(victim.no)], taken: expect.any(BigInt) }),
    ]);
    expect(missing![0]!.taken - missing![0]!.accountedFor).toBe(1n);
    expect(trail!.chain.ok).toBe(true);
    expect(trail!.ok).toBe(false);
    const problem = trail!.problems.find((p) => p.problem === "INTAKE_ROW_MISSING");
    expect(problem?.detail).toContain(`Writer slot ${victim.slot}`);
    expect(problem?.detail).toContain(`number(s) ${victim.no})`);

    // Rolled back: the row is still there and is sealed as usual.
    await sealAuditIntakeNow(database.sql);
    expect(await prisma.auditEvent.count({ where: { action } })).toBe(3);
    expect(await findMissingIntakeRows(database.sql)).toEqual([]);
  });

  it("raises no alarm for rolled-back transactions, failed statements or rows still waiting", async () => {
    const action = `test.numbers.quiet.${randomUUID().slice(0, 8)}`;
    // A transaction that took numbers and rolled back gives them back with its counter update.
    await prisma
      .$transaction(async (tx) => {
        await intakeAuditEventsInTx(tx, [event(action, 1), event(action, 2)]);
        throw new Error("the change failed");
      })
      .catch(() => undefined);
    // A statement that failed half-way (its second row cannot be stored) took nothing either.
    await expect(
      intakeAuditEvents(database.sql, [event(action, 3), event(action, 4, "NOT_AN_OUTCOME" as "SUCCESS")]),
    ).rejects.toThrow();
    // Committed and waiting in the intake: accounted for, not missing.
    await intakeAuditEvents(database.sql, [event(action, 5)]);
    expect(await findMissingIntakeRows(database.sql)).toEqual([]);
    // Committed and sealed, and an audited read appended straight to the chain.
    await sealAuditIntakeNow(database.sql);
    await recordAuditEvent(event(action, 6));
    expect(await findMissingIntakeRows(database.sql)).toEqual([]);
    const trail = await verifyAuditTrail(database.sql, { trusted });
    expect(trail.problems).toEqual([]);
    expect(await prisma.auditEvent.count({ where: { action } })).toBe(2);
  });

  it("numbers each writer slot's rows 1, 2, 3… in commit order of that slot, and counts what was sealed", async () => {
    const action = `test.numbers.counts.${randomUUID().slice(0, 8)}`;
    await Promise.all(Array.from({ length: 6 }, (_, i) => intakeAuditEvents(database.sql, [event(action, i)])));
    await sealAuditIntakeNow(database.sql);
    const { rows } = await database.sql.query<{ slot: number; taken: string; sealed: string; pending: string }>(
      `SELECT c.slot, c.taken::text AS taken, coalesce(s.sealed, 0)::text AS sealed,
              (SELECT count(*) FROM audit_intake i WHERE i.slot = c.slot)::text AS pending
         FROM audit_intake_counter c LEFT JOIN audit_intake_sealed s ON s.slot = c.slot`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(BigInt(row.sealed) + BigInt(row.pending)).toBe(BigInt(row.taken));
    const { rows: ours } = await database.sql.query<{ slot: number; no: string }>(
      `SELECT intake_slot AS slot, intake_no::text AS no FROM audit_event WHERE action = $1`,
      [action],
    );
    expect(ours).toHaveLength(6);
    expect(new Set(ours.map((r) => `${r.slot}:${r.no}`)).size).toBe(6);
  });
});
