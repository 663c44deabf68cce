// The audit export file formats, written by the server and read back by the offline verifier
// (scripts/audit-verify-export.ts). Depends on nothing but the canonical form, so it can be handed to an auditor.
//
// JSON Lines: one {"record":"event",…} object per row, then one {"record":"manifest",…} line.
// CSV (RFC 4180, UTF-8 with a byte-order mark for Excel, CRLF): a header row and one row per event; its manifest is a
//   separate download whose contentSha256 is the SHA-256 of the CSV file's bytes. Every non-null cell is quoted; an
//   unquoted empty cell is a database NULL, so "" and NULL stay distinguishable and every row can be re-hashed.
//   Cells that a spreadsheet would run as a formula (see startsLikeFormula) get a leading apostrophe, and so do cells
//   that already start with one, which keeps the escape reversible for the verifier.
// See docs/decisions/009-audit-checkpoints.md.
import type { ChainedAuditFields } from "~/audit/canonical";
import { JST_OFFSET_MS } from "~/lib/jst-date-time";

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
const FORMULA_SIGN = /^[=+\-@]/;
const LEADING_CONTROL = /^[\t\r\n]/;

/**
 * Would a spreadsheet run this cell as a formula? OWASP's CSV-injection triggers, read the way spreadsheets read them:
 * a cell starting with a tab, CR or LF; or one whose first character after any leading whitespace (spaces, the
 * ideographic space U+3000, no-break spaces) is = + - @ in any width — Excel in a Japanese locale runs ＝ ＋ － ＠
 * (and the other compatibility forms that NFKC folds to the four signs, such as ﹦) as formulas too.
 */
export function startsLikeFormula(value: string): boolean {
  if (LEADING_CONTROL.test(value)) return true;
  const first = value.trimStart().codePointAt(0);
  return first !== undefined && FORMULA_SIGN.test(String.fromCodePoint(first).normalize("NFKC"));
}

/**
 * Makes a cell safe to open in a spreadsheet (OWASP CSV injection), reversibly: a leading apostrophe on a cell that
 * starts like a formula or already starts with an apostrophe, so restoreCsvCell always removes exactly one. Exports
 * written before the rule covered leading whitespace and full-width signs read back the same way.
 */
export function neutraliseCsvCell(value: string): string {
  return value.startsWith("'") || startsLikeFormula(value) ? `'${value}` : value;
}

export function restoreCsvCell(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

function csvCell(value: string | null): string {
  if (value === null) return "";
  return `"${neutraliseCsvCell(value).replace(/"/g, '""')}"`;
}

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
 * Incremental RFC 4180 reader (exports can be far larger than memory): push text chunks, get complete records back. It
 * keeps the one distinction the verifier needs: an unquoted empty field is null, a quoted one is "".
 */
export class CsvRecordReader {
  private record: (string | null)[] = [];
  private field = "";
  private quoted = false;
  private state: "start" | "unquoted" | "quoted" | "quote-in-quoted" | "after-cr" = "start";
  private first = true;

  push(chunk: string): (string | null)[][] {
    const out: (string | null)[][] = [];
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.startsWith(CSV_BOM)) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i += 1) this.step(text[i]!, out);
    return out;
  }

  end(): (string | null)[][] {
    const out: (string | null)[][] = [];
    if (this.state === "quoted") throw new Error("CSV: a quoted field is not closed at the end of the file");
    if (this.state === "unquoted" || this.state === "quote-in-quoted" || this.record.length > 0) {
      this.endField();
      out.push(this.record);
      this.record = [];
    }
    this.state = "start";
    return out;
  }

  private endField() {
    this.record.push(this.quoted ? this.field : this.field === "" ? null : this.field);
    this.field = "";
    this.quoted = false;
  }

  private endRecord(out: (string | null)[][]) {
    this.endField();
    out.push(this.record);
    this.record = [];
  }

  private step(c: string, out: (string | null)[][]) {
    switch (this.state) {
      case "after-cr":
        this.state = "start";
        if (c === "\n") return;
        this.step(c, out);
        return;
      case "start":
        if (c === '"') {
          this.quoted = true;
          this.state = "quoted";
        } else if (c === ",") this.endField();
        else if (c === "\r" || c === "\n") {
          // A blank line between records is not a record.
          if (this.record.length > 0) this.endRecord(out);
          this.state = c === "\r" ? "after-cr" : "start";
        } else {
          this.field = c;
          this.state = "unquoted";
        }
        return;
      case "unquoted":
        if (c === ",") {
          this.endField();
          this.state = "start";
        } else if (c === "\r" || c === "\n") {
          this.endRecord(out);
          this.state = c === "\r" ? "after-cr" : "start";
        } else if (c === '"') throw new Error("CSV: a quote inside an unquoted field");
        else this.field += c;
        return;
      case "quoted":
        if (c === '"') this.state = "quote-in-quoted";
        else this.field += c;
        return;
      case "quote-in-quoted":
        if (c === '"') {
          this.field += '"';
          this.state = "quoted";
        } else if (c === ",") {
          this.endField();
          this.state = "start";
        } else if (c === "\r" || c === "\n") {
          this.endRecord(out);
          this.state = c === "\r" ? "after-cr" : "start";
        } else throw new Error("CSV: unexpected character after a closing quote");
        return;
    }
  }
}

/** All records of a whole CSV text (the byte-order mark, if any, removed). */
export function parseCsv(text: string): (string | null)[][] {
  const reader = new CsvRecordReader();
  return [...reader.push(text), ...reader.end()];
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
