// The caller search as the console offers it: parse, look up, mask, audit. A read, so not through performAction, but
// with the same discipline: the permission is checked here too, and every search that shows customer data leaves an
// audit row (search-audit.server.ts) before the data is returned.
import type { ActionContext } from "~/audit/perform-action.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { maskEmail, maskPhone } from "~/accounts/masking";
import { describeSearchForAudit } from "~/accounts/search-audit.server";
import { parseSearchQuery, type SearchKind } from "~/accounts/search-query.server";
import { searchCustomers, type MatchedBy } from "~/accounts/search.server";
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
}

export type CallerSearchResult =
  | { kind: "refused"; message: string }
  | {
      kind: "results";
      query: string;
      kinds: SearchKind[];
      page: number;
      hasMore: boolean;
      truncated: boolean;
      hits: CallerSearchHit[];
    };

export async function searchForCaller(ctx: ActionContext, raw: string, page = 1): Promise<CallerSearchResult> {
  if (ctx.actor.kind !== "staff" || !roleHasPermission(ctx.actor.role, "accounts:search")) {
    throw new PermissionDeniedError();
  }
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) return { kind: "refused", message: parsed.message };

  const result = await searchCustomers(database.sql, parsed.terms, page);
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
  }));
  await recordAuditEvent({
    actor: ctx.actor,
    origin: ctx.origin,
    action: "accounts.search",
    outcome: "SUCCESS",
    targetType: "customer",
    after: describeSearchForAudit(
      parsed,
      result.page,
      hits.map((h) => h.id),
    ),
  });
  return {
    kind: "results",
    query: parsed.query,
    kinds: parsed.kinds,
    page: result.page,
    hasMore: result.hasMore,
    truncated: result.truncated,
    hits,
  };
}
