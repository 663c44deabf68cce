// Audit exports: content, manifest, CSV-injection neutralisation, and the offline verifier an auditor runs on them.
// Filtered exports run against the app's database, scoped to this run's incident id; the whole-chain export runs on a
// database of its own, so it knows exactly which rows exist.
import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditEvents, type AuditEventInput } from "~/audit/audit-log.server";
import { hashAuditRow } from "~/audit/canonical";
import { buildCsvManifest, streamAuditExport, type ExportRequest } from "~/audit/audit-export.server";
import { readHeadSeq } from "~/audit/audit-search.server";
import { createAuditCheckpoint } from "~/audit/checkpoint.server";
import { csvRecordToFields, CSV_COLUMNS, parseCsv, type ExportManifest } from "~/audit/export-format";
import { trustedKeysOf } from "~/audit/signatures";
import { loadAuditSigningKey } from "~/audit/signing-key.server";
import { verifyCsvExport, verifyJsonlExport } from "~/audit/verify-export";
import { database, prisma } from "~/db.server";
import type { SqlRunner } from "~/db/sql-runner.server";
import { CSV_FORMULAS } from "../support/csv-formulas";
import { openFreshDatabase, type FreshDatabase } from "../support/fresh-database";

const RUN = randomUUID();
const origin = { ip: "198.51.100.20", userAgent: "vitest", requestId: "req-export" };
const lead = { kind: "staff" as const, id: randomUUID(), role: "SECURITY_LEAD" as const };
// A leading apostrophe is escaped too, so that the escape reads back (export-format.ts).
const INJECTIONS = [...CSV_FORMULAS, "'quoted"];

const key = loadAuditSigningKey(); // the in-memory test key the server code signs with
const keys = [key.publicKey];

function events(incidentId: string): AuditEventInput[] {
  return [
    ...INJECTIONS.map((reason, i) => ({
      actor: lead,
      origin,
      action: "ledger.reverse",
      outcome: "SUCCESS" as const,
      targetType: "ledger_transaction",
      targetId: `tx-${i}`,
      incidentId,
      reason,
      before: { remaining: 1000 * (i + 1), note: "=cmd|' /C calc'!A0" },
      after: { remaining: 0 },
      occurredAt: new Date(Date.UTC(2019, 6, 4, 1, i)),
    })),
    {
      actor: { kind: "anonymous" },
      origin,
      action: "staff.sign-in",
      outcome: "FAILED",
      targetType: null,
      incidentId,
      reason: "",
      occurredAt: new Date(Date.UTC(2019, 6, 4, 2)),
    },
  ];
}

