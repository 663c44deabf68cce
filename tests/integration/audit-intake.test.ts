// The chain without a global lock (docs/decisions/040-audit-chain-without-a-global-lock.md): writers commit audit rows
// to the intake under no lock and the database seals them into the chain in batches. Under many concurrent writers of
// every kind the chain must stay one line — no gap, no fork — every call's row must be chained by the time the call
// returns, the database's hash must be the one canonical.ts computes, and a row a crashed writer left in the intake
// must be chained before the next checkpoint signs the head.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  appendAuditEvents,
  createAuditAppender,
  intakeAuditEvents,
  recordAuditEventsShared,
  sealAuditIntakeNow,
  type AuditEventInput,
} from "~/audit/audit-log.server";
import { hashAuditRow, toAuditJson, type ChainedAuditFields } from "~/audit/canonical";
import { signCheckpoint } from "~/audit/checkpoint-service.server";
import { performAction, recordAuditEvent } from "~/audit/perform-action.server";
import { verifyAuditChain } from "~/audit/verify-chain.server";
import { findMissingIntakeRows } from "~/audit/verify-intake.server";
import { database, prisma } from "~/db.server";
import type { SqlRunner } from "~/db/sql-runner.server";

const origin = { ip: "203.0.113.40", userAgent: "vitest", requestId: "req-intake" };
const lead = { kind: "staff" as const, id: randomUUID(), role: "SECURITY_LEAD" as const };

function searchEvent(action: string, i: number): AuditEventInput {
  return {
    actor: lead,
    origin,
    action,
    outcome: "SUCCESS",
    targetType: "customer",
    after: { query: `佐藤 ${i}`, results: i % 21 },
  };
}

async function pendingInIntake(): Promise<number> {
  const { rows } = await database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_intake`);
  return rows[0]!.n;
}

interface StoredRow extends ChainedAuditFields {
  hash: string;
}

async function chainRows(where: string, params: unknown[]): Promise<StoredRow[]> {
  const { rows } = await database.sql.query<StoredRow>(
    `SELECT seq::text AS seq, occurred_at AS "occurredAt", actor_id AS "actorId", actor_role AS "actorRole", action,
            target_type AS "targetType", target_id AS "targetId", incident_id AS "incidentId", outcome::text AS outcome,
            reason, before, after, ip, user_agent AS "userAgent", request_id AS "requestId", prev_hash AS "prevHash", hash
       FROM audit_event WHERE ${where} ORDER BY audit_event.seq`,
    params,
  );
  return rows;
}

describe("the audit chain under concurrent writers", () => {
  it("stays one gapless, unforked chain, with each call's row chained before the call returns", async () => {
    const reads = `test.intake.read.${randomUUID().slice(0, 8)}`;
    const actions = `test.intake.action.${randomUUID().slice(0, 8)}`;
    const direct = `test.intake.direct.${randomUUID().slice(0, 8)}`;
    const WRITERS = 16;
    const PER_WRITER = 15;
    const notChainedOnReturn: string[] = [];

    // Every kind of writer at once: audited reads (intake, own statement), audited actions (intake inside the change's
    // transaction) and writers that still append straight to the chain inside their own transaction.
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < PER_WRITER; i++) {
          const requestId = `w${w}-i${i}`;
          const kind = (w + i) % 3;
          if (kind === 0) {
            await recordAuditEvent({ ...searchEvent(reads, i), origin: { ...origin, requestId } });
          } else if (kind === 1) {
            await performAction(
              { actor: lead, origin: { ...origin, requestId } },
              { action: actions, permission: "cases:manage", targetType: "incident" },
              async (tx) => {
                const incident = await tx.incident.create({
                  data: { code: `INC-${randomUUID()}`, title: "t", summary: "intake test", openedAt: new Date() },
                });
                return { result: incident.id, targetId: incident.id };
              },
            );
          } else {
            await prisma.$transaction((tx) =>
              appendAuditEvents(tx, [{ ...searchEvent(direct, i), origin: { ...origin, requestId } }]),
            );
          }
          if (kind !== 2) {
            // Sealed by the time the call returned: the row is already in the chain, not waiting in the intake.
            const found = await prisma.auditEvent.count({ where: { requestId, action: kind === 0 ? reads : actions } });
            if (found !== 1) notChainedOnReturn.push(requestId);
          }
        }
      }),
    );

    expect(notChainedOnReturn).toEqual([]);
    expect(await pendingInIntake()).toBe(0);
    const ours = await prisma.auditEvent.count({ where: { action: { in: [reads, actions, direct] } } });
    expect(ours).toBe(WRITERS * PER_WRITER);

    // No gap and no fork over the whole table: seq runs 1..n, each row links to the one before, no hash twice.
    const { rows } = await database.sql.query<{ n: string; max: string; forks: string; links: string }>(
      `SELECT count(*)::text AS n, max(seq)::text AS max,
              (count(*) - count(DISTINCT prev_hash))::text AS forks,
              count(*) FILTER (WHERE prev_hash IS DISTINCT FROM
                coalesce(prev, repeat('0', 64)))::text AS links
         FROM (SELECT seq, prev_hash, lag(hash) OVER (ORDER BY seq) AS prev FROM audit_event) AS chain`,
    );
    expect(rows[0]).toEqual({ n: rows[0]!.max, max: rows[0]!.max, forks: "0", links: "0" });
    const verification = await verifyAuditChain(database.sql);
    expect(verification.firstBad).toBeUndefined();
    expect(verification.ok).toBe(true);
    // Every intake number a committed writer took is in the chain: none reported missing, none counted twice.
    expect(await findMissingIntakeRows(database.sql)).toEqual([]);
    const { rows: numbered } = await database.sql.query<{ rows: number; distinct: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT (intake_slot, intake_no))::int AS distinct
         FROM audit_event WHERE action = $1 AND intake_no IS NOT NULL`,
      [actions],
    );
    expect(numbered[0]!.rows).toBeGreaterThan(0);
    expect(numbered[0]!.distinct).toBe(numbered[0]!.rows);
  });
});

