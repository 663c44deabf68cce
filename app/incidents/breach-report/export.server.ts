// Exporting a breach report (PDF or printable HTML) is audited: who took which version, in which language, and the
// SHA-256 of what they took away.
import { createHash } from "node:crypto";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import type { ReportLanguage } from "~/incidents/breach-report/items";
import { renderReportHtml, renderReportPdf } from "~/incidents/breach-report/pdf.server";
import { loadReport } from "~/incidents/breach-report/reports.server";

export async function exportReport(
  ctx: ActionContext,
  input: { reportId: string; language: ReportLanguage; format: "pdf" | "html"; baseUrl: string },
): Promise<{ body: Buffer; fileName: string; contentType: string }> {
  const report = await loadReport(input.reportId);
  const html = renderReportHtml(report, input.language, input.baseUrl);
  // Printed before the audit row's transaction: Chromium takes a second or two, and no transaction waits for it.
  // A failed print is audited as FAILED by the spine (it throws inside the change).
  let body: Buffer | null = null;
  let failure: unknown = null;
  try {
    body = input.format === "pdf" ? await renderReportPdf(html) : Buffer.from(html, "utf8");
  } catch (error) {
    failure = error;
  }
  const fileName = `${report.incidentCode}-${report.kind.toLowerCase()}-v${report.version}-${input.language}.${input.format}`;
  return performAction(
    ctx,
    {
      action: "breach-report.export",
      permission: "breach-report:manage",
      targetType: "breach_report",
      targetId: report.id,
      incidentId: report.incidentId,
    },
    async () => {
      if (!body) throw failure;
      return {
        result: {
          body,
          fileName,
          contentType: input.format === "pdf" ? "application/pdf" : "text/html; charset=utf-8",
        },
        after: {
          version: report.version,
          kind: report.kind,
          language: input.language,
          format: input.format,
          bytes: body.length,
          sha256: createHash("sha256").update(body).digest("hex"),
        },
      };
    },
  );
}