function exportRequest(format: "csv" | "jsonl", throughSeq: bigint | null, incident = RUN): ExportRequest {
  return {
    format,
    filter: { incident, incidentIds: [incident] },
    throughSeq,
    exportedBy: { actorId: "compliance-1", role: "COMPLIANCE" },
    exportedAt: new Date(),
  };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

let throughSeq: bigint;

beforeAll(async () => {
  await prisma.$transaction((tx) => appendAuditEvents(tx, events(RUN)));
  throughSeq = (await readHeadSeq(database.sql))!;
});

describe("JSON Lines export", () => {
  it("has one line per matching row, oldest first, then a signed manifest", async () => {
    const body = await readAll(streamAuditExport(database.sql, exportRequest("jsonl", throughSeq)));
    const lines = body.toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(INJECTIONS.length + 2);
    const rows = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.record)).toEqual(rows.map(() => "event"));
    expect(rows.map((r) => r.targetId)).toEqual([...INJECTIONS.map((_, i) => `tx-${i}`), null]);
    expect(rows[0]).toMatchObject({ reason: INJECTIONS[0], before: { remaining: 1000 }, incidentId: RUN });
    expect(rows.at(-1)).toMatchObject({ actorId: null, actorRole: null, reason: "" });

    const manifest = JSON.parse(lines.at(-1)!) as ExportManifest & { record: string; signature: string };
    const contentBytes = body.subarray(0, body.length - Buffer.byteLength(`${lines.at(-1)}\n`));
    expect(manifest).toMatchObject({
      record: "manifest",
      format: "firebreak-audit-export/v1",
      contentFormat: "jsonl",
      rowCount: rows.length,
      firstSeq: rows[0]!.seq,
      lastSeq: rows.at(-1)!.seq,
      throughSeq: throughSeq.toString(),
      filter: { incident: RUN },
      exportedBy: { actorId: "compliance-1", role: "COMPLIANCE" },
      publicKeyFingerprint: key.fingerprint,
      contentSha256: createHash("sha256").update(contentBytes).digest("hex"),
    });
    const { rows: head } = await database.sql.query<{ hash: string }>(
      "SELECT hash FROM audit_event WHERE seq = $1::bigint",
      [throughSeq.toString()],
    );
    expect(manifest.chainHeadHash).toBe(head[0]!.hash);
    // Every exported row still hashes to its stored hash with the canonical form.
    for (const row of rows) expect(hashAuditRow(row as never)).toBe(row.hash);
  });

  it("verifies offline with the public key, and catches an edited row or manifest", async () => {
    const text = (await readAll(streamAuditExport(database.sql, exportRequest("jsonl", throughSeq)))).toString("utf8");
    const lines = text.trimEnd().split("\n");
    const good = await verifyJsonlExport(lines, keys, { manifestLine: lines.at(-1) });
    expect(good.problems).toEqual([]);
    expect(good).toMatchObject({ ok: true, rowCount: INJECTIONS.length + 1 });

    const edited = lines.map((l, i) => (i === 2 ? l.replace('"reason":"-2+3"', '"reason":"-2+4"') : l));
    const caught = await verifyJsonlExport(edited, keys);
    expect(caught.ok).toBe(false);
    expect(caught.problems.join("\n")).toMatch(/does not match its hash[\s\S]*SHA-256 differs/);

    const manifest = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    const forged = [...lines.slice(0, -1), JSON.stringify({ ...manifest, rowCount: 1 })];
    expect((await verifyJsonlExport(forged, keys)).problems).toContain(
      "the manifest's signature does not verify: the manifest was altered",
    );

    const stranger = generateKeyPairSync("ed25519").publicKey;
    expect((await verifyJsonlExport(lines, [stranger])).problems[0]).toContain("not among the public keys given");
    expect((await verifyJsonlExport(lines.slice(0, -1), keys)).problems[0]).toContain("no manifest line");
  });

  it("leaves out rows written after throughSeq, so the export is reproducible", async () => {
    await prisma.$transaction((tx) => appendAuditEvents(tx, events(RUN).slice(0, 1)));
    const again = await readAll(streamAuditExport(database.sql, exportRequest("jsonl", throughSeq)));
    const lines = again.toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(INJECTIONS.length + 2);
  });
});

