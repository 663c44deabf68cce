// A saved cohort as the console shows it: header, the filters in words, one page of members with their reasons.
// Audited as an access to customer data (cohort.view).
import type { ActionContext } from "~/audit/perform-action.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { pageCohortMembers } from "~/incidents/cohorts/cohort-members.server";
import { builderQuery } from "~/incidents/cohorts/builder-params";
import { CohortDefinitionSchema, SIGNAL_KEYS } from "~/incidents/cohorts/definition";
import type { Language } from "~/i18n/config";
import { fixedT } from "~/i18n/fixed-t";
import { formatJst, formatYen } from "~/lib/format";
import { toJstDateTimeLocal } from "~/lib/jst-date-time";

/** The filters of a saved definition, one line each in the reader's language; null when the JSON no longer parses. */
export function describeDefinition(
  stored: unknown,
  language?: Language,
): { lines: string[]; builderQuery: string | null } {
  const t = fixedT(language, "cohorts");
  const parsed = CohortDefinitionSchema.safeParse(stored);
  if (!parsed.success) return { lines: [t("detail.filterLine.unreadable")], builderQuery: null };
  const d = parsed.data;
  const s = d.signals;
  const lines = [
    t("detail.filterLine.window", { from: formatJst(d.window.from, language), to: formatJst(d.window.to, language) }),
  ];
  const selected = SIGNAL_KEYS.filter((key) => s[key].enabled).map((key) => {
    const label = t(`builder.signal.${key}`);
    if (key === "foreignSignIn") return t("detail.filterLine.home", { label, country: s.foreignSignIn.homeCountry });
    if (key === "sharedDevice") return t("detail.filterLine.atLeast", { label, n: s.sharedDevice.minAccounts });
    if (key === "sharedIp") return t("detail.filterLine.atLeast", { label, n: s.sharedIp.minAccounts });
    if (key === "topUpThenResellable") {
      const { withinHours, minYen } = s.topUpThenResellable;
      return t("detail.filterLine.topUp", { label, hours: withinHours, yen: formatYen(minYen, language) });
    }
    if (key === "contactChangeBeforeTopUp") {
      return t("detail.filterLine.within", { label, hours: s.contactChangeBeforeTopUp.withinHours });
    }
    return label;
  });
  if (selected.length > 0) {
    const list = selected.join(t("detail.filterLine.separator"));
    lines.push(t(d.match === "all" ? "detail.filterLine.every" : "detail.filterLine.any", { list }));
  }
  if (d.storeIds.length > 0) lines.push(t("detail.filterLine.stores", { n: d.storeIds.length }));
  if (d.minScore > 0) lines.push(t("detail.filterLine.minScore", { n: d.minScore }));
  const query = builderQuery({
    from: toJstDateTimeLocal(d.window.from),
    to: toJstDateTimeLocal(d.window.to),
    match: d.match,
    minScore: String(d.minScore),
    newDevice: s.newDevice.enabled,
    foreignSignIn: s.foreignSignIn.enabled,
    homeCountry: s.foreignSignIn.homeCountry,
    sharedDevice: s.sharedDevice.enabled,
    sharedDeviceMin: String(s.sharedDevice.minAccounts),
    sharedIp: s.sharedIp.enabled,
    sharedIpMin: String(s.sharedIp.minAccounts),
    topUpThenResellable: s.topUpThenResellable.enabled,
    topUpHours: String(s.topUpThenResellable.withinHours),
    topUpMinYen: String(s.topUpThenResellable.minYen),
    contactChangeBeforeTopUp: s.contactChangeBeforeTopUp.enabled,
    contactHours: String(s.contactChangeBeforeTopUp.withinHours),
    storeIds: d.storeIds,
  });
  return { lines, builderQuery: query };
}

export async function viewCohort(ctx: ActionContext, cohortId: string, page: number, language?: Language) {
  const result = await pageCohortMembers(cohortId, page);
  await recordAuditEvent({
    actor: ctx.actor,
    origin: ctx.origin,
    action: "cohort.view",
    outcome: "SUCCESS",
    targetType: "cohort",
    targetId: result.cohort.id,
    incidentId: result.cohort.incidentId,
    after: { page: result.page, shownCustomerIds: result.members.map((m) => m.customerId) },
  });
  return { ...result, filters: describeDefinition(result.cohort.definition, language) };
}
