// The figures on the console's home page, straight from the database: how many accounts the incident touched, how
// much was taken from them and how much has been put back.
import { prisma } from "~/db.server";

export interface IncidentFigures {
  incident: { id: string; code: string; title: string; status: string; openedAt: Date } | null;
  victims: number;
  casesByStatus: Record<string, number>;
  stolenYen: number;
  reversedYen: number;
  frozenAccounts: number;
}

export async function loadIncidentFigures(incidentCode?: string): Promise<IncidentFigures> {
  const incident = await prisma.incident.findFirst({
    where: incidentCode ? { code: incidentCode } : {},
    orderBy: { openedAt: "desc" },
    select: { id: true, code: true, title: true, status: true, openedAt: true },
  });
  if (!incident) {
    return { incident: null, victims: 0, casesByStatus: {}, stolenYen: 0, reversedYen: 0, frozenAccounts: 0 };
  }
  const byStatus = await prisma.incidentCase.groupBy({
    by: ["status"],
    where: { incidentId: incident.id },
    _count: { _all: true },
  });
  // Stolen: top-ups into the victims' wallets from the moment the incident began (the attackers' top-ups).
  // Reversed: reversals of those top-ups only (money back on the victims' cards). Reversing a purchase moves money
  // from the store back into the wallet; counting it too would show more "reversed" than was ever stolen.
  const [money] = await prisma.$queryRaw<{ stolen: bigint | null; reversed: bigint | null; frozen: bigint }[]>`
    WITH victims AS (SELECT customer_id FROM incident_case WHERE incident_id = ${incident.id}::uuid)
    SELECT (SELECT SUM(t.amount) FROM ledger_transaction t JOIN victims v ON v.customer_id = t.customer_id
             WHERE t.kind = 'TOP_UP' AND t.occurred_at >= ${incident.openedAt}) AS stolen,
           (SELECT SUM(r.amount) FROM ledger_transaction r JOIN victims v ON v.customer_id = r.customer_id
              JOIN ledger_transaction o ON o.id = r.reverses_id AND o.kind = 'TOP_UP'
             WHERE r.kind = 'REVERSAL' AND o.occurred_at >= ${incident.openedAt}) AS reversed,
           (SELECT COUNT(*) FROM customer c JOIN victims v ON v.customer_id = c.id
             WHERE c.status IN ('FROZEN', 'COMPROMISED')) AS frozen`;
  const casesByStatus: Record<string, number> = Object.fromEntries(
    byStatus.map((row) => [row.status, row._count._all]),
  );
  return {
    incident,
    victims: byStatus.reduce((sum, row) => sum + row._count._all, 0),
    casesByStatus,
    stolenYen: Number(money?.stolen ?? 0),
    reversedYen: Number(money?.reversed ?? 0),
    frozenAccounts: Number(money?.frozen ?? 0),
  };
}
