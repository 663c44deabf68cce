// GET /reports/breach/<id>/export?format=pdf|html&lang=ja|en: one version of a breach report as a PDF (printed by
// Chromium on the server) or as a printable standalone page. Audited, with the SHA-256 of what was handed out.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { exportReport } from "~/incidents/breach-report/export.server";
import { translateDomainError, translateMessage } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";

export const permission: Permission = "breach-report:manage";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission, { refuseCrossSite: true });
  const url = new URL(request.url);
  const format = url.searchParams.get("format") ?? "pdf";
  const language = url.searchParams.get("lang") ?? "ja";
  if ((format !== "pdf" && format !== "html") || (language !== "ja" && language !== "en")) {
    return new Response(translateMessage(ctx.staff.language, "command:reports.exportChoice"), {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  try {
    const file = await exportReport(ctx, { reportId: params.reportId ?? "", language, format, baseUrl: url.origin });
    return new Response(new Uint8Array(file.body), {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `${format === "pdf" ? "attachment" : "inline"}; filename="${file.fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (isDomainError(error)) {
      return new Response(translateDomainError(ctx.staff.language, error), {
        status: error.status,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    throw error;
  }
}
