// The HTTP side of the export resource routes: validate the query, pin the export to a chain head, audit the export
// (PCI DSS 10.2.1.3) and answer with a streamed download. Bad input is a 400 with a plain message, never a 500.
import { database } from "~/db.server";
import { beyondTheEnd, parseAuditFilter, parseSeqParam } from "~/audit/audit-filter";
import { translateAuditFilterProblem } from "~/audit/audit-filter-messages.server";
import { recordAuditAccess } from "~/audit/audit-access.server";
import {
  buildCsvManifest,
  describeFilter,
  exportFileName,
  streamAuditExport,
  type ExportFormat,
  type ExportRequest,
} from "~/audit/audit-export.server";
import { readHeadSeq, resolveAuditFilter } from "~/audit/audit-search.server";
import type { StaffContext } from "~/auth/guard.server";
import { now } from "~/lib/clock.server";
import { takeAuditExport } from "~/auth/read-budget.server";
import { translateDomainError } from "~/i18n/translate.server";
import { DomainError, isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";

const CONTENT_TYPES: Record<ExportFormat | "csv-manifest", string> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
  "csv-manifest": "application/json; charset=utf-8",
};

function badRequest(message: string, status = 400): Response {
  return new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

async function prepareExport(
  ctx: StaffContext,
  request: Request,
  format: ExportFormat | "csv-manifest",
): Promise<{ exportRequest: ExportRequest } | { response: Response }> {
  const url = new URL(request.url);
  const parsed = parseAuditFilter(url.searchParams, { extraKeys: ["through"] });
  const say = (problem: string) => translateAuditFilterProblem(ctx.staff.language, problem);
  if (!parsed.ok) return { response: badRequest(parsed.errors.map(say).join("\n")) };
  const head = await readHeadSeq(database.sql);
  let throughSeq = head;
  if (parsed.values.through) {
    const through = parseSeqParam(parsed.values.through, "through");
    if ("error" in through) return { response: badRequest(say(through.error)) };
    if (head === null || through.seq > head) return { response: badRequest(say(beyondTheEnd(through.seq, head))) };
    throughSeq = through.seq;
  }
  let filter;
  try {
    filter = await resolveAuditFilter(database.sql, parsed.filter);
  } catch (error) {
    if (isDomainError(error)) {
      return { response: badRequest(translateDomainError(ctx.staff.language, error), error.status) };
    }
    throw error;
  }
  // Counted once the export would run (bad input is not): each streams the trail from the database, and a stolen
  // session must not run them back to back.
  const allowance = takeAuditExport(ctx.staff.id);
  if (!allowance.ok) {
    await recordAuditAccess(ctx, {
      action: "audit.export",
      outcome: "DENIED",
      details: { format, reason: "export budget", retryAt: allowance.retryAt.toISOString() },
    });
    const refusal = new DomainError(
      "STAFF_EXPORT_RATE_LIMITED",
      `Too many audit exports in a short time. Try again after ${formatJst(allowance.retryAt)}.`,
      429,
      { time: formatJst(allowance.retryAt) },
    );
    return { response: badRequest(translateDomainError(ctx.staff.language, refusal), 429) };
  }
  return {
    exportRequest: {
      format: format === "csv-manifest" ? "csv" : format,
      filter,
      throughSeq,
      exportedBy: { actorId: ctx.staff.id, role: ctx.staff.role },
      exportedAt: now(),
    },
  };
}

function downloadHeaders(kind: ExportFormat | "csv-manifest", throughSeq: bigint | null): HeadersInit {
  return {
    "Content-Type": CONTENT_TYPES[kind],
    "Content-Disposition": `attachment; filename="${exportFileName(kind, throughSeq)}"`,
    "Cache-Control": "no-store",
    "X-Firebreak-Audit-Through": throughSeq?.toString() ?? "0",
  };
}

/** GET /audit/export.csv and /audit/export.jsonl. */
export async function exportResponse(ctx: StaffContext, request: Request, format: ExportFormat): Promise<Response> {
  const prepared = await prepareExport(ctx, request, format);
  if ("response" in prepared) return prepared.response;
  const { exportRequest } = prepared;
  await recordAuditAccess(ctx, {
    action: "audit.export",
    details: { format, filter: describeFilter(exportRequest.filter), throughSeq: exportRequest.throughSeq?.toString() },
  });
  return new Response(streamAuditExport(database.sql, exportRequest), {
    headers: downloadHeaders(format, exportRequest.throughSeq),
  });
}

/** GET /audit/export.csv.manifest.json: the CSV's manifest (same filter and through as the CSV it describes). */
export async function csvManifestResponse(ctx: StaffContext, request: Request): Promise<Response> {
  const prepared = await prepareExport(ctx, request, "csv-manifest");
  if ("response" in prepared) return prepared.response;
  const { exportRequest } = prepared;
  await recordAuditAccess(ctx, {
    action: "audit.export",
    details: {
      format: "csv-manifest",
      filter: describeFilter(exportRequest.filter),
      throughSeq: exportRequest.throughSeq?.toString(),
    },
  });
  const signed = await buildCsvManifest(database.sql, exportRequest);
  const body = `${JSON.stringify({ ...signed.manifest, signature: signed.signature }, null, 2)}\n`;
  return new Response(body, { headers: downloadHeaders("csv-manifest", exportRequest.throughSeq) });
}
