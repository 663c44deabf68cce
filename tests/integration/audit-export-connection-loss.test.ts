// An audit export streamed while the database restarts (a failover, pg_terminate_backend of every session): the batch
// read that lost its connection is read again, and the file is byte for byte the one an undisturbed export gives. The
// export is pinned to the chain head at its start and reads in keyset batches, so a batch read again is the same rows.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { EXPORT_BATCH_SIZE, streamAuditExport, type ExportRequest } from "~/audit/audit-export.server";
import { appendAuditEvents, type AuditEventInput } from "~/audit/audit-log.server";
import { readHeadSeq } from "~/audit/audit-search.server";
import { loadAuditSigningKey } from "~/audit/signing-key.server";
import { verifyJsonlExport } from "~/audit/verify-export";
import { database, prisma } from "~/db.server";
import type { SqlRunner } from "~/db/sql-runner.server";

const INCIDENT = randomUUID();
const ROWS = EXPORT_BATCH_SIZE + 200;
let throughSeq: bigint;

function event(i: number): AuditEventInput {
  return {
    actor: { kind: "system", id: "system:test" },
    origin: { ip: null, userAgent: null, requestId: null },
    action: "replay.seed",
    outcome: "SUCCESS",
    targetType: "incident",
    targetId: INCIDENT,
    incidentId: INCIDENT,
    reason: `row ${i}`,
    occurredAt: new Date(Date.UTC(2019, 6, 4, 1, 0, i)),
  };
}

function request(format: "csv" | "jsonl"): ExportRequest {
  return {
    format,
    filter: { incident: INCIDENT, incidentIds: [INCIDENT] },
    throughSeq,
    exportedBy: { actorId: "compliance-1", role: "COMPLIANCE" },
    exportedAt: new Date(Date.UTC(2026, 11, 6)),
  };
}

/** `inner`, except that the `nth` statement (1-based) fails once as a backend the server terminated. */
function losingStatement(inner: SqlRunner, nth: number): SqlRunner & { failed: () => boolean } {
  let count = 0;
  return {
    query: (text, params, options) => {
      count += 1;
      if (count === nth) {
        const error = Object.assign(new Error("terminating connection due to administrator command"), {
          code: "57P01",
        });
        return Promise.reject(error);
      }
      return inner.query(text, params, options);
    },
    exec: (text) => inner.exec(text),
    failed: () => count >= nth,
  };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

beforeAll(async () => {
  await prisma.$transaction((tx) =>
    appendAuditEvents(
      tx,
      Array.from({ length: ROWS }, (_, i) => event(i)),
    ),
  );
  throughSeq = (await readHeadSeq(database.sql))!;
});

describe("an audit export whose connection is lost mid-stream", () => {
  for (const format of ["csv", "jsonl"] as const) {
    it(`${format}: the lost batch is read again and the file is the undisturbed export's, byte for byte`, async () => {
      const undisturbed = await readAll(streamAuditExport(database.sql, request(format)));
      // The second batch's read (the first after EXPORT_BATCH_SIZE rows have gone out) loses its connection.
      const sql = losingStatement(database.sql, 2);
      const disturbed = await readAll(streamAuditExport(sql, request(format)));
      expect(sql.failed()).toBe(true);
      expect(disturbed.equals(undisturbed)).toBe(true);
      if (format === "jsonl") {
        const lines = disturbed.toString("utf8").trimEnd().split("\n");
        expect(lines).toHaveLength(ROWS + 1);
        const result = await verifyJsonlExport(lines, [loadAuditSigningKey().publicKey], {
          manifestLine: lines.at(-1),
        });
        expect(result.problems).toEqual([]);
      }
    });
  }

  it("jsonl: a manifest read that loses its connection is read again", async () => {
    const undisturbed = await readAll(streamAuditExport(database.sql, request("jsonl")));
    // Two batch reads (full, then the rest), then the manifest's two reads.
    const sql = losingStatement(database.sql, 3);
    const disturbed = await readAll(streamAuditExport(sql, request("jsonl")));
    expect(sql.failed()).toBe(true);
    expect(disturbed.equals(undisturbed)).toBe(true);
  });
});