describe("CSV export", () => {
  it("neutralises spreadsheet formulas (= + - @ in either width, tab, CR, LF) and keeps NULL apart from empty text", async () => {
    const csv = (await readAll(streamAuditExport(database.sql, exportRequest("csv", throughSeq)))).toString("utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const records = parseCsv(csv);
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    const reasons = records.slice(1).map((r) => r[CSV_COLUMNS.indexOf("reason")]);
    expect(reasons).toEqual([...INJECTIONS.map((text) => `'${text}`), ""]);
    // No cell of the file starts with a formula trigger once the quotes are read.
    for (const record of records.slice(1)) {
      for (const cell of record) if (cell !== null) expect(cell).not.toMatch(/^([\t\r\n]|[\s\u3000]*[=+\-@＝＋－＠])/);
    }
    const anonymous = records.at(-1)!;
    expect(anonymous[CSV_COLUMNS.indexOf("actor_id")]).toBeNull(); // NULL: an unquoted empty cell
    expect(csv).toContain('"2019-07-04 10:00:00.000"'); // Japan time next to UTC for people
    // Every row converts back to the hashed fields.
    for (const record of records.slice(1)) {
      const fields = csvRecordToFields(record);
      expect(hashAuditRow(fields)).toBe(fields.hash);
    }
  });

  it("has a separate signed manifest over the file's exact bytes, and verifies offline", async () => {
    const bytes = await readAll(streamAuditExport(database.sql, exportRequest("csv", throughSeq)));
    const signed = await buildCsvManifest(database.sql, exportRequest("csv", throughSeq));
    expect(signed.manifest).toMatchObject({
      contentFormat: "csv",
      rowCount: INJECTIONS.length + 1,
      contentSha256: createHash("sha256").update(bytes).digest("hex"),
    });
    const manifestText = JSON.stringify({ ...signed.manifest, signature: signed.signature });
    const result = await verifyCsvExport([bytes.subarray(0, 100), bytes.subarray(100)], manifestText, keys);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);

    const tampered = Buffer.from(bytes.toString("utf8").replace("'+1+1", "'+1+2"), "utf8");
    const caught = await verifyCsvExport([tampered], manifestText, keys);
    expect(caught.ok).toBe(false);
    expect(caught.problems.join("\n")).toContain("does not match its hash");
  });

  it("an empty result is a header and a manifest with no rows", async () => {
    const request = exportRequest("csv", throughSeq, `nothing-${RUN}`);
    const csv = (await readAll(streamAuditExport(database.sql, request))).toString("utf8");
    expect(parseCsv(csv)).toHaveLength(1);
    const signed = await buildCsvManifest(database.sql, request);
    expect(signed.manifest).toMatchObject({ rowCount: 0, firstSeq: null, lastSeq: null });
  });
});

describe("a whole-chain export", () => {
  let fresh: FreshDatabase;

  beforeAll(async () => {
    fresh = await openFreshDatabase();
    await fresh.prisma.$transaction((tx) => appendAuditEvents(tx, events("whole")));
    await fresh.sqlTransaction((tx: SqlRunner) =>
      createAuditCheckpoint(tx, { key, trusted: trustedKeysOf(keys), createdBy: "test", signedAt: new Date() }),
    );
    await fresh.prisma.$transaction((tx) => appendAuditEvents(tx, events("whole").slice(0, 2)));
  });

  afterAll(async () => {
    await fresh?.dispose();
  });

  it("re-verifies the whole chain offline, against the signed checkpoint inside its manifest", async () => {
    const head = (await readHeadSeq(fresh.sql))!;
    const request: ExportRequest = { ...exportRequest("jsonl", head), filter: {} };
    const lines = (await readAll(streamAuditExport(fresh.sql, request))).toString("utf8").trimEnd().split("\n");
    const result = await verifyJsonlExport(lines, keys, { manifestLine: lines.at(-1) });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, completeChain: true, linksChecked: Number(head) - 1 });
    expect(result.notes.join("\n")).toContain(`row ${INJECTIONS.length + 1} matches checkpoint #1`);

    // A chain rewritten before the export: rows re-hashed consistently, but the signed checkpoint disagrees.
    const rewritten = rewriteChain(lines);
    const caught = await verifyJsonlExport(rewritten, keys, { manifestLine: lines.at(-1) });
    expect(caught.problems.join("\n")).toContain("differs from the signed checkpoint");
  });
});

/** Re-hashes every event line from the genesis after changing the first row's reason (keeps the manifest line). */
function rewriteChain(lines: string[]): string[] {
  let prevHash = "0".repeat(64);
  const events = lines.slice(0, -1).map((line, i) => {
    const row = JSON.parse(line) as Record<string, unknown>;
    const changed = { ...row, reason: i === 0 ? "rewritten" : row.reason, prevHash };
    const hash = hashAuditRow(changed as never);
    prevHash = hash;
    return JSON.stringify({ ...changed, hash });
  });
  return [...events, lines.at(-1)!];
}
