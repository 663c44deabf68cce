// Whose charges a bulk reversal covers: an incident (every account with a case in it), an explicit list of customer
// IDs, or a saved cohort. Cohorts come from the search capability: this is the thin adapter to its member
// list (getCohortMembers: the cohort's immutable snapshot, so a resumed job covers exactly the same accounts).
import { z } from "zod";
import type { DbTx } from "~/db.server";
import { getCohortMembers } from "~/incidents/cohorts/cohort-members.server";
import { ReversalError } from "~/ledger/reversal-errors";

export const MAX_LISTED_CUSTOMERS = 5000;

export const BulkScopeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("incident"), incidentId: z.string().uuid() }).strict(),
  z
    .object({ kind: z.literal("customers"), customerIds: z.array(z.string().uuid()).min(1).max(MAX_LISTED_CUSTOMERS) })
    .strict(),
  z.object({ kind: z.literal("cohort"), cohortId: z.string().uuid() }).strict(),
]);
export type BulkScope = z.infer<typeof BulkScopeSchema>;

export interface ResolvedScope {
  customerIds: string[];
  /** The incident the scope belongs to, when it has one (an incident scope, a cohort saved under an incident). */
  incidentId: string | null;
  /** When that incident opened: the default start of the window of charges. */
  incidentOpenedAt: Date | null;
  /** English, for the audit row and the job's report. */
  label: string;
  /** The same words for the page, as a reversals:* key and its parameters (said in the staff member's language). */
  labelKey: { key: string; params: Record<string, string | number> };
}

function scopeNotFound(what: string): ReversalError {
  return new ReversalError("SCOPE_NOT_FOUND", `There is no such ${what}.`, 404);
}

async function incidentOf(tx: DbTx, incidentId: string) {
  return tx.incident.findUnique({ where: { id: incidentId }, select: { id: true, code: true, openedAt: true } });
}

export async function resolveScope(tx: DbTx, scope: BulkScope): Promise<ResolvedScope> {
  if (scope.kind === "incident") {
    const incident = await incidentOf(tx, scope.incidentId);
    if (!incident) throw scopeNotFound("incident");
    const cases = await tx.incidentCase.findMany({
      where: { incidentId: incident.id },
      select: { customerId: true },
      orderBy: { customerId: "asc" },
    });
    return {
      customerIds: cases.map((c) => c.customerId),
      incidentId: incident.id,
      incidentOpenedAt: incident.openedAt,
      label: `every account with a case in ${incident.code}`,
      labelKey: { key: "bulk.scopeLabel.incident", params: { code: incident.code } },
    };
  }
  if (scope.kind === "customers") {
    const unique = [...new Set(scope.customerIds.map((id) => id.toLowerCase()))].sort();
    const found = await tx.customer.findMany({ where: { id: { in: unique } }, select: { id: true } });
    if (found.length !== unique.length) {
      throw new ReversalError(
        "UNKNOWN_CUSTOMERS",
        `${unique.length - found.length} of the listed customer IDs do not exist: check the list.`,
        422,
      );
    }
    return {
      customerIds: unique,
      incidentId: null,
      incidentOpenedAt: null,
      label: `${unique.length} listed accounts`,
      labelKey: { key: "bulk.scopeLabel.listed", params: { n: unique.length } },
    };
  }
  return resolveCohort(tx, scope.cohortId);
}

async function resolveCohort(tx: DbTx, cohortId: string): Promise<ResolvedScope> {
  const { cohort, members } = await getCohortMembers(cohortId, { db: tx });
  const incident = cohort.incidentId ? await incidentOf(tx, cohort.incidentId) : null;
  return {
    customerIds: members.map((m) => m.customerId),
    incidentId: incident?.id ?? null,
    incidentOpenedAt: incident?.openedAt ?? null,
    label: `cohort "${cohort.name}" (${members.length} accounts)`,
    labelKey: { key: "bulk.scopeLabel.cohort", params: { name: cohort.name, n: members.length } },
  };
}
