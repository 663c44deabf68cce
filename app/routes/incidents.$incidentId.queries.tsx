// The queries behind the breach report's figures, each with its value now: the report links every figure here.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { FIGURE_QUERIES } from "~/incidents/breach-report/figure-queries";
import { formatFigure } from "~/incidents/breach-report/report-document";
import { computeReportFigures } from "~/incidents/breach-report/report-figures.server";
import { findIncident } from "~/incidents/command/figures.server";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { isLanguage } from "~/i18n/config";
import { formatJst } from "~/lib/format";

export const permission: Permission = "incidents:view";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  try {
    const incident = await findIncident(params.incidentId ?? "");
    return {
      incident: { id: incident.id, openedAt: incident.openedAt.toISOString() },
      figures: await computeReportFigures(incident),
    };
  } catch (error) {
    rethrowForErrorPage(error);
  }
}

export default function FigureQueries() {
  const { incident, figures } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <section className="card space-y-4">
      <p className="text-sm text-slate-600">
        {t("reports.queriesIntro", {
          id: incident.id,
          openedAt: formatJst(incident.openedAt, language),
          computedAt: formatJst(figures.computedAt, language),
        })}
      </p>
      {FIGURE_QUERIES.map((q) => (
        <article key={q.key} id={q.key} className="space-y-1">
          <h2 className="font-semibold">
            {language === "en" ? q.en : q.ja}:{" "}
            <span className="tabular-nums" data-testid={`query-value-${q.key}`}>
              {formatFigure(q.unit, figures.values[q.key] ?? null)}
            </span>
          </h2>
          <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">{q.sql}</pre>
        </article>
      ))}
    </section>
  );
}
