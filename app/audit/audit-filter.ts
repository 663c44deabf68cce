// The audit view's filter, parsed from the query string. Shared by the page, the exports and the export manifest so all
// three read a filter the same way. Pure (no database): names (staff emails, incident codes) are resolved on the server
// by app/audit/audit-search.server.ts.
//
// Times are entered in JST and converted to UTC here: Japan has no daylight saving, so JST is always UTC+9.
import { z } from "zod";
import { readJstDateTime, JST_OFFSET_MS } from "~/lib/jst-date-time";

export const FILTER_FIELDS = [
  "from",
  "to",
  "actor",
  "role",
  "action",
  "targetType",
  "targetId",
  "outcome",
  "incident",
  "q",
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** actor_role values: staff roles, the system and service actors, and ANONYMOUS for rows without an actor role. */
export const AUDIT_ROLES = ["AGENT", "SECURITY_LEAD", "COMPLIANCE", "ADMIN", "SYSTEM", "SERVICE", "ANONYMOUS"] as const;
export const AUDIT_OUTCOMES = ["SUCCESS", "DENIED", "FAILED"] as const;

export const PAGE_SIZE = 50;
const MAX_SEQ = 9_223_372_036_854_775_807n;
const EARLIEST_YEAR = 2000;
const LATEST_YEAR = 2100;

export interface AuditFilter {
  /** Inclusive lower bound, UTC ISO (converted from `fromJst`). */
  fromUtc?: string;
  fromJst?: string;
  /** Exclusive upper bound, UTC ISO (converted from `toJst`). */
  toUtc?: string;
  toJst?: string;
  /** An actor id (staff UUID, "system:…") or a staff email, resolved on the server. */
  actor?: string;
  role?: (typeof AUDIT_ROLES)[number];
  /** Exact action, or a prefix when it ends in ".*" (e.g. "ledger.*"). */
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: (typeof AUDIT_OUTCOMES)[number];
  /** An incident id or code, resolved on the server. */
  incident?: string;
  /** Text contained in the reason (case-insensitive). */
  q?: string;
}

export type ParsedFilter =
  | { ok: true; filter: AuditFilter; values: Record<string, string> }
  | { ok: false; errors: string[]; values: Record<string, string> };

/** "2019/07/04 09:30" or "2019-07-04T09:30" (JST; a date alone is its midnight) → UTC Date, or what is wrong. */
export function parseJstDateTime(input: string, label: string): { date: Date } | { error: string } {
  const reading = readJstDateTime(input, { requireTime: false });
  if ("problem" in reading) {
    if (reading.problem === "time-of-day") return { error: `${label}: "${input}" is not a valid time of day.` };
    if (reading.problem === "calendar") return { error: `${label}: "${input}" is not a date on the calendar.` };
    return { error: `${label}: "${input}" is not a date and time. Use YYYY/MM/DD HH:MM in Japan time (JST).` };
  }
  const { date } = reading;
  const year = new Date(date.getTime() + JST_OFFSET_MS).getUTCFullYear();
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) {
    return { error: `${label}: the year must be between ${EARLIEST_YEAR} and ${LATEST_YEAR}.` };
  }
  return { date };
}

// Control characters (a NUL above all, which PostgreSQL refuses in text) are never part of what a filter looks for.
const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");

const FilterSchema = z
  .object({
    actor: Text(200),
    role: z.enum(AUDIT_ROLES, { errorMap: () => ({ message: `must be one of ${AUDIT_ROLES.join(", ")}` }) }),
    action: Text(100).regex(
      /^[A-Za-z0-9_.:-]+(\.\*)?$/,
      "may contain letters, digits and . _ : - (end with .* for a prefix)",
    ),
    targetType: Text(100),
    targetId: Text(200),
    outcome: z.enum(AUDIT_OUTCOMES, { errorMap: () => ({ message: `must be one of ${AUDIT_OUTCOMES.join(", ")}` }) }),
    incident: Text(100),
    q: Text(200).min(2, "must be at least 2 characters"),
  })
  .partial();