describe("sealing in the database", () => {
  // Both ways into the chain: through the intake and its seal (the spine), and appended straight from the batch of an
  // audited read, denial or failure (recordAuditEvent). Both build the canonical text in SQL.
  it.each([
    ["sealed from the intake", (events: AuditEventInput[]) => intakeAuditEvents(database.sql, events)],
    ["appended as a batch", (events: AuditEventInput[]) => recordAuditEventsShared(database.sql, events)],
  ])("hashes each row exactly as canonical.ts does, awkward text included (%s)", async (_, write) => {
    const action = `test.intake.awkward.${randomUUID().slice(0, 8)}`;
    const awkward = [
      'quotes " and \\ backslashes',
      "control \u0001 \u001f \t tab \n newline \r return",
      "絵文字 🚨 and kanji 不正利用, U+2028 \u2028 U+2029 \u2029",
      "",
      "=1+1",
      "a NUL \u0000 byte, stored as U+FFFD",
    ];
    const written: AuditEventInput[] = awkward.map((text, i) => ({
      actor: { kind: "system" as const, id: `system:${text}` },
      origin: { ip: null, userAgent: text, requestId: null },
      action,
      outcome: "FAILED" as const,
      targetType: text || null,
      incidentId: text,
      reason: text,
      before: i === 0 ? null : { [text]: text, nested: { z: [1, 2.5, -0, 1e21, true, null], a: "x" }, ü: i },
      after: i === 1 ? [text, { b: 1, a: 2 }] : text,
      occurredAt: new Date(Date.UTC(2019, 6, 4, 1, 2, 3, 7 + i)),
    }));
    await write(written);
    await sealAuditIntakeNow(database.sql);
    const rows = await chainRows(`action = $1`, [action]);
    expect(rows).toHaveLength(awkward.length);
    // In the order they were written, and each hash is the one the Node writer would have computed.
    expect(rows.map((r) => r.reason)).toEqual(awkward.map((t) => t.replaceAll("\u0000", "\uFFFD")));
    for (const row of rows) expect(row.hash).toBe(hashAuditRow(row));
    expect(rows.map((r) => [r.before, r.after])).toEqual(
      written.map((e) => [toAuditJson(e.before), toAuditJson(e.after)]),
    );
    expect((await verifyAuditChain(database.sql)).ok).toBe(true);
  });

  it("sends each before/after value to the intake once, as the text its hash covers", async () => {
    const action = `test.intake.once.${randomUUID().slice(0, 8)}`;
    const sent: unknown[] = [];
    const recording: Pick<SqlRunner, "query"> = {
      query: <T>(text: string, params?: unknown[]) => {
        sent.push(...(JSON.parse(String(params?.[0])) as unknown[]));
        return database.sql.query<T>(text, params);
      },
    };
    const event = { ...searchEvent(action, 3), before: { query: "佐藤", at: new Date(Date.UTC(2026, 0, 2)) } };
    await intakeAuditEvents(recording, [event]);
    await sealAuditIntakeNow(database.sql);
    expect(sent).toEqual([
      expect.objectContaining({
        beforeText: '{"at":"2026-01-02T00:00:00.000Z","query":"佐藤"}',
        afterText: '{"query":"佐藤 3","results":3}',
      }),
    ]);
    expect(Object.keys(sent[0] as object)).not.toContain("before");
    expect(Object.keys(sent[0] as object)).not.toContain("after");
    const [row] = await chainRows(`action = $1`, [action]);
    expect([row!.before, row!.after]).toEqual([toAuditJson(event.before), toAuditJson(event.after)]);
    expect(row!.hash).toBe(hashAuditRow(row!));
  });

  it("builds the canonical text in one database function, which both ways into the chain call", async () => {
    // Earlier migrations hold superseded copies of the seal; what the database runs must have one.
    const { rows } = await database.sql.query<{ name: string; chains: boolean; canonical: boolean }>(
      `SELECT p.proname AS name, p.prosrc LIKE '%firebreak_chain_audit_rows(batch)%' AS chains,
              p.prosrc LIKE '%"prevHash":%' AS canonical
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proname LIKE 'firebreak\\_%'
        ORDER BY p.proname`,
    );
    expect(rows.filter((r) => r.canonical).map((r) => r.name)).toEqual(["firebreak_chain_audit_rows"]);
    expect(rows.filter((r) => r.chains).map((r) => r.name)).toEqual([
      "firebreak_append_audit_rows_unflushed",
      "firebreak_seal_audit_intake",
    ]);
  });

  it("chains a row a crashed writer left in the intake before the next checkpoint signs the head", async () => {
    const action = `test.intake.orphan.${randomUUID().slice(0, 8)}`;
    // Committed to the intake, then the process died before sealing it.
    await intakeAuditEvents(database.sql, [searchEvent(action, 1)]);
    expect(await pendingInIntake()).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action } })).toBe(0);

    const outcome = await signCheckpoint(database, "cli");
    expect(outcome.status).toBe("created");
    const [row] = await chainRows(`action = $1`, [action]);
    expect(row).toBeDefined();
    expect(await pendingInIntake()).toBe(0);
    expect(outcome.status === "created" && BigInt(outcome.checkpoint.seq) >= BigInt(row!.seq)).toBe(true);
  });

  it("leaves rows of a transaction still open for a later seal, and never chains a rolled-back one", async () => {
    const action = `test.intake.open.${randomUUID().slice(0, 8)}`;
    if (database.mode === "embedded") {
      // One connection: no transaction can be open beside the sealer. The rollback half still applies.
      await prisma
        .$transaction(async (tx) => {
          const { intakeAuditEventsInTx } = await import("~/audit/audit-log.server");
          await intakeAuditEventsInTx(tx, [searchEvent(action, 1)]);
          throw new Error("rolled back");
        })
        .catch(() => undefined);
      await sealAuditIntakeNow(database.sql);
      expect(await prisma.auditEvent.count({ where: { action } })).toBe(0);
      return;
    }
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const { intakeAuditEventsInTx } = await import("~/audit/audit-log.server");
    const open = prisma.$transaction(async (tx) => {
      await intakeAuditEventsInTx(tx, [searchEvent(action, 1)]);
      inserted();
      await released;
    });
    const rolledBack = prisma
      .$transaction(async (tx) => {
        await intakeAuditEventsInTx(tx, [searchEvent(`${action}.rolled-back`, 2)]);
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    await insertedYet;
    await rolledBack;
    await sealAuditIntakeNow(database.sql); // cannot see the open transaction's row: it stays in the intake
    expect(await prisma.auditEvent.count({ where: { action } })).toBe(0);
    release();
    await open;
    await sealAuditIntakeNow(database.sql);
    expect(await prisma.auditEvent.count({ where: { action } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: `${action}.rolled-back` } })).toBe(0);
    expect((await verifyAuditChain(database.sql)).ok).toBe(true);
  });
});

