// Reading incidents and their cases for the case board: counts by status, and a filtered, paged list of cases with the
// account and assignee each one needs to be worked.
import { prisma } from "~/db.server";
import type { CaseStatus } from "~/generated/prisma/enums";
import { CASE_FLOW } from "~/incidents/cases.server";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/uuid";

export const CASES_PAGE_SIZE = 50;

export async function listIncidentsWithCases() {
  const incidents = await prisma.incident.findMany({
    orderBy: { openedAt: "desc" },
    select: { id: true, code: true, title: true, status: true, openedAt: true },
    take: 100,
  });
  const counts = await prisma.incidentCase.groupBy({
    by: ["incidentId", "status"],
    where: { incidentId: { in: incidents.map((i) => i.id) } },
    _count: { _all: true },
  });
  return incidents.map((incident) => {
    const byStatus = Object.fromEntries(CASE_FLOW.map((s) => [s, 0])) as Record<CaseStatus, number>;
    for (const row of counts) if (row.incidentId === incident.id) byStatus[row.status] = row._count._all;
    return { ...incident, byStatus, total: Object.values(byStatus).reduce((a, b) => a + b, 0) };
  });
}

export interface CaseFilter {
  status?: CaseStatus | null;
  /** A staff id, "me" resolved by the caller, or "none" for unassigned cases. */
  assignee?: string | null;
  page?: number;
}

export async function loadCaseBoard(incidentId: string, filter: CaseFilter) {
  if (!isUuid(incidentId)) throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
  const incident = await prisma.incident.findUnique({
    where: { id: incidentId },
    select: { id: true, code: true, title: true, summary: true, status: true, openedAt: true },
  });
  if (!incident) throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
  const where = {
    incidentId,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.assignee === "none"
      ? { assigneeId: null }
      : filter.assignee && isUuid(filter.assignee)
        ? { assigneeId: filter.assignee }
        : {}),
  };
  const [total, counts] = await Promise.all([
    prisma.incidentCase.count({ where }),
    prisma.incidentCase.groupBy({ by: ["status"], where: { incidentId }, _count: { _all: true } }),
  ]);
  const pages = Math.max(1, Math.ceil(total / CASES_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(filter.page ?? 1) || 1), pages);
  const cases = await prisma.incidentCase.findMany({
    where,
    orderBy: [{ openedAt: "asc" }, { id: "asc" }],
    skip: (page - 1) * CASES_PAGE_SIZE,
    take: CASES_PAGE_SIZE,
    select: {
      id: true,
      status: true,
      openedAt: true,
      assigneeId: true,
      customer: { select: { id: true, displayId: true, name: true, status: true } },
    },
  });
  const staffIds = [...new Set(cases.map((c) => c.assigneeId).filter((id): id is string => !!id))];
  const staff = await prisma.staffUser.findMany({
    where: { id: { in: staffIds } },
    select: { id: true, displayName: true },
  });
  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  const byStatus = Object.fromEntries(CASE_FLOW.map((s) => [s, 0])) as Record<CaseStatus, number>;
  for (const row of counts) byStatus[row.status] = row._count._all;
  return {
    incident,
    byStatus,
    total,
    page,
    pages,
    cases: cases.map((c) => ({
      id: c.id,
      status: c.status,
      openedAt: c.openedAt,
      assignee: c.assigneeId ? (names.get(c.assigneeId) ?? "unknown staff") : null,
      customer: c.customer,
    })),
  };
}
