// One incident's pages: the live dashboard, the timeline of the response, the case board and the breach report.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { COMMAND_COPY } from "~/incidents/command/copy";
import { findIncident } from "~/incidents/command/figures.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";

export const permission: Permission = "incidents:view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.incident.code} · Firebreak` : "Incident · Firebreak" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  try {
    return json({ incident: await findIncident(params.incidentId ?? "") });
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export default function IncidentLayout() {
  const { incident } = useLoaderData<typeof loader>();
  const copy = COMMAND_COPY.en;
  const tabs = [
    { to: ".", label: copy.tabs.dashboard, end: true },
    { to: "timeline", label: copy.tabs.timeline, end: false },
    { to: "cases", label: copy.tabs.cases, end: false },
    // Agents and compliance follow a notice's delivery from the incident (the page needs incidents:view, as this one).
    { to: `/notifications/incidents/${incident.id}`, label: copy.tabs.notices, end: false },
    { to: "report", label: copy.tabs.report, end: false },
  ];
  return (
    <div className="space-y-4">
      <div>
        <p className="text-sm">
          <Link className="underline" to="/incidents">
            {copy.back}
          </Link>
        </p>
        <h1 className="text-2xl font-bold">
          {incident.code} · {incident.title}
        </h1>
        <p className="text-sm text-slate-600">
          {incident.summary} · opened {formatJst(incident.openedAt)} · {incident.status.toLowerCase()}
        </p>
      </div>
      <nav aria-label="Incident" className="flex gap-1 border-b border-slate-200 text-sm">
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
