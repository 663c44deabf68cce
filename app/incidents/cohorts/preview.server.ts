// The builder's preview: the signal search run with the lead's filters, read-only, the top of the list shown. Like any
// read of customer data it is audited (cohort.preview, with the filters and how many accounts matched).
import type { ActionContext } from "~/audit/perform-action.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { roleHasPermission } from "~/auth/permissions";
import { prisma } from "~/db.server";
import { PermissionDeniedError } from "~/lib/domain-error";
import type { CohortDefinition } from "~/incidents/cohorts/definition";
import { serialiseDefinition } from "~/incidents/cohorts/save-cohort.server";
import { findSignalMatches, type SignalSearchResult } from "~/incidents/cohorts/signals.server";

import { PREVIEW_LIMIT } from "~/incidents/cohorts/definition";

export { PREVIEW_LIMIT };
const PREVIEW_TIMEOUT_MS = 60_000;

export async function previewCohort(ctx: ActionContext, definition: CohortDefinition): Promise<SignalSearchResult> {
  if (ctx.actor.kind !== "staff" || !roleHasPermission(ctx.actor.role, "cohorts:build")) {
    throw new PermissionDeniedError();
  }
  const result = await prisma.$transaction((tx) => findSignalMatches(tx, definition, PREVIEW_LIMIT), {
    timeout: PREVIEW_TIMEOUT_MS,
    maxWait: PREVIEW_TIMEOUT_MS,
  });
  await recordAuditEvent({
    actor: ctx.actor,
    origin: ctx.origin,
    action: "cohort.preview",
    outcome: "SUCCESS",
    targetType: "customer",
    after: {
      definition: serialiseDefinition(definition),
      total: result.total,
      shownCustomerIds: result.matches.map((m) => m.customerId),
    },
  });
  return result;
}

export async function listStores(): Promise<{ id: string; code: string; name: string; area: string }[]> {
  return prisma.store.findMany({ orderBy: { code: "asc" }, select: { id: true, code: true, name: true, area: true } });
}

/** The incidents a cohort can be saved to, newest first. */
export async function listIncidentsForCohorts(): Promise<
  { id: string; code: string; title: string; openedAt: Date }[]
> {
  return prisma.incident.findMany({
    orderBy: { openedAt: "desc" },
    select: { id: true, code: true, title: true, openedAt: true },
    take: 50,
  });
}
