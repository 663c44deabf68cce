// Runs the breach report's named figure queries for one incident; a test checks the results against the ledger.
import { prisma } from "~/db.server";
import { FIGURE_QUERIES } from "~/incidents/breach-report/figure-queries";
import { now } from "~/lib/clock.server";

export interface ReportFigure {
  key: string;
  value: number | string | null;
}

export interface ReportFigures {
  computedAt: string;
  values: Record<string, number | string | null>;
}

function normalise(value: unknown): number | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return value as number | string;
}

export async function computeReportFigures(incident: { id: string }): Promise<ReportFigures> {
  const computedAt = now().toISOString();
  const values: Record<string, number | string | null> = {};
  for (const query of FIGURE_QUERIES) {
    const rows = await prisma.$queryRawUnsafe<{ value: unknown }[]>(query.sql, incident.id);
    values[query.key] = normalise(rows[0]?.value);
  }
  return { computedAt, values };
}
