// Breach reports: drafting, versioned saving and reading. Every save is a new, append-only version written through
// the audited spine; the figures are recomputed at each save and carry the time they were computed.
import { randomUUID } from "node:crypto";
import type { ActionContext } from "~/audit/perform-action.server";
import { performAction } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import { prisma } from "~/db.server";
import { computeDeadline, type ReportKind } from "~/incidents/breach-report/deadlines";
import { draftItems } from "~/incidents/breach-report/default-items";
import { MAX_ITEM_LENGTH, ReportItemsSchema, type ReportItems } from "~/incidents/breach-report/items";
import { computeReportFigures, type ReportFigures } from "~/incidents/breach-report/report-figures.server";
import { findIncident } from "~/incidents/command/figures.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { isUuid } from "~/lib/uuid";
import { isUniqueViolation } from "~/db/unique-violation";

// Two members saving at the same moment both pass the version check (neither sees the other's uncommitted row); the
// unique (incident, kind, version) index refuses the second, which is then told what the first did, not shown a 500.

function reportExists(kind: ReportKind): DomainError {
  return new DomainError(
    "REPORT_EXISTS",
    `This incident already has a ${kind.toLowerCase()} report: open it and save a new version instead.`,
    409,
    { kind: kind.toLowerCase() },
  );
}

function reportChanged(latest: number | "?", base: number): DomainError {
  return new DomainError(
    "REPORT_CHANGED",
    `Someone saved version ${latest} since you opened version ${base}. Reload and redo your edit.`,
    409,
    { latest, base },
  );
}

export interface BreachReportView {
  id: string;
  incidentId: string;
  incidentCode: string;
  kind: ReportKind;
  version: number;
  learnedAt: string;
  unauthorizedIntent: boolean;
  deadline: string;
  items: ReportItems;
  figures: ReportFigures;
  createdById: string;
  createdAt: string;
  latestVersion: number;
}

function staffIdOf(ctx: ActionContext): string {
  // A report is written by a person: the Commission asks who is responsible for it.
  if (ctx.actor.kind !== "staff") throw new DomainError("STAFF_ONLY", "Only staff write breach reports.", 403);
  return ctx.actor.id;
}

function notFound(): DomainError {
  return new DomainError("REPORT_NOT_FOUND", "There is no such breach report.", 404);
}

export async function draftReport(
  ctx: ActionContext,
  input: { incidentId: string; kind: ReportKind; learnedAt: Date; unauthorizedIntent: boolean },
): Promise<{ id: string }> {
  const incident = await findIncident(input.incidentId);
  if (input.learnedAt.getTime() > now().getTime()) {
    throw new DomainError(
      "LEARNED_IN_FUTURE",
      "The date the company learned of the breach cannot be in the future.",
      400,
    );
  }
  const figures = await computeReportFigures(incident);
  const items = draftItems({
    incidentCode: incident.code,
    incidentTitle: incident.title,
    summary: incident.summary,
    openedAtJst: formatJst(incident.openedAt),
    learnedAtJst: formatJst(input.learnedAt),
    values: figures.values,
  });
  const deadline = computeDeadline(input.kind, input.learnedAt, input.unauthorizedIntent);
  return performAction(
    ctx,
    {
      action: "breach-report.draft",
      permission: "breach-report:manage",
      targetType: "breach_report",
      incidentId: incident.id,
    },
    async (tx) => {
      const existing = await tx.breachReport.findFirst({
        where: { incidentId: incident.id, kind: input.kind },
        select: { id: true },
      });
      if (existing) throw reportExists(input.kind);
      const created = await tx.breachReport
        .create({
          data: {
            incidentId: incident.id,
            kind: input.kind,
            version: 1,
            learnedAt: input.learnedAt,
            unauthorizedIntent: input.unauthorizedIntent,
            deadline,
            items,
            figures: figures as object,
            createdById: staffIdOf(ctx),
            createdAt: now(),
          },
          select: { id: true },
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? reportExists(input.kind) : error;
        });
      return {
        result: created,
        targetId: created.id,
        after: {
          kind: input.kind,
          version: 1,
          learnedAt: input.learnedAt.toISOString(),
          deadline: deadline.toISOString(),
        },
      };
    },
  );
}

