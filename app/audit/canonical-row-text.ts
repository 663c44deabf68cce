// A faster route to the bytes of canonicalAuditRow (app/audit/canonical.ts), for the verifier that hashes millions of
// rows. The database writes the JSON text of every scalar field (to_json escapes strings exactly as JSON.stringify
// does) in canonicalJson's sorted key order, so only before/after are parsed and re-serialised in JavaScript.
//
// This is an optimisation, never the authority: when a row's fast hash does not match, the verifier re-reads the row and
// hashes it with canonical.ts itself before calling it modified. A test compares both forms on awkward rows.
import crypto from "node:crypto";

const str = JSON.stringify;

/**
 * canonicalJson for values that came out of JSON.parse (no undefined, Date or bigint inside): the same bytes without the
 * intermediate arrays canonicalJson allocates per object. Object.keys(...).sort() orders by UTF-16 code units, exactly
 * like canonicalJson's comparator.
 */
export function canonicalParsedJson(value: unknown): string {
  if (value === null || typeof value !== "object") return value === undefined ? "null" : str(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? "" : ",") + canonicalParsedJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    out += `${i === 0 ? "" : ","}${str(key)}:${canonicalParsedJson(record[key])}`;
  }
  return `${out}}`;
}

const jsonOf = (column: string) => `coalesce(to_json(${column})::text, 'null')`;

/**
 * The canonical text before and after the `after…before` JSON (which sits between them as `<after>,"before":<before>`), as SQL expressions over an audit_event row. Keys in
 * canonicalJson's order: action, actorId, actorRole, after, before, incidentId, ip, occurredAt, outcome, prevHash, reason,
 * requestId, seq, targetId, targetType, userAgent, v. The timestamp is timestamptz(3), so to_char's milliseconds equal
 * toISOString() for years 0–9999.
 */
export const CANONICAL_HEAD_SQL = `'{"action":' || to_json(action)::text || ',"actorId":' || ${jsonOf("actor_id")} ||
    ',"actorRole":' || ${jsonOf("actor_role")} || ',"after":'`;
export const CANONICAL_TAIL_SQL = `',"incidentId":' || ${jsonOf("incident_id")} || ',"ip":' || ${jsonOf("ip")} ||
    ',"occurredAt":"' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ||
    '","outcome":"' || outcome::text || '","prevHash":' || to_json(prev_hash)::text || ',"reason":' ||
    ${jsonOf("reason")} || ',"requestId":' || ${jsonOf("request_id")} || ',"seq":"' || seq::text ||
    '","targetId":' || ${jsonOf("target_id")} || ',"targetType":' || ${jsonOf("target_type")} || ',"userAgent":' ||
    ${jsonOf("user_agent")} || ',"v":1}'`;

/** SELECT list for the row-by-row verifier: the parts, with before/after as jsonb text for JavaScript to canonicalise. */
export const CANONICAL_PARTS_COLUMNS = `seq::text AS seq, ${CANONICAL_HEAD_SQL} AS head,
  after::text AS after, before::text AS before, ${CANONICAL_TAIL_SQL} AS tail, prev_hash AS "prevHash", hash`;

export interface CanonicalParts {
  seq: string;
  head: string;
  after: string | null;
  before: string | null;
  tail: string;
  prevHash: string;
  hash: string;
}

export function canonicalTextFromParts(row: CanonicalParts): string {
  const after = row.after === null ? "null" : canonicalParsedJson(JSON.parse(row.after));
  const before = row.before === null ? "null" : canonicalParsedJson(JSON.parse(row.before));
  return `${row.head}${after},"before":${before}${row.tail}`;
}

// crypto.hash (Node ≥ 20.12) is a one-shot digest: about twice as fast as createHash() for rows this small.
const oneShotHash = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

export function sha256Hex(text: string): string {
  return oneShotHash ? oneShotHash("sha256", text, "hex") : crypto.createHash("sha256").update(text).digest("hex");
}
