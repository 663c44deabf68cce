// Incidents and how far their cases have come (open → contained → remediated → notified → closed).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { CASE_FLOW } from "~/incidents/case-flow";
import { listIncidentsWithCases } from "~/incidents/cases-queries.server";
import { pageTitle } from "~/i18n/fixed-t";
import { formatCount, formatJst } from "~/lib/format";

export const permission: Permission = "incidents:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "incidents:list.pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  return { incidents: await listIncidentsWithCases() };
}

export default function Incidents() {
  const { incidents } = useLoaderData<typeof loader>();
  const { t } = useTranslation("incidents");
  const language = usePageLanguage();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("list.title")}</h1>
      {incidents.length === 0 ? <p className="card text-sm text-slate-600">{t("list.none")}</p> : null}
      {incidents.map((incident) => (
        <section key={incident.id} className="card space-y-2" data-testid="incident">
          <div className="flex flex-wrap items-baseline gap-3">
            <Link className="text-lg font-semibold underline" to={`/incidents/${incident.id}`}>
              {incident.code}
            </Link>
            <span>{incident.title}</span>
            <span className="text-xs text-slate-500">
              {t("list.opened", {
                at: formatJst(incident.openedAt, language),
                status: t(`list.status.${incident.status}`),
              })}
            </span>
          </div>
          <ul className="flex flex-wrap gap-4 text-sm">
            {CASE_FLOW.map((status) => (
              <li key={status}>
                <Link className="underline" to={`/incidents/${incident.id}/cases?status=${status}`}>
                  {t(`cases.status.${status}`)}
                </Link>
                : {formatCount(incident.byStatus[status], language)}
              </li>
            ))}
            <li className="text-slate-500">{t("list.total", { total: formatCount(incident.total, language) })}</li>
          </ul>
        </section>
      ))}
    </div>
  );
}