describe("audited reads sharing calls (one call in flight per process)", () => {
  // A runner over the real database whose calls wait until the test lets them through, so that the test decides which
  // rows travel together, and which records each call's batch size.
  function gatedRunner() {
    const gates: (() => void)[] = [];
    const batches: number[] = [];
    const sql: Pick<SqlRunner, "query"> = {
      query: async <T>(text: string, params?: unknown[]) => {
        batches.push((JSON.parse(String(params?.[0])) as unknown[]).length);
        await new Promise<void>((resolve) => gates.push(resolve));
        return database.sql.query<T>(text, params);
      },
    };
    const openNext = async () => {
      while (gates.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      gates.shift()!();
    };
    return { sql, batches, openNext };
  }

  const settled = (promise: Promise<unknown>) => {
    let state = "pending";
    promise.then(
      () => (state = "resolved"),
      () => (state = "rejected"),
    );
    return () => state;
  };

  it("sends a row at once when idle, batches the rows that arrive during a call, and resolves none before its call", async () => {
    const action = `test.shared.batch.${randomUUID().slice(0, 8)}`;
    const { sql, batches, openNext } = gatedRunner();
    const appender = createAuditAppender(sql);
    const first = appender.append([searchEvent(action, 0)]);
    const during = [1, 2, 3].map((i) => appender.append([searchEvent(action, i)]));
    const firstState = settled(first);
    const duringStates = during.map(settled);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Idle: the first row went alone; the three that arrived while it was in flight wait for it.
    expect(batches).toEqual([1]);
    expect(firstState()).toBe("pending");
    await openNext();
    await first;
    // Its call has returned: the row is committed and visible to every other connection, before the caller goes on.
    expect(await prisma.auditEvent.count({ where: { action } })).toBe(1);
    expect(duringStates.map((state) => state())).toEqual(["pending", "pending", "pending"]);
    // The next call carries all three rows, in one statement.
    await openNext();
    await Promise.all(during);
    expect(batches).toEqual([1, 3]);
    expect(await prisma.auditEvent.count({ where: { action } })).toBe(4);
    expect((await verifyAuditChain(database.sql)).ok).toBe(true);
  });

  it("fails every caller of a batch whose call fails, chains none of their rows, and goes on with the next", async () => {
    const action = `test.shared.failed.${randomUUID().slice(0, 8)}`;
    const { sql, batches, openNext } = gatedRunner();
    const appender = createAuditAppender(sql);
    const first = appender.append([searchEvent(action, 0)]);
    // Three callers in the next batch; one row the database refuses (an outcome the enum does not have).
    const good = [1, 2].map((i) => appender.append([searchEvent(`${action}.batched`, i)]));
    const bad = appender.append([{ ...searchEvent(`${action}.batched`, 3), outcome: "NOT_AN_OUTCOME" as "SUCCESS" }]);
    const outcomes = Promise.allSettled([...good, bad]);
    await openNext();
    await first;
    await openNext();
    expect((await outcomes).map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(await prisma.auditEvent.count({ where: { action: `${action}.batched` } })).toBe(0);
    // The appender is not stuck: the next caller's row goes in a call of its own and is chained.
    const after = appender.append([searchEvent(action, 4)]);
    await openNext();
    await after;
    expect(batches).toEqual([1, 3, 1]);
    expect(await prisma.auditEvent.count({ where: { action } })).toBe(2);
    expect((await verifyAuditChain(database.sql)).ok).toBe(true);
  });

  it("fails only its own caller when a row cannot be made JSON, without holding up the others", async () => {
    const action = `test.shared.cycle.${randomUUID().slice(0, 8)}`;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const appender = createAuditAppender(database.sql);
    const results = await Promise.allSettled([
      appender.append([searchEvent(action, 1)]),
      appender.append([{ ...searchEvent(action, 2), after: cyclic }]),
      appender.append([searchEvent(action, 3)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await prisma.auditEvent.count({ where: { action } })).toBe(2);
  });
});
