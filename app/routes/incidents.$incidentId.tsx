// One incident's pages: the live dashboard, the timeline of the response, the case board and the breach report.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import type { IncidentStatus } from "~/generated/prisma/enums";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { findIncident } from "~/incidents/command/figures.server";
import { isLanguage } from "~/i18n/config";
import { fixedT, languageOfMatches, pageTitle } from "~/i18n/fixed-t";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { formatJst } from "~/lib/format";

export const permission: Permission = "incidents:view";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: data
      ? `${data.incident.code} · ${fixedT(languageOfMatches(matches))("appName")}`
      : pageTitle(matches, "command:pageTitle"),
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  try {
    return { incident: await findIncident(params.incidentId ?? "") };
  } catch (error) {
    rethrowForErrorPage(error);
  }
}

export default function IncidentLayout() {
  const { incident } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const tabs = [
    { to: ".", label: t("tabs.dashboard"), end: true },
    { to: "timeline", label: t("tabs.timeline"), end: false },
    { to: "cases", label: t("tabs.cases"), end: false },
    // Agents and compliance follow a notice's delivery from the incident (the page needs incidents:view, as this one).
    { to: `/notifications/incidents/${incident.id}`, label: t("tabs.notices"), end: false },
    { to: "report", label: t("tabs.report"), end: false },
  ];
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm">
          <Link className="underline" to="/incidents">
            {t("back")}
          </Link>
        </p>
        <h1 className="text-2xl font-bold">
          {incident.code} · {incident.title}
        </h1>
        <p className="text-sm text-slate-600">
          {incident.summary} · {t("opened", { at: formatJst(incident.openedAt, language) })} ·{" "}
          {t(`incidentStatus.${incident.status as IncidentStatus}`)}
        </p>
      </div>
      <nav aria-label={t("tabs.label")} className="flex gap-1 border-b border-slate-200 text-sm">
        {tabs.map((tab) => (
          <NavLink
            key={tab.to}
            to={tab.to}
            end={tab.end}
            className={({ isActive }) =>
              `-mb-px border-b-2 px-3 py-2 ${isActive ? "border-slate-900 font-semibold" : "border-transparent text-slate-600"}`
            }
          >
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
