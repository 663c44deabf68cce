// Streams the filtered audit trail as CSV or JSON Lines with constant memory: rows are read in keyset batches (by seq,
// ascending) only when the consumer pulls, so at most one batch is in memory however large the export. The export is
// pinned to the chain head at its start (`throughSeq`): the same filter and throughSeq always produce the same bytes,
// which is what lets the CSV manifest be a separate download. See docs/decisions/009-audit-checkpoints.md.
import { createHash } from "node:crypto";
import type { SqlRunner } from "~/db/migrations.server";
import { readingAgainAfterLoss } from "~/db/read-again.server";
import type { AuditFilter } from "~/audit/audit-filter";
import { filterConditions, type ResolvedFilter } from "~/audit/audit-search.server";
import { canonicalParsedJson } from "~/audit/canonical-row-text";
import {
  csvHeaderLine,
  csvRowLine,
  EXPORT_FORMAT_VERSION,
  jsonlEventLine,
  jsonlManifestLine,
  type ExportManifest,
  type ExportRow,
  type ManifestCheckpoint,
  type SignedManifest,
} from "~/audit/export-format";
import { signManifest } from "~/audit/signatures";
import { tryLoadAuditSigningKey } from "~/audit/signing-key.server";

export type ExportFormat = "csv" | "jsonl";

export interface ExportRequest {
  format: ExportFormat;
  filter: ResolvedFilter;
  /** Rows after this sequence number are left out (the head when the export was requested); null: empty log. */
  throughSeq: bigint | null;
  exportedBy: { actorId: string | null; role: string | null };
  exportedAt: Date;
}

// Measured (scripts/bench/audit.ts): with 2,000-row batches part of each batch outlived a young-generation collection
// and the heap crept up (CSV peaked ~90 MB above start); with 1,000 the growth stays flat at ~30 MB, at the same speed.
export const EXPORT_BATCH_SIZE = 1_000;
const CHUNK_CHARACTERS = 64 * 1024;

const EXPORT_COLUMNS = `seq::text AS seq,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt",
  actor_id AS "actorId", actor_role AS "actorRole", action, target_type AS "targetType", target_id AS "targetId",
  incident_id AS "incidentId", outcome::text AS outcome, reason, before::text AS before, after::text AS after, ip,
  user_agent AS "userAgent", request_id AS "requestId", prev_hash AS "prevHash", hash`;

/** The manifest's copy of the filter: what was entered, with the UTC bounds actually applied. */
export function describeFilter(filter: AuditFilter): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filter).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

interface ExportStats {
  rowCount: number;
  firstSeq: string | null;
  lastSeq: string | null;
}

/** Yields the file body in chunks (one per batch) and fills in `stats` as it goes. */
async function* exportBody(sql: SqlRunner, request: ExportRequest, stats: ExportStats): AsyncGenerator<string> {
  if (request.format === "csv") yield csvHeaderLine();
  if (request.throughSeq === null) return;
  const line = request.format === "csv" ? csvRowLine : jsonlEventLine;
  let cursor = "0";
  for (;;) {
    const params: unknown[] = [];
    const conditions = filterConditions(request.filter, params);
    conditions.push(`seq > $${params.push(cursor)}::bigint`);
    conditions.push(`seq <= $${params.push(request.throughSeq.toString())}::bigint`);
    const { rows } = await sql.query<ExportRow>(
      `SELECT ${EXPORT_COLUMNS} FROM audit_event WHERE ${conditions.join(" AND ")}
        ORDER BY audit_event.seq LIMIT ${EXPORT_BATCH_SIZE}`,
      params,
    );
    if (rows.length === 0) return;
    // Small chunks: the consumer's buffer and the garbage per chunk stay small whatever the batch size.
    let chunk = "";
    for (const [i, row] of rows.entries()) {
      // jsonb's text form is not the canonical one (spaces, key order): export the bytes that were hashed.
      row.before = row.before === null ? null : canonicalParsedJson(JSON.parse(row.before));
      row.after = row.after === null ? null : canonicalParsedJson(JSON.parse(row.after));
      chunk += line(row);
      stats.rowCount += 1;
      stats.firstSeq ??= row.seq;
      stats.lastSeq = row.seq;
      if (chunk.length >= CHUNK_CHARACTERS || i === rows.length - 1) {
        yield chunk;
        chunk = "";
      }
    }
    cursor = stats.lastSeq!;
    if (rows.length < EXPORT_BATCH_SIZE) return;
  }
}

