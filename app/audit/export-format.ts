// The audit export file formats, written by the server and read back by the offline verifier
// (scripts/audit-verify-export.ts). Depends on nothing but the canonical form, so it can be handed to an auditor.
//
// JSON Lines: one {"record":"event",…} object per row, then one {"record":"manifest",…} line.
// CSV (RFC 4180, UTF-8 with a byte-order mark for Excel, CRLF): a header row and one row per event; its manifest is a
//   separate download whose contentSha256 is the SHA-256 of the CSV file's bytes. Every non-null cell is quoted; an
//   unquoted empty cell is a database NULL, so "" and NULL stay distinguishable and every row can be re-hashed.
//   Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a leading
//   apostrophe, and so do cells that already start with one, which keeps the escape reversible for the verifier.
// See docs/decisions/009-audit-checkpoints.md.
import type { ChainedAuditFields } from "~/audit/canonical";

export const EXPORT_FORMAT_VERSION = "firebreak-audit-export/v1";

/** One exported row: the chained fields (before/after as canonical JSON text) and the stored hash. */
export interface ExportRow {
  seq: string;
  occurredAt: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  incidentId: string | null;
  outcome: string;
  reason: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export interface ManifestCheckpoint {
  id: string;
  seq: string;
  headHash: string;
  signedAt: string;
  publicKeyFingerprint: string;
  signature: string;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT_VERSION;
  contentFormat: "jsonl" | "csv";
  exportedAt: string;
  exportedBy: { actorId: string | null; role: string | null };
  /** The filter as entered (times in JST) and as applied (UTC). */
  filter: Record<string, string>;
  /** The chain head when the export began: rows after it are not in the file even if they match. */
  throughSeq: string | null;
  /** The hash of row `throughSeq`: the chain hash at the end of the export. */
  chainHeadHash: string | null;
  rowCount: number;
  firstSeq: string | null;
  lastSeq: string | null;
  /** SHA-256 (hex) of every byte of the file before the manifest (JSONL) or of the whole CSV file. */
  contentSha256: string;
  /** The latest signed checkpoint at or before throughSeq, as stored (verify it with the public key). */
  checkpoint: ManifestCheckpoint | null;
  /** The key that signed this manifest (SHA-256 of its SPKI DER), or null when no signing key was configured. */
  publicKeyFingerprint: string | null;
}

export interface SignedManifest {
  manifest: ExportManifest;
  /** Ed25519 over the manifest (app/audit/signatures.ts), base64; null when the server had no signing key. */
  signature: string | null;
}

// ───────────── CSV ─────────────

export const CSV_COLUMNS = [
  "seq",
  "occurred_at",
  "occurred_at_jst",
  "actor_id",
  "actor_role",
  "action",
  "target_type",
  "target_id",
  "incident_id",
  "outcome",
  "reason",
  "before",
  "after",
  "ip",
  "user_agent",
  "request_id",
  "prev_hash",
  "hash",
] as const;

export const CSV_BOM = "\uFEFF";
const CSV_EOL = "\r\n";
const FORMULA_TRIGGER = /^[=+\-@\t\r']/;

/** Makes a cell safe to open in a spreadsheet (OWASP CSV injection), reversibly. */
export function neutraliseCsvCell(value: string): string {
  return FORMULA_TRIGGER.test(value) ? `'${value}` : value;
}

export function restoreCsvCell(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

function csvCell(value: string | null): string {
  if (value === null) return "";
  return `"${neutraliseCsvCell(value).replace(/"/g, '""')}"`;
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** "2019-07-04 10:15:00.123" — the same instant in Japan time, for people reading the CSV. Not part of the hash. */
export function isoToJst(iso: string): string {
  return new Date(Date.parse(iso) + JST_OFFSET_MS).toISOString().replace("T", " ").replace("Z", "");
}

export function csvHeaderLine(): string {
  return CSV_BOM + CSV_COLUMNS.map((c) => csvCell(c)).join(",") + CSV_EOL;
}

export function csvRowLine(row: ExportRow): string {
  return (
    [
      row.seq,
      row.occurredAt,
      isoToJst(row.occurredAt),
      row.actorId,
      row.actorRole,
      row.action,
      row.targetType,
      row.targetId,
      row.incidentId,
      row.outcome,
      row.reason,
      row.before,
      row.after,
      row.ip,
      row.userAgent,
      row.requestId,
      row.prevHash,
      row.hash,
    ]
      .map(csvCell)
      .join(",") + CSV_EOL
  );
}

/**
 * RFC 4180 parser that keeps the one distinction we need: an unquoted empty field is null, a quoted one is "".
 * Returns the records (the BOM, if any, removed).
 */
export function parseCsv(text: string): (string | null)[][] {
  const input = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    let value: string | null;
    if (input[i] === '"') {
      let out = "";
      i += 1;
      for (;;) {
        const quote = input.indexOf('"', i);
        if (quote === -1) throw new Error("CSV: a quoted field is not closed");
        out += input.slice(i, quote);
        if (input[quote + 1] === '"') {
          out += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      value = out;
    } else {
      let end = i;
      while (end < n && input[end] !== "," && input[end] !== "\r" && input[end] !== "\n") end += 1;
      const raw = input.slice(i, end);
      value = raw === "" ? null : raw;
      i = end;
    }
    record.push(value);
    if (input[i] === ",") {
      i += 1;
      if (i === n) record.push(null);
    } else if (input[i] === "\r" || input[i] === "\n" || i >= n) {
      if (input[i] === "\r" && input[i + 1] === "\n") i += 2;
      else if (i < n) i += 1;
      records.push(record);
      record = [];
    } else {
      throw new Error(`CSV: unexpected character after a quoted field at offset ${i}`);
    }
  }
  return records;
}

/** A CSV record (after the header) back to the fields that were hashed, plus the stored hash. */
export function csvRecordToFields(record: (string | null)[]): ChainedAuditFields & { hash: string } {
  if (record.length !== CSV_COLUMNS.length) {
    throw new Error(`CSV: expected ${CSV_COLUMNS.length} cells, found ${record.length}`);
  }
  const cell = (name: (typeof CSV_COLUMNS)[number]) => {
    const value = record[CSV_COLUMNS.indexOf(name)]!;
    return value === null ? null : restoreCsvCell(value);
  };
  const required = (name: (typeof CSV_COLUMNS)[number]) => {
    const value = cell(name);
    if (value === null) throw new Error(`CSV: ${name} is empty`);
    return value;
  };
  const jsonCell = (name: "before" | "after") => {
    const value = cell(name);
    return value === null ? null : (JSON.parse(value) as unknown);
  };
  return {
    seq: required("seq"),
    occurredAt: required("occurred_at"),
    actorId: cell("actor_id"),
    actorRole: cell("actor_role"),
    action: required("action"),
    targetType: cell("target_type"),
    targetId: cell("target_id"),
    incidentId: cell("incident_id"),
    outcome: required("outcome"),
    reason: cell("reason"),
    before: jsonCell("before"),
    after: jsonCell("after"),
    ip: cell("ip"),
    userAgent: cell("user_agent"),
    requestId: cell("request_id"),
    prevHash: required("prev_hash"),
    hash: required("hash"),
  };
}

// ───────────── JSON Lines ─────────────

const str = JSON.stringify;
const opt = (value: string | null) => (value === null ? "null" : str(value));

export function jsonlEventLine(row: ExportRow): string {
  return (
    `{"record":"event","seq":${str(row.seq)},"occurredAt":${str(row.occurredAt)},"actorId":${opt(row.actorId)},` +
    `"actorRole":${opt(row.actorRole)},"action":${str(row.action)},"targetType":${opt(row.targetType)},` +
    `"targetId":${opt(row.targetId)},"incidentId":${opt(row.incidentId)},"outcome":${str(row.outcome)},` +
    `"reason":${opt(row.reason)},"before":${row.before ?? "null"},"after":${row.after ?? "null"},` +
    `"ip":${opt(row.ip)},"userAgent":${opt(row.userAgent)},"requestId":${opt(row.requestId)},` +
    `"prevHash":${str(row.prevHash)},"hash":${str(row.hash)}}\n`
  );
}

export function jsonlManifestLine(signed: SignedManifest): string {
  return `${str({ record: "manifest", ...signed.manifest, signature: signed.signature })}\n`;
}

/** A parsed JSON Lines event back to the hashed fields plus the stored hash. */
export function jsonlEventToFields(event: Record<string, unknown>): ChainedAuditFields & { hash: string } {
  const text = (key: string) => {
    const value = event[key];
    if (value === null || value === undefined) return null;
    if (typeof value !== "string") throw new Error(`JSONL: ${key} must be a string`);
    return value;
  };
  const required = (key: string) => {
    const value = text(key);
    if (value === null) throw new Error(`JSONL: ${key} is missing`);
    return value;
  };
  return {
    seq: required("seq"),
    occurredAt: required("occurredAt"),
    actorId: text("actorId"),
    actorRole: text("actorRole"),
    action: required("action"),
    targetType: text("targetType"),
    targetId: text("targetId"),
    incidentId: text("incidentId"),
    outcome: required("outcome"),
    reason: text("reason"),
    before: event.before ?? null,
    after: event.after ?? null,
    ip: text("ip"),
    userAgent: text("userAgent"),
    requestId: text("requestId"),
    prevHash: required("prevHash"),
    hash: required("hash"),
  };
}

/** Splits a manifest line's object into the signed manifest and its signature. */
export function manifestFromLine(line: Record<string, unknown>): SignedManifest {
  const { record: _record, signature, ...manifest } = line;
  return { manifest: manifest as unknown as ExportManifest, signature: (signature as string | null) ?? null };
}
