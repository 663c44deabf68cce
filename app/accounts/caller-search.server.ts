// The caller search as the console offers it: parse, look up, mask, audit. A read, so not through performAction, but
// with the same discipline: the permission is checked here too, and every search that shows customer data leaves an
// audit row (search-audit.server.ts) before the data is returned.
import type { ActionContext } from "~/audit/perform-action.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import type { AuditEventInput } from "~/audit/audit-log.server";
import { maskEmail, maskPhone } from "~/accounts/masking";
import { takeCustomerRead } from "~/auth/read-budget.server";
import { describeSearchForAudit } from "~/accounts/search-audit.server";
import { decodeCursor } from "~/accounts/search-cursor";
import { parseSearchQuery } from "~/accounts/search-query.server";
import type { NotUnderstood, RefusalCode, SearchKind } from "~/accounts/search-terms";
import type { SearchSql } from "~/accounts/search-sql.server";
import { searchCustomers, SearchLinkInvalidError, type MatchedBy, type NextFact } from "~/accounts/search.server";
import { roleHasPermission } from "~/auth/permissions";
import { database } from "~/db.server";
import { PermissionDeniedError } from "~/lib/domain-error";

export interface CallerSearchHit {
  id: string;
  displayId: string;
  name: string;
  nameKana: string;
  maskedEmail: string;
  maskedPhone: string;
  birthYear: number;
  status: string;
  lastSignInAt: string | null;
  caseStatus: string | null;
  caseIncidentCode: string | null;
  matchedBy: MatchedBy;
  matched: MatchedBy[];
  /** Listed ahead of equally good matches because the customer's incident case is open. */
  openCaseFirst: boolean;
}

export type CallerSearchResult =
  | {
      kind: "refused";
      code: RefusalCode | "tooBroad" | "linkInvalid" | "rateLimited";
      message: string;
      /** The words that could not be searched, when that is why nothing could be (a postcode, digits that fit nothing). */
      notUnderstood?: NotUnderstood[];
    }
  | {
      kind: "results";
      query: string;
      kinds: SearchKind[];
      /** Display only: which page of the keyset walk this is (1 for the first). */
      page: number;
      total: number;
      totalIsLowerBound: boolean;
      allFactsMatched: boolean;
      nextCursor: string | null;
      nextFact: NextFact | null;
      /** A prefecture the caller named: recognised, but customers' addresses are not recorded, so it did not narrow. */
      ignoredPrefecture: string | null;
      /** Words that were neither a fact nor part of the name: not searched, and the page names each (ADR 092). */
      notUnderstood: NotUnderstood[];
      /** The forms of the name searched instead of the one typed, which matches nobody (another order, romaji, a kanji form). */
      searchedAs: string[];
      /** The email's local part, searched with any domain because the email as typed matched nobody. */
      emailRetriedAs: string | null;
      hits: CallerSearchHit[];
    };

/** PostgreSQL's "canceling statement due to statement timeout". */
const QUERY_CANCELED = "57014";
/**
 * Per statement. Every plan is bounded by indexes and takes a few milliseconds at a million customers; this is the
 * guard against a plan nobody foresaw, so that one agent's input can never hold a connection for seconds.
 */
export const SEARCH_STATEMENT_TIMEOUT_MS = 300;
export const SEARCH_TOO_BROAD =
  "This search is too broad to answer quickly. Add a fact the caller knows: birth date, last 4 digits of the phone, or given name.";
export const SEARCH_LINK_INVALID = "That page link is not valid any more. Search again.";
export const SEARCH_RATE_LIMITED =
  "Too many customer searches and account views in a short time. Wait a few minutes, then try again.";

function isTimeout(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === QUERY_CANCELED;
}

/**
 * Runs the search's statements read-only, each cancelled after SEARCH_STATEMENT_TIMEOUT_MS (PostgreSQL; the embedded
 * engine has no statement timeout). "timeout" when one was.
 */
