// What the bulk-reversal page reads to build its form (read-only): the incidents and cohorts a scope can name, the
// reason codes, and the dates that pre-fill the window.
import { prisma } from "~/db.server";

/** The choices of the scope and reason fields: incidents newest first, the 100 newest cohorts, reasons in order. */
export async function loadBulkReversalChoices() {
  const [incidents, cohorts, reasons] = await Promise.all([
    prisma.incident.findMany({
      orderBy: { openedAt: "desc" },
      select: { id: true, code: true, title: true, openedAt: true },
    }),
    prisma.cohort.findMany({
      orderBy: { createdAt: "desc" },
      take: 100,
      select: { id: true, name: true, memberCount: true },
    }),
    prisma.reversalReason.findMany({ orderBy: { sortOrder: "asc" } }),
  ]);
  return { incidents, cohorts, reasons: reasons.map((r) => ({ code: r.code, label: r.label })) };
}

/** When an incident opened: the default start of a window scoped to it. */
export async function incidentOpenedAt(incidentId: string): Promise<Date | null> {
  const incident = await prisma.incident.findUnique({ where: { id: incidentId }, select: { openedAt: true } });
  return incident?.openedAt ?? null;
}

/** A cohort the page was opened from, with the window its members were found in and its incident's opening. */
export async function loadBulkReversalCohort(cohortId: string) {
  return prisma.cohort.findUnique({
    where: { id: cohortId },
    select: { id: true, name: true, memberCount: true, definition: true, incident: { select: { openedAt: true } } },
  });
}
