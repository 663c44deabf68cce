// Tampering with the audit trail the way a database superuser could (session_replication_role = replica switches the
// append-only triggers off), and the verifier naming the first bad row. Each tampering runs in a transaction that is
// rolled back afterwards, on a database of this file's own, so the scenarios do not disturb each other (or other files).
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents, type AuditEventInput } from "~/audit/audit-log.server";
import { canonicalAuditRow, GENESIS_HASH, hashAuditRow, toAuditJson, type ChainedAuditFields } from "~/audit/canonical";
import { CANONICAL_PARTS_COLUMNS, canonicalTextFromParts, type CanonicalParts } from "~/audit/canonical-row-text";
import { appendToCheckpointLog, readCheckpointLog } from "~/audit/checkpoint-log.server";
import { AuditIntegrityError, createAuditCheckpoint, listCheckpoints } from "~/audit/checkpoint.server";
import { signCheckpoint, trustedKeysOf } from "~/audit/signatures";
import { signingKeyFrom } from "~/audit/signing-key.server";
import { verifyAuditChain } from "~/audit/verify-chain.server";
import { verifyAuditTrail } from "~/audit/verify-trail.server";
import type { SqlRunner } from "~/db/sql-runner.server";
import { openFreshDatabase, type FreshDatabase } from "../support/fresh-database";

const key = signingKeyFrom(generateKeyPairSync("ed25519").privateKey, "test");
const attackerKey = signingKeyFrom(generateKeyPairSync("ed25519").privateKey, "attacker");
const trusted = trustedKeysOf([key.publicKey]);
const lead = { kind: "staff" as const, id: "5b0c3a52-0d53-4f0c-8b11-6f1f4d8f0001", role: "SECURITY_LEAD" as const };
const origin = { ip: "203.0.113.9", userAgent: "vitest", requestId: "req-integrity" };

let db: FreshDatabase;

function event(i: number): AuditEventInput {
  return {
    actor: lead,
    origin,
    action: i % 3 === 0 ? "ledger.reverse" : "accounts.freeze",
    outcome: "SUCCESS",
    targetType: "customer",
    targetId: `customer-${i}`,
    reason: `reason ${i}`,
    before: { status: "ACTIVE", balance: i * 100 },
    after: { status: "FROZEN", balance: 0 },
    occurredAt: new Date(Date.UTC(2019, 6, 4, 1, 0, i)),
  };
}

async function append(events: AuditEventInput[]) {
  await db.prisma.$transaction((tx) => appendAuditEvents(tx, events));
}

async function checkpoint(sql: SqlRunner = db.sql) {
  return db
    .sqlTransaction((tx) => createAuditCheckpoint(tx, { key, trusted, createdBy: "test", signedAt: new Date() }))
    .then(() => sql);
}

const ROLLBACK = new Error("rollback");

