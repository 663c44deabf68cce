// Whose charges a bulk reversal covers: an incident (every account with a case in it), an explicit list of customer
// IDs, or a saved cohort. Cohorts come from the search capability (issue 5): this is the thin adapter to its member
// list, read from the cohort's immutable snapshot (cohort_member).
import { z } from "zod";
import type { DbTx } from "~/db.server";
import { ReversalError } from "~/ledger/reversal-errors";

export const MAX_LISTED_CUSTOMERS = 5000;

export const BulkScopeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("incident"), incidentId: z.string().uuid() }),
  z.object({ kind: z.literal("customers"), customerIds: z.array(z.string().uuid()).min(1).max(MAX_LISTED_CUSTOMERS) }),
  z.object({ kind: z.literal("cohort"), cohortId: z.string().uuid() }),
]);
export type BulkScope = z.infer<typeof BulkScopeSchema>;

export interface ResolvedScope {
  customerIds: string[];
  /** The incident the scope belongs to, when it has one (an incident scope, a cohort saved under an incident). */
  incidentId: string | null;
  /** When that incident opened: the default start of the window of charges. */
  incidentOpenedAt: Date | null;
  label: string;
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
    return { customerIds: unique, incidentId: null, incidentOpenedAt: null, label: `${unique.length} listed accounts` };
  }
  return resolveCohort(tx, scope.cohortId);
}

async function resolveCohort(tx: DbTx, cohortId: string): Promise<ResolvedScope> {
  // Read through SQL rather than the generated client so this adapter does not depend on the cohort models' shape
  // beyond the two tables' keys; it becomes a call to getCohortMembers(cohortId) once that module is in.
  let cohort: { name: string; incident_id: string | null }[];
  try {
    await tx.$executeRaw`SAVEPOINT bulk_scope_cohort`;
    cohort = await tx.$queryRaw`SELECT name, incident_id FROM cohort WHERE id = ${cohortId}::uuid`;
    await tx.$executeRaw`RELEASE SAVEPOINT bulk_scope_cohort`;
  } catch {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT bulk_scope_cohort`;
    throw new ReversalError(
      "COHORTS_UNAVAILABLE",
      "Cohorts are not available in this version yet: use the incident or a list of customer IDs.",
      422,
    );
  }
  const row = cohort[0];
  if (!row) throw scopeNotFound("cohort");
  const members = await tx.$queryRaw<{ customer_id: string }[]>`
    SELECT customer_id FROM cohort_member WHERE cohort_id = ${cohortId}::uuid ORDER BY customer_id`;
  const incident = row.incident_id ? await incidentOf(tx, row.incident_id) : null;
  return {
    customerIds: members.map((m) => m.customer_id),
    incidentId: incident?.id ?? null,
    incidentOpenedAt: incident?.openedAt ?? null,
    label: `cohort "${row.name}" (${members.length} accounts)`,
  };
}
