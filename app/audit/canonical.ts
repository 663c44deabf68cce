// The canonical form of an audit row and its chain hash. Shared by the writer, the verifier and offline export checks,
// so all three agree byte for byte. Changing this file invalidates every existing chain: don't, add a version instead.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainedAuditFields {
  seq: bigint | number | string;
  occurredAt: Date | string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  incidentId: string | null;
  outcome: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  prevHash: string;
}

/** JSON with object keys sorted at every depth: jsonb reorders keys, so the hash must not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

// PostgreSQL stores no U+0000 in text or jsonb, and an audit row must never fail because someone typed one (a search
// for "a\0b" is still a search to record): it becomes U+FFFD before the row is hashed, so stored and hashed bytes agree.
const REPLACEMENT_CHARACTER = "\uFFFD";

/** A text column's value as the audit row can store it. */
export function storableText<T extends string | null>(value: T): T {
  return (
    typeof value === "string" && value.includes("\u0000") ? value.replaceAll("\u0000", REPLACEMENT_CHARACTER) : value
  ) as T;
}

function withoutNul(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [storableText(key), withoutNul(v)]));
  }
  return value;
}

/** Makes a before/after value JSON-safe exactly as it will read back from jsonb (Dates → ISO strings, bigint → string). */
export function toAuditJson(value: unknown): unknown {
  if (value === undefined) return null;
  const json = canonicalJson(value);
  const parsed: unknown = JSON.parse(json);
  return json.includes("\\u0000") ? withoutNul(parsed) : parsed;
}

/**
 * The bytes canonicalAuditRow hashes for a before/after value (already made JSON-safe by toAuditJson), stored beside the
 * jsonb so the database can re-hash the row (ADR 015). NULL for no value, as the column itself.
 */
export function hashedJsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : canonicalJson(value);
}

export function canonicalAuditRow(row: ChainedAuditFields): string {
  return canonicalJson({
    v: 1,
    seq: String(row.seq),
    occurredAt: new Date(row.occurredAt).toISOString(),
    actorId: row.actorId,
    actorRole: row.actorRole,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    incidentId: row.incidentId,
    outcome: row.outcome,
    reason: row.reason,
    before: row.before ?? null,
    after: row.after ?? null,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
    prevHash: row.prevHash,
  });
}

export function hashAuditRow(row: ChainedAuditFields): string {
  return createHash("sha256").update(canonicalAuditRow(row)).digest("hex");
}
