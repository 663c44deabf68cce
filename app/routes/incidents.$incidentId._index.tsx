// The incident's live dashboard: figures rendered on the server (useful without JavaScript), then kept current over
// Server-Sent Events from the incident's shared feed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEventSource } from "remix-utils/sse/react";
import { useMemo } from "react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { COMMAND_COPY } from "~/incidents/command/copy";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { findIncident } from "~/incidents/command/figures.server";
import { loadDashboardView } from "~/incidents/command/live-feed.server";
import { DestinationChart } from "~/incidents/command/ui/destination-chart";
import { MoneyChart } from "~/incidents/command/ui/money-chart";
import { CampaignsPanel, FunnelTable, JobsPanel, SwitchStripTable } from "~/incidents/command/ui/progress-panels";
import { isDomainError } from "~/lib/domain-error";
import { formatCount, formatJst, formatYen } from "~/lib/format";

export const permission: Permission = "incidents:view";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  try {
    // Resolved first: the feed is keyed by the incident's id, and the URL may carry its code.
    const incident = await findIncident(params.incidentId ?? "");
    return json({ view: await loadDashboardView(incident.id) });
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

function useLiveView(initial: DashboardView): { view: DashboardView; live: boolean } {
  const message = useEventSource(`/incidents/${initial.incident.id}/live`, { event: "figures" });
  return useMemo(() => {
    if (!message) return { view: initial, live: false };
    const update = JSON.parse(message) as DashboardView;
    // A server-rendered page newer than the last event (after a navigation) wins.
    return update.computedAt >= initial.computedAt ? { view: update, live: true } : { view: initial, live: true };
  }, [message, initial]);
}

export default function IncidentDashboard() {
  const { view: initial } = useLoaderData<typeof loader>();
  const { view, live } = useLiveView(initial);
  const copy = COMMAND_COPY.en;
  const { money } = view;
  return (
    <div className="space-y-6">
      <p className="text-xs text-slate-500" aria-live="polite">
        {copy.computedAt}{" "}
        <time dateTime={view.computedAt} data-testid="computed-at">
          {formatJst(view.computedAt)}
        </time>{" "}
        · {live ? copy.live : copy.offline}
      </p>
      <section className="card space-y-4" aria-labelledby="money-heading">
        <h2 id="money-heading" className="font-semibold">
          {copy.money}
        </h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="money-figures">
          <div>
            <dt className="text-xs uppercase text-slate-500">{copy.stolen}</dt>
            <dd className="text-2xl font-bold tabular-nums text-red-700" data-testid="stolen-yen">
              {formatYen(money.stolenYen)}
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{copy.reversed}</dt>
            <dd className="text-2xl font-bold tabular-nums text-green-700" data-testid="reversed-yen">
              {formatYen(money.reversedYen)}
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{copy.outstanding}</dt>
            <dd className="text-2xl font-bold tabular-nums text-amber-700" data-testid="outstanding-yen">
              {formatYen(money.outstandingYen)}
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{copy.victims}</dt>
            <dd className="text-2xl font-bold tabular-nums">{formatCount(money.victims)}</dd>
          </div>
        </dl>
        <MoneyChart view={view} copy={copy} />
      </section>
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card space-y-3">
          <h2 className="font-semibold">{copy.funnel}</h2>
          <FunnelTable funnel={view.funnel} copy={copy} />
        </section>
        <section className="card space-y-3">
          <h2 className="font-semibold">{copy.switches}</h2>
          <SwitchStripTable switches={view.switches} copy={copy} />
        </section>
        <section className="card space-y-3">
          <h2 className="font-semibold">{copy.jobs}</h2>
          <JobsPanel jobs={view.jobs} copy={copy} />
        </section>
        <section className="card space-y-3">
          <h2 className="font-semibold">{copy.campaigns}</h2>
          <CampaignsPanel campaigns={view.campaigns} copy={copy} />
        </section>
        <section className="card">
          <DestinationChart title={copy.stores} rows={view.stores} copy={copy} testId="store-table" />
        </section>
        <section className="card">
          <DestinationChart title={copy.products} rows={view.products} copy={copy} testId="product-table" />
        </section>
      </div>
    </div>
  );
}