async function readCheckpointAtOrBefore(sql: SqlRunner, seq: bigint | null): Promise<ManifestCheckpoint | null> {
  if (seq === null) return null;
  const { rows } = await sql.query<ManifestCheckpoint>(
    `SELECT id::text AS id, seq::text AS seq, head_hash AS "headHash",
            to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "signedAt",
            public_key_fingerprint AS "publicKeyFingerprint", signature
       FROM audit_checkpoint WHERE seq <= $1::bigint ORDER BY seq DESC, id DESC LIMIT 1`,
    [seq.toString()],
  );
  return rows[0] ?? null;
}

async function readHashAt(sql: SqlRunner, seq: bigint | null): Promise<string | null> {
  if (seq === null) return null;
  const { rows } = await sql.query<{ hash: string }>("SELECT hash FROM audit_event WHERE seq = $1::bigint", [
    seq.toString(),
  ]);
  return rows[0]?.hash ?? null;
}

async function signedManifestFor(
  sql: SqlRunner,
  request: ExportRequest,
  stats: ExportStats,
  contentSha256: string,
): Promise<SignedManifest> {
  const [checkpoint, chainHeadHash] = await Promise.all([
    readCheckpointAtOrBefore(sql, request.throughSeq),
    readHashAt(sql, request.throughSeq),
  ]);
  const { key } = tryLoadAuditSigningKey();
  const manifest: ExportManifest = {
    format: EXPORT_FORMAT_VERSION,
    contentFormat: request.format,
    exportedAt: request.exportedAt.toISOString(),
    exportedBy: request.exportedBy,
    filter: describeFilter(request.filter),
    throughSeq: request.throughSeq?.toString() ?? null,
    chainHeadHash,
    rowCount: stats.rowCount,
    firstSeq: stats.firstSeq,
    lastSeq: stats.lastSeq,
    contentSha256,
    checkpoint,
    publicKeyFingerprint: key?.fingerprint ?? null,
  };
  const signature = key ? signManifest(manifest as unknown as Record<string, unknown>, key.privateKey) : null;
  return { manifest, signature };
}

/**
 * The export as a byte stream. JSON Lines ends with its manifest line; CSV has no manifest inside (see
 * buildCsvManifest). Pull-based: nothing is read from the database until the consumer asks for the next chunk.
 */
export function streamAuditExport(database: SqlRunner, request: ExportRequest): ReadableStream<Uint8Array> {
  // A restart mid-export costs a batch read again, not the download (docs/decisions/080-read-bounds.md).
  const sql = readingAgainAfterLoss(database);
  const encoder = new TextEncoder();
  const digest = createHash("sha256");
  const stats: ExportStats = { rowCount: 0, firstSeq: null, lastSeq: null };
  const body = exportBody(sql, request, stats);
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (finished) return;
        try {
          const next = await body.next();
          if (!next.done) {
            const bytes = encoder.encode(next.value);
            digest.update(bytes);
            controller.enqueue(bytes);
            return;
          }
          finished = true;
          if (request.format === "jsonl") {
            const signed = await signedManifestFor(sql, request, stats, digest.digest("hex"));
            controller.enqueue(encoder.encode(jsonlManifestLine(signed)));
          }
          controller.close();
        } catch (error) {
          finished = true;
          controller.error(error);
        }
      },
      async cancel() {
        finished = true;
        await body.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

/** The CSV's manifest: the same rows serialised the same way and hashed, without being sent. */
export async function buildCsvManifest(database: SqlRunner, request: ExportRequest): Promise<SignedManifest> {
  // It reads the whole export too: a restart mid-way costs a batch read again, as for the file itself.
  const sql = readingAgainAfterLoss(database);
  const csvRequest = { ...request, format: "csv" as const };
  const stats: ExportStats = { rowCount: 0, firstSeq: null, lastSeq: null };
  const digest = createHash("sha256");
  for await (const chunk of exportBody(sql, csvRequest, stats)) digest.update(chunk, "utf8");
  return signedManifestFor(sql, csvRequest, stats, digest.digest("hex"));
}

/** e.g. firebreak-audit-through-12345.csv: the pair (CSV, manifest) shares its through-seq. */
export function exportFileName(format: ExportFormat | "csv-manifest", throughSeq: bigint | null): string {
  const through = throughSeq?.toString() ?? "0";
  if (format === "csv-manifest") return `firebreak-audit-through-${through}.csv.manifest.json`;
  return `firebreak-audit-through-${through}.${format}`;
}
