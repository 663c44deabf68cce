// The audit view's filter, parsed from the query string. Shared by the page, the exports and the export manifest so all
// three read a filter the same way. Pure (no database): names (staff emails, incident codes) are resolved on the server
// by app/audit/audit-search.server.ts.
//
// Times are entered in JST and converted to UTC here: Japan has no daylight saving, so JST is always UTC+9.
//
// Every problem is a message key with its values (messageWithValues), a field's among them: the page and the exports
// say it in the member's language (translateAuditFilterProblem in audit-filter-messages.server.ts).
import { z } from "zod";
import { messageWithValues, readMessageKey } from "~/i18n/fixed-t";
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

/** The fields a problem can name: the filters and the page's cursors (their labels are audit:filterField.*). */
export type ProblemField = FilterField | "before" | "after" | "through";

/** A problem of the audit filter: a message key (audit:filterError.*) and its values, as one string. */
function problem(key: string, values: Record<string, string | number> = {}): string {
  return messageWithValues(`audit:filterError.${key}`, values);
}

/** The same problem, naming the field it is about. */
function aboutField(message: string, field: ProblemField): string {
  const read = readMessageKey(message);
  if (!read) return message;
  return messageWithValues(read.key, { ...(read.values as Record<string, string | number>), field });
}

/** "2019/07/04 09:30" or "2019-07-04T09:30" (JST; a date alone is its midnight) → UTC Date, or what is wrong. */
export function parseJstDateTime(input: string, field: "from" | "to"): { date: Date } | { error: string } {
  const reading = readJstDateTime(input, { requireTime: false });
  const shown = input.slice(0, 40);
  if ("problem" in reading) {
    if (reading.problem === "time-of-day") return { error: problem("notTimeOfDay", { field, input: shown }) };
    if (reading.problem === "calendar") return { error: problem("notOnCalendar", { field, input: shown }) };
    return { error: problem("notDateTime", { field, input: shown }) };
  }
  const { date } = reading;
  const year = new Date(date.getTime() + JST_OFFSET_MS).getUTCFullYear();
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) {
    return { error: problem("yearRange", { field, earliest: EARLIEST_YEAR, latest: LATEST_YEAR }) };
  }
  return { date };
}

// Control characters (a NUL above all, which PostgreSQL refuses in text) are never part of what a filter looks for.
const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, problem("tooLong", { max }))
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]*$/, problem("controlCharacters"));

const FilterSchema = z
  .object({
    actor: Text(200),
    role: z.enum(AUDIT_ROLES, {
      errorMap: () => ({ message: problem("oneOf", { choices: AUDIT_ROLES.join(", ") }) }),
    }),
    action: Text(100).regex(/^[A-Za-z0-9_.:-]+(\.\*)?$/, problem("actionShape")),
    targetType: Text(100),
    targetId: Text(200),
    outcome: z.enum(AUDIT_OUTCOMES, {
      errorMap: () => ({ message: problem("oneOf", { choices: AUDIT_OUTCOMES.join(", ") }) }),
    }),
    incident: Text(100),
    q: Text(200).min(2, problem("tooShort", { min: 2 })),
  })
  .partial();

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
      errors.push(problem("pageNumbers"));
      continue;
    }
    if (!allowed.has(key)) {
      errors.push(problem("unknownFilter", { name: key.slice(0, 40), filters: FILTER_FIELDS.join(", ") }));
      continue;
    }
    if (key in values) {
      errors.push(problem("givenTwice", { name: key.slice(0, 40) }));
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
      errors.push(aboutField(issue.message, String(issue.path[0]) as FilterField));
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
    const result = parseJstDateTime(from, "from");
    if ("error" in result) errors.push(result.error);
    else fromDate = result.date;
  }
  if (to) {
    const result = parseJstDateTime(to, "to");
    if ("error" in result) errors.push(result.error);
    else toDate = result.date;
  }
  if (fromDate && toDate && fromDate.getTime() >= toDate.getTime()) {
    errors.push(problem("inverted", { from: from!.trim(), to: to!.trim() }));
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

/** A positive sequence number from a cursor parameter, or a message (a key with its values). */
export function parseSeqParam(
  value: string,
  field: "before" | "after" | "through",
): { seq: bigint } | { error: string } {
  const trimmed = value.trim();
  if (!/^\d{1,19}$/.test(trimmed) || BigInt(trimmed) < 1n || BigInt(trimmed) > MAX_SEQ) {
    return { error: problem("notSequence", { field, max: MAX_SEQ.toString(), got: trimmed.slice(0, 40) }) };
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

/** The page's refusal of two cursors at once, and the export's of a cursor beyond the trail's end. */
export const BOTH_CURSORS = problem("bothCursors");
export function beyondTheEnd(through: bigint, head: bigint | null): string {
  return problem("beyondEnd", { through: through.toString(), head: (head ?? 0n).toString() });
}
