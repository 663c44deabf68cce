// Reading saved cohorts. This is the API the bulk actions (reversals, forced resets, notices) build on:
//
//   const { cohort, members } = await getCohortMembers(cohortId, { db: tx });
//
// A saved cohort is an immutable snapshot (append-only tables): the same id always yields the same members, so a bulk
// action that resumes after a crash, or an auditor reading it a year later, sees exactly whom it covered.
import { prisma, type DbTx } from "~/db.server";
import { DomainError } from "~/lib/domain-error";
import type { SignalReason } from "~/incidents/cohorts/signals.server";
import { isUuid } from "~/lib/uuid";

/** Page size of the member list in the console. */
export const MEMBER_PAGE_SIZE = 100;

type Reader = Pick<DbTx, "cohort" | "cohortMember" | "$queryRaw">;

export interface CohortSummary {
  id: string;
  name: string;
  incidentId: string | null;
  incidentCode: string | null;
  /** The filters that produced it (CohortDefinitionSchema, dates as ISO strings). */
  definition: unknown;
  memberCount: number;
  createdById: string;
  createdAt: Date;
}

export interface CohortMember {
  customerId: string;
  displayId: string;
  /** The account's status now (not at save time). */
  status: string;
  riskScore: number;
}

export interface CohortMemberDetail extends CohortMember {
  name: string;
  reasons: SignalReason[];
}

export class CohortNotFoundError extends DomainError {
  constructor() {
    super("COHORT_NOT_FOUND", "There is no such saved cohort.", 404);
    this.name = "CohortNotFoundError";
  }
}

/** The cohort's header, or CohortNotFoundError (also for ids that are not UUIDs). */
export async function getCohort(cohortId: string, db: Reader = prisma): Promise<CohortSummary> {
  if (!isUuid(cohortId)) throw new CohortNotFoundError();
  const cohort = await db.cohort.findUnique({
    where: { id: cohortId },
    include: { incident: { select: { code: true } } },
  });
  if (!cohort) throw new CohortNotFoundError();
  return {
    id: cohort.id,
    name: cohort.name,
    incidentId: cohort.incidentId,
    incidentCode: cohort.incident?.code ?? null,
    definition: cohort.definition,
    memberCount: cohort.memberCount,
    createdById: cohort.createdById,
    createdAt: cohort.createdAt,
  };
}

/**
 * Every member of a saved cohort, ordered by customer id (a stable order to batch on), with the account's current
 * status and its risk score at save time. Pass `db: tx` to read inside your own transaction.
 */
export async function getCohortMembers(
  cohortId: string,
  options: { db?: Reader } = {},
): Promise<{ cohort: CohortSummary; members: CohortMember[] }> {
  const db = options.db ?? prisma;
  const cohort = await getCohort(cohortId, db);
  const members = await db.$queryRaw<{ customer_id: string; display_id: string; status: string; risk_score: number }[]>`
    SELECT m.customer_id::text AS customer_id, c.display_id, c.status::text AS status, m.risk_score
      FROM cohort_member m JOIN customer c ON c.id = m.customer_id
     WHERE m.cohort_id = ${cohort.id}::uuid
     ORDER BY m.customer_id`;
  return {
    cohort,
    members: members.map((m) => ({
      customerId: m.customer_id,
      displayId: m.display_id,
      status: m.status,
      riskScore: Number(m.risk_score),
    })),
  };
}

/** Just the customer ids, ordered: what most bulk actions need. */
export async function getCohortMemberIds(cohortId: string, options: { db?: Reader } = {}): Promise<string[]> {
  return (await getCohortMembers(cohortId, options)).members.map((m) => m.customerId);
}

/** One page of members for the console, highest score first, with names and reasons. */
export async function pageCohortMembers(
  cohortId: string,
  page: number,
  db: Reader = prisma,
): Promise<{ cohort: CohortSummary; members: CohortMemberDetail[]; page: number; pages: number }> {
  const cohort = await getCohort(cohortId, db);
  const pages = Math.max(1, Math.ceil(cohort.memberCount / MEMBER_PAGE_SIZE));
  const safePage = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const rows = await db.$queryRaw<
    { customer_id: string; display_id: string; name: string; status: string; risk_score: number; reasons: unknown }[]
  >`
    SELECT m.customer_id::text AS customer_id, c.display_id, c.name, c.status::text AS status, m.risk_score, m.reasons
      FROM cohort_member m JOIN customer c ON c.id = m.customer_id
     WHERE m.cohort_id = ${cohort.id}::uuid
     ORDER BY m.risk_score DESC, c.display_id
     OFFSET ${(safePage - 1) * MEMBER_PAGE_SIZE} LIMIT ${MEMBER_PAGE_SIZE}`;
  return {
    cohort,
    page: safePage,
    pages,
    members: rows.map((r) => ({
      customerId: r.customer_id,
      displayId: r.display_id,
      name: r.name,
      status: r.status,
      riskScore: Number(r.risk_score),
      reasons: (Array.isArray(r.reasons) ? r.reasons : []) as SignalReason[],
    })),
  };
}

export interface CohortListItem {
  id: string;
  name: string;
  incidentCode: string | null;
  memberCount: number;
  createdAt: Date;
  createdByName: string | null;
}

/** Saved cohorts, newest first; optionally those of one incident. */
export async function listCohorts(options: { incidentId?: string; limit?: number } = {}): Promise<CohortListItem[]> {
  const rows = await prisma.cohort.findMany({
    where: options.incidentId ? { incidentId: options.incidentId } : {},
    orderBy: { createdAt: "desc" },
    take: Math.min(options.limit ?? 100, 500),
    include: { incident: { select: { code: true } } },
  });
  const staff = await prisma.staffUser.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } },
    select: { id: true, displayName: true },
  });
  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    incidentCode: r.incident?.code ?? null,
    memberCount: r.memberCount,
    createdAt: r.createdAt,
    createdByName: names.get(r.createdById) ?? null,
  }));
}