/** Runs `tamper` with the triggers off, then `check`, inside one transaction that is always rolled back. */
async function whileTampered<T>(tamper: (tx: SqlRunner) => Promise<unknown>, check: (tx: SqlRunner) => Promise<T>) {
  let result: T | undefined;
  try {
    await db.sqlTransaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = replica");
      await tamper(tx);
      await tx.query("SET LOCAL session_replication_role = origin");
      result = await check(tx);
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return result as T;
}

const verify = (sql: SqlRunner) => verifyAuditTrail(sql, { trusted });

interface StoredRow extends ChainedAuditFields {
  hash: string;
}

async function readRows(sql: SqlRunner): Promise<StoredRow[]> {
  const { rows } = await sql.query<StoredRow>(
    `SELECT seq::text AS seq, occurred_at AS "occurredAt", actor_id AS "actorId", actor_role AS "actorRole", action,
            target_type AS "targetType", target_id AS "targetId", incident_id AS "incidentId", outcome::text AS outcome,
            reason, before, after, ip, user_agent AS "userAgent", request_id AS "requestId", prev_hash AS "prevHash", hash
       FROM audit_event ORDER BY audit_event.seq`,
  );
  return rows;
}

async function insertRow(sql: SqlRunner, row: StoredRow) {
  await sql.query(
    `INSERT INTO audit_event (seq, occurred_at, actor_id, actor_role, action, target_type, target_id, incident_id,
       outcome, reason, before, after, ip, user_agent, request_id, prev_hash, hash)
     VALUES ($1::bigint, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9::"AuditOutcome", $10, $11::jsonb, $12::jsonb, $13,
       $14, $15, $16, $17)`,
    [
      String(row.seq),
      new Date(row.occurredAt).toISOString(),
      row.actorId,
      row.actorRole,
      row.action,
      row.targetType,
      row.targetId,
      row.incidentId,
      row.outcome,
      row.reason,
      row.before === null ? null : JSON.stringify(row.before),
      row.after === null ? null : JSON.stringify(row.after),
      row.ip,
      row.userAgent,
      row.requestId,
      row.prevHash,
      row.hash,
    ],
  );
}

beforeAll(async () => {
  db = await openFreshDatabase();
  // Rows 1–10, a checkpoint at 10; rows 11–30, a checkpoint at 30.
  await append(Array.from({ length: 10 }, (_, i) => event(i + 1)));
  await checkpoint();
  await append(Array.from({ length: 20 }, (_, i) => event(i + 11)));
  await checkpoint();
});

afterAll(async () => {
  await db?.dispose();
});

describe("an untouched audit trail", () => {
  it("verifies: every row and both checkpoints", async () => {
    const result = await verify(db.sql);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({
      ok: true,
      firstBad: null,
      chain: { ok: true, rowsChecked: 30, headSeq: "30" },
      checkpoints: { total: 2, valid: 2, latestGood: { seq: "30" }, rowsAfterLatestGood: 0 },
    });
  });

  it("does not sign the same head twice", async () => {
    const outcome = await db.sqlTransaction((tx) =>
      createAuditCheckpoint(tx, { key, trusted, createdBy: "test", signedAt: new Date() }),
    );
    expect(outcome.status).toBe("unchanged");
    expect(await listCheckpoints(db.sql)).toHaveLength(2);
  });
});

describe("tampering with rows is detected at the first bad row", () => {
  it("a row edited in place", async () => {
    const result = await whileTampered(
      (tx) => tx.query("UPDATE audit_event SET reason = 'nothing to see here' WHERE seq = 7"),
      verify,
    );
    expect(result.ok).toBe(false);
    expect(result.firstBad).toMatchObject({ seq: "7", problem: "CONTENT_MODIFIED" });
  });

  it("a row edited and re-hashed (its successor no longer links to it)", async () => {
    const result = await whileTampered(async (tx) => {
      const [row] = (await readRows(tx)).filter((r) => r.seq === "7");
      const forged = { ...row!, reason: "nothing to see here" };
      await tx.query("UPDATE audit_event SET reason = $1, hash = $2 WHERE seq = 7", [
        forged.reason,
        hashAuditRow(forged),
      ]);
    }, verify);
    expect(result.firstBad).toMatchObject({ seq: "8", problem: "BROKEN_LINK" });
    expect(result.firstBad?.detail).toContain("row 7");
  });

  it("a deleted row", async () => {
    const result = await whileTampered((tx) => tx.query("DELETE FROM audit_event WHERE seq = 12"), verify);
    expect(result.firstBad).toMatchObject({ seq: "12", problem: "SEQUENCE_GAP" });
  });

  it("an inserted row (the rows after it renumbered, the forgery correctly linked to its predecessor)", async () => {
    const result = await whileTampered(async (tx) => {
      const rows = await readRows(tx);
      await tx.query("UPDATE audit_event SET seq = seq + 1000000 WHERE seq >= 15");
      await tx.query("UPDATE audit_event SET seq = seq - 999999 WHERE seq >= 1000000");
      const forged: StoredRow = {
        ...rows[14]!,
        seq: "15",
        reason: "a forged event",
        prevHash: rows[13]!.hash,
        hash: "",
      };
      forged.hash = hashAuditRow(forged);
      await insertRow(tx, forged);
    }, verify);
    expect(result.firstBad).toMatchObject({ seq: "16", problem: "BROKEN_LINK" });
  });

  it("two rows swapped", async () => {
    const result = await whileTampered(async (tx) => {
      await tx.query("UPDATE audit_event SET seq = -20 WHERE seq = 20");
      await tx.query("UPDATE audit_event SET seq = 20 WHERE seq = 21");
      await tx.query("UPDATE audit_event SET seq = 21 WHERE seq = -20");
    }, verify);
    expect(result.firstBad).toMatchObject({ seq: "20", problem: "BROKEN_LINK" });
  });

  it("the newest rows deleted: the chain still links, the checkpoint at 30 does not", async () => {
    const result = await whileTampered((tx) => tx.query("DELETE FROM audit_event WHERE seq > 25"), verify);
    expect(result.chain.ok).toBe(true);
    expect(result.firstBad).toMatchObject({ seq: "26", problem: "CHECKPOINT_BEYOND_HEAD" });
  });
});

describe("signed checkpoints", () => {
  /** Every row rewritten from the genesis and re-hashed consistently: the chain alone cannot tell. */
  async function rewriteFromStart(tx: SqlRunner) {
    const rows = await readRows(tx);
    await tx.query("DELETE FROM audit_event");
    let prevHash = GENESIS_HASH;
    for (const row of rows) {
      const forged: StoredRow = {
        ...row,
        reason: row.seq === "3" ? "never happened" : row.reason,
        before: toAuditJson(row.before),
        after: toAuditJson(row.after),
        prevHash,
        hash: "",
      };
      forged.hash = hashAuditRow(forged);
      prevHash = forged.hash;
      await insertRow(tx, forged);
    }
  }

  it("detect a chain rewritten from the start, which the chain alone accepts", async () => {
    const result = await whileTampered(rewriteFromStart, verify);
    expect(result.chain.ok).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.firstBad).toMatchObject({ seq: "1", problem: "CHECKPOINT_MISMATCH", checkpointId: "1" });
    expect(result.problems.map((p) => p.problem)).toEqual(["CHECKPOINT_MISMATCH", "CHECKPOINT_MISMATCH"]);
  });

  it("cannot be moved to the rewritten chain without the key: the signature no longer verifies", async () => {
    const result = await whileTampered(async (tx) => {
      await rewriteFromStart(tx);
      await tx.query("UPDATE audit_checkpoint c SET head_hash = e.hash FROM audit_event e WHERE e.seq = c.seq");
    }, verify);
    expect(result.chain.ok).toBe(true);
    expect(result.firstBad).toMatchObject({ seq: "10", problem: "CHECKPOINT_SIGNATURE_INVALID" });
  });

  it("deleted along with a rewritten chain: the chain alone looks fine, the external checkpoint log does not", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "firebreak-audit-")), "checkpoints.jsonl");
    process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG = file;
    try {
      for (const cp of (await listCheckpoints(db.sql)).reverse()) await appendToCheckpointLog(cp);
    } finally {
      delete process.env.FIREBREAK_AUDIT_CHECKPOINT_LOG;
    }
    const logged = await readCheckpointLog(file);
    expect(logged.map((cp) => cp.seq)).toEqual(["10", "30"]);
    const [withoutLog, withLog] = await whileTampered(
      async (tx) => {
        await rewriteFromStart(tx);
        await tx.query("DELETE FROM audit_checkpoint");
      },
      async (tx) => [await verify(tx), await verifyAuditTrail(tx, { trusted, externalCheckpoints: logged })],
    );
    expect(withoutLog.ok).toBe(true);
    expect(withoutLog.warnings.join(" ")).toContain("no signed checkpoints");
    expect(withLog.ok).toBe(false);
    expect(withLog.problems.map((p) => `${p.problem}@${p.seq}`)).toEqual([
      "CHECKPOINT_MISMATCH@1",
      "CHECKPOINT_MISMATCH@1",
      "CHECKPOINT_MISSING@10",
      "CHECKPOINT_MISSING@30",
    ]);
    expect(withLog.firstBad).toMatchObject({ seq: "1", problem: "CHECKPOINT_MISMATCH" });
  });

  it("a checkpoint whose signature does not verify", async () => {
    const result = await whileTampered(async (tx) => {
      const [first, second] = (await listCheckpoints(tx)).reverse();
      // A real signature, but of another statement.
      await tx.query("UPDATE audit_checkpoint SET signature = $1 WHERE id = $2::bigint", [
        second!.signature,
        first!.id,
      ]);
    }, verify);
    expect(result.firstBad).toMatchObject({ seq: "10", problem: "CHECKPOINT_SIGNATURE_INVALID", checkpointId: "1" });
    expect(result.checkpoints.valid).toBe(1);
  });

  it("a checkpoint signed with a key nobody trusts (a forger's own key)", async () => {
    const result = await whileTampered(async (tx) => {
      const [row] = (await readRows(tx)).filter((r) => r.seq === "20");
      const statement = {
        seq: "20",
        headHash: row!.hash,
        signedAt: new Date().toISOString(),
        publicKeyFingerprint: attackerKey.fingerprint,
      };
      await tx.query(
        `INSERT INTO audit_checkpoint (seq, head_hash, signed_at, key_id, public_key_fingerprint, signature, created_by)
         VALUES (20, $1, $2::timestamptz, $3, $4, $5, 'forger')`,
        [
          row!.hash,
          statement.signedAt,
          attackerKey.keyId,
          attackerKey.fingerprint,
          signCheckpoint(statement, attackerKey.privateKey),
        ],
      );
    }, verify);
    expect(result.firstBad).toMatchObject({ seq: "20", problem: "CHECKPOINT_UNTRUSTED_KEY" });
  });

  it("a retired key listed as trusted still vouches for its checkpoints", async () => {
    const result = await verifyAuditTrail(db.sql, { trusted: trustedKeysOf([attackerKey.publicKey, key.publicKey]) });
    expect(result.ok).toBe(true);
    const withoutIt = await verifyAuditTrail(db.sql, { trusted: trustedKeysOf([attackerKey.publicKey]) });
    expect(withoutIt.problems.map((p) => p.problem)).toEqual(["CHECKPOINT_UNTRUSTED_KEY", "CHECKPOINT_UNTRUSTED_KEY"]);
  });

  it("are not made over a broken chain", async () => {
    const error = await whileTampered(
      async (tx) => {
        await tx.query("UPDATE audit_event SET reason = 'edited' WHERE seq = 3");
        // Without checkpoints the next one verifies the whole chain from the genesis.
        await tx.query("DELETE FROM audit_checkpoint");
      },
      (tx) => createAuditCheckpoint(tx, { key, trusted, createdBy: "test", signedAt: new Date() }).catch((e) => e),
    );
    expect(error).toBeInstanceOf(AuditIntegrityError);
    expect((error as Error).message).toContain("row 3");
  });

  it("are not made when the latest checkpoint no longer matches the chain", async () => {
    const error = await whileTampered(rewriteFromStart, (tx) =>
      createAuditCheckpoint(tx, { key, trusted, createdBy: "test", signedAt: new Date() }).catch((e) => e),
    );
    expect(error).toBeInstanceOf(AuditIntegrityError);
    expect((error as Error).message).toContain("rewritten");
  });

  it("report a warning, not a failure, for rows not yet covered", async () => {
    await append([event(31)]);
    const result = await verify(db.sql);
    expect(result.ok).toBe(true);
    expect(result.checkpoints.rowsAfterLatestGood).toBe(1);
    expect(result.warnings.join(" ")).toContain("not yet covered");
    await checkpoint();
  });
});

