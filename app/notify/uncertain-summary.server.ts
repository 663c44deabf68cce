// Mail in doubt (status UNCERTAIN: the worker stopped mid-transaction, so the message may have been delivered) grouped
// by incident, for the dashboard: nobody resends these automatically, so someone has to see them.
import { prisma } from "~/db.server";

export interface UncertainMailGroup {
  incidentId: string | null;
  incidentCode: string | null;
  count: number;
  oldest: Date;
}

export async function summariseUncertainMail(): Promise<{ total: number; groups: UncertainMailGroup[] }> {
  const grouped = await prisma.outboundMessage.groupBy({
    by: ["incidentId"],
    where: { status: "UNCERTAIN" },
    _count: { _all: true },
    _min: { updatedAt: true },
  });
  const incidents = await prisma.incident.findMany({
    where: { id: { in: grouped.flatMap((g) => (g.incidentId ? [g.incidentId] : [])) } },
    select: { id: true, code: true },
  });
  const codes = new Map(incidents.map((i) => [i.id, i.code]));
  const groups = grouped
    .map((g) => ({
      incidentId: g.incidentId,
      incidentCode: g.incidentId ? (codes.get(g.incidentId) ?? null) : null,
      count: g._count._all,
      oldest: g._min.updatedAt ?? new Date(0),
    }))
    .sort((a, b) => a.oldest.getTime() - b.oldest.getTime());
  return { total: groups.reduce((n, g) => n + g.count, 0), groups };
}
