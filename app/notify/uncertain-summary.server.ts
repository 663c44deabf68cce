// Mail in doubt (status UNCERTAIN: the worker stopped mid-transaction, so the message may have been delivered), for the
// dashboard: nobody resends these automatically, so someone has to see them, and each kind has its own remedy.
//   notices     a customer notice without a secret: look it up in the relay's log, resend from the incident's page;
//   secrets     a reset link or recovery code (customer) or a one-time link (staff member): never resent and already
//               blanked (docs/decisions/069-secrets-in-doubt.md); if it did not arrive, a new one is issued;
//   lead mail   a security lead's alert mail: shown with the alerts (~/detect/lead-mail-problems.server).
import { prisma } from "~/db.server";
import { SECRET_TEMPLATES } from "~/notify/templates";

export interface UncertainMailGroup {
  incidentId: string | null;
  incidentCode: string | null;
  count: number;
  oldest: Date;
}

/** Whose secret is in doubt: the account or the staff member a new one is issued from. */
export type UncertainSecret =
  | { kind: "customer"; customerId: string; displayId: string; template: string; since: Date }
  | { kind: "staff"; staffId: string; displayName: string; template: string; since: Date };

export interface UncertainMailSummary {
  /** The notices and secrets below (a lead's alert mail in doubt is counted with the alerts). */
  total: number;
  /** Customer notices without a secret, per incident. */
  groups: UncertainMailGroup[];
  secrets: { count: number; oldestFirst: UncertainSecret[] };
}

/** The secrets listed by name; the count says how many more there are. */
export const SECRETS_LISTED = 20;

export async function summariseUncertainMail(): Promise<UncertainMailSummary> {
  const secretTemplates = [...SECRET_TEMPLATES];
  const [grouped, secretCount, secretRows] = await Promise.all([
    prisma.outboundMessage.groupBy({
      by: ["incidentId"],
      where: { status: "UNCERTAIN", customerId: { not: null }, template: { notIn: secretTemplates } },
      _count: { _all: true },
      _min: { updatedAt: true },
    }),
    prisma.outboundMessage.count({ where: { status: "UNCERTAIN", template: { in: secretTemplates } } }),
    prisma.outboundMessage.findMany({
      where: { status: "UNCERTAIN", template: { in: secretTemplates } },
      orderBy: { updatedAt: "asc" },
      take: SECRETS_LISTED,
      select: {
        template: true,
        updatedAt: true,
        customer: { select: { id: true, displayId: true } },
        staff: { select: { id: true, displayName: true } },
      },
    }),
  ]);
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
  const oldestFirst = secretRows.flatMap((row): UncertainSecret[] => {
    if (row.customer) {
      const { id, displayId } = row.customer;
      return [{ kind: "customer", customerId: id, displayId, template: row.template, since: row.updatedAt }];
    }
    if (row.staff) {
      const { id, displayName } = row.staff;
      return [{ kind: "staff", staffId: id, displayName, template: row.template, since: row.updatedAt }];
    }
    return [];
  });
  const total = groups.reduce((n, g) => n + g.count, secretCount);
  return { total, groups, secrets: { count: secretCount, oldestFirst } };
}
