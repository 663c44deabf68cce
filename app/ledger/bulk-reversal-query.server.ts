// What the bulk-reversal page's query asks for, read into the domain's parameters: the scope (an incident's cases, a
// saved cohort, or listed customer IDs), the window of charges typed in JST, the reason and the note. The form's
// defaults come from here too (the newest incident's opening, or a cohort's own window), so the route only guards,
// parses and renders.
import { z } from "zod";
import { now } from "~/lib/clock.server";
import { formText } from "~/lib/form-text";
import { readJstDateTime, toJstDateTimeLocal } from "~/lib/jst-date-time";
import { isUuid } from "~/lib/uuid";
import type { translatorFor } from "~/i18n/i18next.server";
import { incidentOpenedAt, loadBulkReversalChoices, loadBulkReversalCohort } from "~/ledger/bulk-reversal-form.server";
import type { BulkReversalParams } from "~/ledger/bulk-reversal-plan.server";
import { MAX_LISTED_CUSTOMERS, type BulkScope } from "~/ledger/bulk-reversal-scope.server";

const CohortWindow = z.object({ from: z.coerce.date(), to: z.coerce.date() });

export const BulkReversalQueryFields = z.object({
  scope: z.enum(["incident", "cohort", "customers"]).default("incident"),
  incidentId: z.string().max(64).optional(),
  cohortId: z.string().max(64).optional(),
  customers: z.string().max(200_000).optional(),
  since: z.string().max(40).optional(),
  until: z.string().max(40).optional(),
  reasonCode: z.string().max(40).default("FRAUDULENT"),
  note: formText({ max: 1000, multiline: true }).optional(),
});
export type BulkReversalQuery = z.infer<typeof BulkReversalQueryFields>;

type Translate = ReturnType<typeof translatorFor<"reversals">>;

/** The choices of the form and its values: the query as typed over the defaults (a cohort's window when one is named). */
export async function bulkReversalForm(query: Partial<BulkReversalQuery> | null) {
  const choices = await loadBulkReversalChoices();
  const { incidents } = choices;
  const defaults: BulkReversalQuery = {
    scope: "incident",
    incidentId: incidents[0]?.id,
    since: incidents[0] ? toJstDateTimeLocal(incidents[0].openedAt) : undefined,
    until: toJstDateTimeLocal(now()),
    reasonCode: "FRAUDULENT",
  };
  // Arriving from a cohort's page: that cohort in the list, and its window (the one its members were found in), not
  // "incident start → now": a victim's own top-ups after the attack must not be swept in.
  const cohortId = query?.scope === "cohort" && isUuid(query.cohortId) ? query.cohortId : null;
  if (cohortId) {
    const chosen = await loadBulkReversalCohort(cohortId);
    if (chosen && !choices.cohorts.some((c) => c.id === chosen.id)) {
      choices.cohorts = [{ id: chosen.id, name: chosen.name, memberCount: chosen.memberCount }, ...choices.cohorts];
    }
    const window = chosen ? CohortWindow.safeParse((chosen.definition as { window?: unknown }).window) : null;
    if (window?.success) {
      defaults.since = toJstDateTimeLocal(window.data.from);
      defaults.until = toJstDateTimeLocal(window.data.to);
    } else if (chosen?.incident) defaults.since = toJstDateTimeLocal(chosen.incident.openedAt);
  }
  return { ...choices, query: { ...defaults, ...query } satisfies BulkReversalQuery };
}

/** The page's query for these parameters (the inverse of bulkReversalParams): a link back to the same dry run. */
export function bulkReversalQueryOf(params: BulkReversalParams): string {
  const query = new URLSearchParams({ run: "1", scope: params.scope.kind });
  if (params.scope.kind === "incident") query.set("incidentId", params.scope.incidentId);
  else if (params.scope.kind === "cohort") query.set("cohortId", params.scope.cohortId);
  else query.set("customers", params.scope.customerIds.join("\n"));
  query.set("since", toJstDateTimeLocal(new Date(params.since)));
  query.set("until", toJstDateTimeLocal(new Date(params.until)));
  query.set("reasonCode", params.reasonCode);
  if (params.note) query.set("note", params.note);
  return query.toString();
}

/** A typed window bound: empty is "not given"; anything else must be a JST date and time on the calendar. */
function windowBound(value: string | undefined): { date: Date | null } | { invalid: string } {
  if (!value?.trim()) return { date: null };
  const reading = readJstDateTime(value);
  return "date" in reading ? { date: reading.date } : { invalid: value };
}

/** The query as the domain's parameters, or the message that says what is missing or wrong. */
export async function bulkReversalParams(
  query: BulkReversalQuery,
  t: Translate,
): Promise<{ params: BulkReversalParams } | { error: string }> {
  let scope: BulkScope;
  let opened: Date | null = null;
  if (query.scope === "incident") {
    if (!isUuid(query.incidentId)) return { error: t("bulk.chooseIncident") };
    scope = { kind: "incident", incidentId: query.incidentId };
    opened = await incidentOpenedAt(query.incidentId);
  } else if (query.scope === "cohort") {
    if (!isUuid(query.cohortId)) return { error: t("bulk.chooseCohort") };
    scope = { kind: "cohort", cohortId: query.cohortId };
  } else {
    const tokens = (query.customers ?? "").split(/[\s,]+/).filter(Boolean);
    const bad = tokens.filter((token) => !isUuid(token));
    if (tokens.length === 0) return { error: t("bulk.listOne") };
    if (bad.length > 0)
      return { error: t("bulk.notIds", { ids: `${bad.slice(0, 3).join(", ")}${bad.length > 3 ? "…" : ""}` }) };
    if (tokens.length > MAX_LISTED_CUSTOMERS) return { error: t("bulk.tooMany", { max: MAX_LISTED_CUSTOMERS }) };
    scope = { kind: "customers", customerIds: tokens };
  }
  // 31 February is refused, never rolled over into March: a wrong window would reverse the wrong charges.
  const from = windowBound(query.since);
  if ("invalid" in from) return { error: t("bulk.badDate", { value: from.invalid }) };
  const to = windowBound(query.until);
  if ("invalid" in to) return { error: t("bulk.badDate", { value: to.invalid }) };
  const since = from.date ?? opened;
  const until = to.date ?? now();
  if (!since) return { error: t("bulk.giveStart") };
  return {
    params: {
      scope,
      since: since.toISOString(),
      until: until.toISOString(),
      reasonCode: query.reasonCode,
      note: query.note?.trim() || null,
    },
  };
}
