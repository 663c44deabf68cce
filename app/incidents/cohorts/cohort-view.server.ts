// A saved cohort as the console shows it: header, the filters in words, one page of members with their reasons.
// Audited as an access to customer data (cohort.view).
import type { ActionContext } from "~/audit/perform-action.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { pageCohortMembers } from "~/incidents/cohorts/cohort-members.server";
import { builderQuery, toJstLocal } from "~/incidents/cohorts/builder-params";
import { CohortDefinitionSchema, SIGNAL_KEYS, SIGNAL_LABELS } from "~/incidents/cohorts/definition";
import { formatJst } from "~/lib/format";

/** The filters of a saved definition, one line each; null when the stored JSON no longer parses. */
export function describeDefinition(stored: unknown): { lines: string[]; builderQuery: string | null } {
  const parsed = CohortDefinitionSchema.safeParse(stored);
  if (!parsed.success) return { lines: ["(filters saved by an older version)"], builderQuery: null };
  const d = parsed.data;
  const s = d.signals;
  const lines = [`Window ${formatJst(d.window.from)} → ${formatJst(d.window.to)}`];
  const selected = SIGNAL_KEYS.filter((key) => s[key].enabled).map((key) => {
    if (key === "foreignSignIn") return `${SIGNAL_LABELS[key]} (home ${s.foreignSignIn.homeCountry})`;
    if (key === "sharedDevice") return `${SIGNAL_LABELS[key]} (≥ ${s.sharedDevice.minAccounts})`;
    if (key === "sharedIp") return `${SIGNAL_LABELS[key]} (≥ ${s.sharedIp.minAccounts})`;
    if (key === "topUpThenResellable") {
      return `${SIGNAL_LABELS[key]} (within ${s.topUpThenResellable.withinHours} h, ≥ ¥${s.topUpThenResellable.minYen.toLocaleString("en-US")})`;
    }
    if (key === "contactChangeBeforeTopUp")
      return `${SIGNAL_LABELS[key]} (within ${s.contactChangeBeforeTopUp.withinHours} h)`;
    return SIGNAL_LABELS[key];
  });
  if (selected.length > 0) lines.push(`${d.match === "all" ? "Every one of" : "Any of"}: ${selected.join("; ")}`);
  if (d.storeIds.length > 0) lines.push(`Bought at ${d.storeIds.length} selected store(s)`);
  if (d.minScore > 0) lines.push(`Risk score at least ${d.minScore}`);
  const query = builderQuery({
    from: toJstLocal(d.window.from),
    to: toJstLocal(d.window.to),
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

export async function viewCohort(ctx: ActionContext, cohortId: string, page: number) {
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
  return { ...result, filters: describeDefinition(result.cohort.definition) };
}