describe("the fast canonical form", () => {
  it("is byte for byte canonical.ts's form on awkward rows, read back from the database", async () => {
    const awkward = [
      'quotes " and \\ backslashes',
      "control \u0001 \u001f \t tab \n newline \r return",
      "絵文字 🚨 and kanji 不正利用, U+2028 \u2028 U+2029 \u2029",
      "",
      "=1+1",
      "a NUL \u0000 byte, which PostgreSQL cannot store: kept as U+FFFD",
    ];
    await append(
      awkward.map((text, i) => ({
        actor: { kind: "system" as const, id: `system:${text}` },
        origin: { ip: null, userAgent: text, requestId: null },
        action: "test.awkward",
        outcome: "FAILED" as const,
        targetType: text || null,
        targetId: null,
        incidentId: text,
        reason: text,
        before: i === 0 ? null : { [text]: text, nested: { z: [1, 2.5, -0, 1e21, true, null], a: "x" }, ü: i },
        after: i === 1 ? [text, { b: 1, a: 2 }] : text,
        occurredAt: new Date(Date.UTC(2019, 6, 4, 1, 2, 3, 7 + i)),
      })),
    );
    const exact = (await readRows(db.sql)).filter((r) => r.action === "test.awkward");
    const { rows: parts } = await db.sql.query<CanonicalParts>(
      `SELECT ${CANONICAL_PARTS_COLUMNS} FROM audit_event WHERE action = 'test.awkward' ORDER BY audit_event.seq`,
    );
    expect(parts).toHaveLength(awkward.length);
    parts.forEach((row, i) => expect(canonicalTextFromParts(row)).toBe(canonicalAuditRow(exact[i]!)));
    const { sql, rowByRowQueries } = recordingQueries(db.sql);
    expect((await verifyAuditChain(sql)).ok).toBe(true);
    expect(rowByRowQueries()).toBe(0); // and the database re-hashed the awkward rows to the same bytes
  });
});