export async function withSearchTimeout<T>(
  search: (sql: SearchSql) => Promise<T>,
  timeoutMs = SEARCH_STATEMENT_TIMEOUT_MS,
): Promise<T | "timeout"> {
  try {
    // Connections that are read-only with these settings from the start: no BEGIN and COMMIT round trips (ADR 062).
    // Generic plans: every branch is an equality or range on an index under a constant LIMIT, so the plan does not
    // depend on the key, yet PostgreSQL's own choice kept planning the counts and pages afresh on every search, which
    // was most of their cost (ADR 064).
    return await search(database.readOnlySql({ statementTimeoutMs: timeoutMs, genericPlans: true }));
  } catch (error) {
    if (isTimeout(error)) return "timeout";
    throw error;
  }
}

/**
 * Writes a search's audit row durably before its results are returned. The console's is the chain
 * (recordAuditEvent); the audited-search benchmark passes an unchained insert to price the chain against it.
 */
export type SearchAuditWriter = (event: AuditEventInput) => Promise<void>;

export async function searchForCaller(
  ctx: ActionContext,
  raw: string,
  position: { cursor?: string | null; page?: number } = {},
  writeAudit: SearchAuditWriter = recordAuditEvent,
): Promise<CallerSearchResult> {
  if (ctx.actor.kind !== "staff" || !roleHasPermission(ctx.actor.role, "accounts:search")) {
    throw new PermissionDeniedError();
  }
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) {
    const { code, message, notUnderstood = [] } = parsed;
    return { kind: "refused", code, message, ...(notUnderstood.length > 0 ? { notUnderstood } : {}) };
  }

  const cursor = decodeCursor(position.cursor);
  if (cursor === "invalid") return { kind: "refused", code: "linkInvalid", message: SEARCH_LINK_INVALID };
  const page = cursor ? Math.min(Math.max(2, Math.floor(position.page ?? 2)), 1_000_000) : 1;
  // Counted once the request is a search that would run: a stolen session must not page through every customer.
  const allowance = takeCustomerRead(ctx.actor.id);
  if (!allowance.ok) {
    await writeAudit({
      actor: ctx.actor,
      origin: ctx.origin,
      action: "accounts.search",
      outcome: "DENIED",
      targetType: "customer",
      after: { reason: "read budget", retryAt: allowance.retryAt.toISOString(), page },
    });
    return { kind: "refused", code: "rateLimited", message: SEARCH_RATE_LIMITED };
  }

  let result;
  try {
    result = await withSearchTimeout((sql) => searchCustomers(sql, parsed.terms, cursor));
  } catch (error) {
    if (error instanceof SearchLinkInvalidError) {
      return { kind: "refused", code: "linkInvalid", message: SEARCH_LINK_INVALID };
    }
    throw error;
  }
  if (result === "timeout") return { kind: "refused", code: "tooBroad", message: SEARCH_TOO_BROAD };
  const hits = result.hits.map((hit) => ({
    id: hit.id,
    displayId: hit.displayId,
    name: hit.name,
    nameKana: hit.nameKana,
    maskedEmail: maskEmail(hit.email),
    maskedPhone: maskPhone(hit.phone),
    birthYear: hit.birthYear,
    status: hit.status,
    lastSignInAt: hit.lastSignInAt ? new Date(hit.lastSignInAt).toISOString() : null,
    caseStatus: hit.caseStatus,
    caseIncidentCode: hit.caseIncidentCode,
    matchedBy: hit.matchedBy,
    matched: hit.matched,
    openCaseFirst: hit.openCaseFirst,
  }));
  await writeAudit({
    actor: ctx.actor,
    origin: ctx.origin,
    action: "accounts.search",
    outcome: "SUCCESS",
    targetType: "customer",
    after: describeSearchForAudit(
      parsed,
      page,
      hits.map((h) => h.id),
    ),
  });
  return {
    kind: "results",
    query: parsed.query,
    kinds: parsed.kinds,
    page,
    total: result.total,
    totalIsLowerBound: result.totalIsLowerBound,
    allFactsMatched: result.allFactsMatched,
    nextCursor: result.nextCursor,
    nextFact: result.nextFact,
    ignoredPrefecture: parsed.terms.prefecture,
    notUnderstood: parsed.terms.notUnderstood,
    searchedAs: result.searchedAs,
    emailRetriedAs: result.emailRetriedAs,
    hits,
  };
}