/** Saves edited items as the next version. `baseVersion` is the version the editor started from: a stale edit fails. */
export async function saveReportVersion(
  ctx: ActionContext,
  input: {
    reportId: string;
    baseVersion: number;
    items: unknown;
    unauthorizedIntent?: boolean;
    submissionKey?: string;
  },
): Promise<{ id: string; version: number }> {
  const parsed = ReportItemsSchema.safeParse(input.items);
  // The length limit's key (validation:tooLong) is plural: it needs the count.
  if (!parsed.success) {
    throw new DomainError("INVALID_ITEMS", parsed.error.issues[0]!.message, 400, { count: MAX_ITEM_LENGTH });
  }
  const base = await loadReportRow(input.reportId);
  const incident = await findIncident(base.incidentId);
  const figures = await computeReportFigures(incident);
  const unauthorizedIntent = input.unauthorizedIntent ?? base.unauthorizedIntent;
  const deadline = computeDeadline(base.kind, base.learnedAt, unauthorizedIntent);
  return performAction(
    ctx,
    {
      action: "breach-report.save",
      permission: "breach-report:manage",
      targetType: "breach_report",
      targetId: input.reportId,
      incidentId: base.incidentId,
    },
    async (tx) => {
      // Chosen before it is made: a resent save of this rendering is led to the version the first one saved, rather
      // than told that "someone" saved it meanwhile.
      const id = randomUUID();
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: "breach-report.save",
        staffId: staffIdOf(ctx),
        messageKey: "command:report.alreadySaved",
        outcome: id,
      });
      const latest = await tx.breachReport.findFirst({
        where: { incidentId: base.incidentId, kind: base.kind },
        orderBy: { version: "desc" },
        select: { version: true },
      });
      if (!latest || latest.version !== input.baseVersion) {
        throw reportChanged(latest?.version ?? "?", input.baseVersion);
      }
      // The unique (incident, kind, version) index refuses a concurrent save of the same version.
      const created = await tx.breachReport
        .create({
          data: {
            id,
            incidentId: base.incidentId,
            kind: base.kind,
            version: latest.version + 1,
            learnedAt: base.learnedAt,
            unauthorizedIntent,
            deadline,
            items: parsed.data,
            figures: figures as object,
            createdById: staffIdOf(ctx),
            createdAt: now(),
          },
          select: { id: true, version: true },
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? reportChanged(latest.version + 1, input.baseVersion) : error;
        });
      return {
        result: created,
        targetId: created.id,
        before: { version: latest.version },
        after: { version: created.version, unauthorizedIntent, deadline: deadline.toISOString() },
      };
    },
  );
}

async function loadReportRow(reportId: string) {
  if (!isUuid(reportId)) throw notFound();
  const row = await prisma.breachReport.findUnique({ where: { id: reportId } });
  if (!row) throw notFound();
  return row;
}

export async function loadReport(reportId: string): Promise<BreachReportView> {
  const row = await loadReportRow(reportId);
  const [incident, latest] = await Promise.all([
    prisma.incident.findUniqueOrThrow({ where: { id: row.incidentId }, select: { code: true } }),
    prisma.breachReport.aggregate({
      where: { incidentId: row.incidentId, kind: row.kind },
      _max: { version: true },
    }),
  ]);
  return {
    id: row.id,
    incidentId: row.incidentId,
    incidentCode: incident.code,
    kind: row.kind,
    version: row.version,
    learnedAt: row.learnedAt.toISOString(),
    unauthorizedIntent: row.unauthorizedIntent,
    deadline: row.deadline.toISOString(),
    items: ReportItemsSchema.parse(row.items),
    figures: row.figures as unknown as ReportFigures,
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    latestVersion: latest._max.version ?? row.version,
  };
}

export async function listReports(incidentId: string) {
  const rows = await prisma.breachReport.findMany({
    where: { incidentId },
    orderBy: [{ kind: "asc" }, { version: "desc" }],
    select: { id: true, kind: true, version: true, deadline: true, createdAt: true, learnedAt: true },
  });
  return rows.map((r) => ({
    ...r,
    deadline: r.deadline.toISOString(),
    createdAt: r.createdAt.toISOString(),
    learnedAt: r.learnedAt.toISOString(),
  }));
}