const LABELS: Record<FilterField, string> = {
  from: "From",
  to: "To",
  actor: "Actor",
  role: "Role",
  action: "Action",
  targetType: "Target type",
  targetId: "Target ID",
  outcome: "Outcome",
  incident: "Incident",
  q: "Reason contains",
};

export interface ParseOptions {
  /** Query parameters that are not filters but are allowed alongside them (e.g. "before" on the page). */
  extraKeys?: readonly string[];
}

/** Parses and validates the filter part of a query string. Unknown parameters are refused, never silently ignored. */
export function parseAuditFilter(params: URLSearchParams, options: ParseOptions = {}): ParsedFilter {
  const allowed = new Set<string>([...FILTER_FIELDS, ...(options.extraKeys ?? [])]);
  const values: Record<string, string> = {};
  const errors: string[] = [];
  for (const [key, value] of params) {
    if (key === "page") {
      errors.push("Page numbers are not supported: the audit trail pages by sequence number (use Older / Newer).");
      continue;
    }
    if (!allowed.has(key)) {
      errors.push(`Unknown filter "${key.slice(0, 40)}". Filters are: ${FILTER_FIELDS.join(", ")}.`);
      continue;
    }
    if (key in values) {
      errors.push(`"${key}" is given more than once.`);
      continue;
    }
    values[key] = value;
  }

  const present = Object.fromEntries(
    Object.entries(values).filter(([key, value]) => (FILTER_FIELDS as readonly string[]).includes(key) && value.trim()),
  );
  const filter: AuditFilter = {};
  const { from, to, ...rest } = present;
  const parsed = FilterSchema.safeParse(rest);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as FilterField;
      errors.push(`${LABELS[field] ?? field}: ${issue.message}.`);
    }
  } else {
    Object.assign(
      filter,
      Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined && v !== "")),
    );
  }

  let fromDate: Date | undefined;
  let toDate: Date | undefined;
  if (from) {
    const result = parseJstDateTime(from, LABELS.from);
    if ("error" in result) errors.push(result.error);
    else fromDate = result.date;
  }
  if (to) {
    const result = parseJstDateTime(to, LABELS.to);
    if ("error" in result) errors.push(result.error);
    else toDate = result.date;
  }
  if (fromDate && toDate && fromDate.getTime() >= toDate.getTime()) {
    errors.push(
      `The time range is inverted or empty: "From" (${from} JST) must be before "To" (${to} JST). ` +
        `"From" is inclusive, "To" is exclusive.`,
    );
  }
  if (fromDate) {
    filter.fromUtc = fromDate.toISOString();
    filter.fromJst = from!.trim();
  }
  if (toDate) {
    filter.toUtc = toDate.toISOString();
    filter.toJst = to!.trim();
  }
  return errors.length > 0 ? { ok: false, errors, values } : { ok: true, filter, values };
}

/** A positive sequence number from a cursor parameter, or a message. */
export function parseSeqParam(value: string, label: string): { seq: bigint } | { error: string } {
  const trimmed = value.trim();
  if (!/^\d{1,19}$/.test(trimmed) || BigInt(trimmed) < 1n || BigInt(trimmed) > MAX_SEQ) {
    return { error: `${label} must be a sequence number between 1 and ${MAX_SEQ} (got "${trimmed.slice(0, 40)}").` };
  }
  return { seq: BigInt(trimmed) };
}

/** The filter as query-string pairs (for links to the next page and to the exports). */
export function filterToParams(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.fromJst) params.set("from", filter.fromJst);
  if (filter.toJst) params.set("to", filter.toJst);
  for (const key of ["actor", "role", "action", "targetType", "targetId", "outcome", "incident", "q"] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  return params;
}

export function isEmptyFilter(filter: AuditFilter): boolean {
  return filterToParams(filter).toString() === "";
}