/** Wraps a runner to count the row-by-row tier's reads: zero means the database vouched for every range. */
function recordingQueries(inner: SqlRunner) {
  let rowByRow = 0;
  const sql: SqlRunner = {
    query: (text, params) => {
      if (text.includes(CANONICAL_PARTS_COLUMNS)) rowByRow += 1;
      return inner.query(text, params);
    },
    exec: (text) => inner.exec(text),
  };
  return { sql, rowByRowQueries: () => rowByRow };
}

describe("the database's own pass over the chain (ADR 015)", () => {
  const inRanges = (sql: SqlRunner) => verifyAuditChain(sql, { rangeSize: 4, concurrency: 3 });
  const inRangesRecorded = async (sql: SqlRunner) => {
    const recorded = recordingQueries(sql);
    return { result: await inRanges(recorded.sql), rowByRow: recorded.rowByRowQueries() };
  };

  it("vouches for an untouched chain range by range, stitching the ranges and collecting checkpoint hashes", async () => {
    const { sql, rowByRowQueries } = recordingQueries(db.sql);
    const stored = await readRows(db.sql);
    const result = await verifyAuditChain(sql, { rangeSize: 7, concurrency: 3, capture: new Set(["10", "30"]) });
    expect(result).toMatchObject({ ok: true, rowsChecked: stored.length, headHash: stored.at(-1)!.hash });
    expect(result.captured).toEqual(
      new Map([
        ["10", stored[9]!.hash],
        ["30", stored[29]!.hash],
      ]),
    );
    expect(rowByRowQueries()).toBe(0);
  });

  it("catches the jsonb edited while the hashed text beside it was left alone", async () => {
    const result = await whileTampered(
      (tx) => tx.query(`UPDATE audit_event SET before = '{"status":"ACTIVE","balance":1}' WHERE seq = 9`),
      inRanges,
    );
    expect(result).toMatchObject({ ok: false, rowsChecked: 8, firstBad: { seq: "9", problem: "CONTENT_MODIFIED" } });
  });

  it("catches a row edited in a later range, after accepting the ranges before it", async () => {
    const { result, rowByRow } = await whileTampered(
      (tx) => tx.query("UPDATE audit_event SET actor_role = 'ADMIN' WHERE seq = 14"),
      inRangesRecorded,
    );
    expect(result.firstBad).toMatchObject({ seq: "14", problem: "CONTENT_MODIFIED" });
    expect(rowByRow).toBe(1); // only the range holding row 14 was read into Node
  });

  it("takes the jsonb as the truth when only the stored text was changed (the text is a cache of it)", async () => {
    const result = await whileTampered(
      (tx) => tx.query(`UPDATE audit_event SET before_text = '{"balance":1}' WHERE seq = 5`),
      inRanges,
    );
    expect(result).toMatchObject({ ok: true, rowsChecked: (await readRows(db.sql)).length });
  });

  it("still verifies rows written before the hashed text was stored, row by row", async () => {
    const { result, rowByRow } = await whileTampered(
      (tx) => tx.query("UPDATE audit_event SET before_text = NULL, after_text = NULL WHERE seq <= 6"),
      inRangesRecorded,
    );
    expect(result).toMatchObject({ ok: true, rowsChecked: (await readRows(db.sql)).length });
    expect(rowByRow).toBe(2); // ranges 1–4 and 5–8
  });
});
