// The incident's live dashboard: figures rendered on the server (useful without JavaScript), then kept current over
// Server-Sent Events from the incident's shared feed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEventSource } from "remix-utils/sse/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { findIncident } from "~/incidents/command/figures.server";
import { loadDashboardView } from "~/incidents/command/live-feed.server";
import { DestinationChart } from "~/incidents/command/ui/destination-chart";
import { MoneyChart } from "~/incidents/command/ui/money-chart";
import { CampaignsPanel, FunnelTable, JobsPanel, SwitchStripTable } from "~/incidents/command/ui/progress-panels";
import { isLanguage } from "~/i18n/config";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { formatCount, formatJst, formatYen } from "~/lib/format";

export const permission: Permission = "incidents:view";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  try {
    // Resolved first: the feed is keyed by the incident's id, and the URL may carry its code.
    const incident = await findIncident(params.incidentId ?? "");
    return { view: await loadDashboardView(incident.id) };
  } catch (error) {
    rethrowForErrorPage(error);
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
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const { money } = view;
  return (
    <div className="space-y-6">
      <p className="text-xs text-slate-500" aria-live="polite">
        {t("dashboard.computedAt")}{" "}
        <time dateTime={view.computedAt} data-testid="computed-at">
          {formatJst(view.computedAt, language)}
        </time>{" "}
        · {live ? t("dashboard.live") : t("dashboard.offline")}
      </p>
      <section className="card space-y-4" aria-labelledby="money-heading">
        <h2 id="money-heading" className="font-semibold">
          {t("dashboard.money")}
        </h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="money-figures">
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("dashboard.stolen")}</dt>
            <dd className="text-2xl font-bold tabular-nums text-red-700" data-testid="stolen-yen">
              {formatYen(money.stolenYen, language)}
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("dashboard.reversed")}</dt>
            <dd className="text-2xl font-bold tabular-nums text-green-700" data-testid="reversed-yen">
              {formatYen(money.reversedYen, language)}
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("dashboard.outstanding")}</dt>
            <dd className="text-2xl font-bold tabular-nums text-amber-700" data-testid="outstanding-yen">
              {formatYen(money.outstandingYen, language)}
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("dashboard.victims")}</dt>
            <dd className="text-2xl font-bold tabular-nums">{formatCount(money.victims, language)}</dd>
          </div>
        </dl>
        <MoneyChart view={view} />
      </section>
      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card space-y-3">
          <h2 className="font-semibold">{t("dashboard.funnel")}</h2>
          <FunnelTable funnel={view.funnel} />
        </section>
        <section className="card space-y-3">
          <h2 className="font-semibold">{t("dashboard.switches")}</h2>
          <SwitchStripTable switches={view.switches} />
        </section>
        <section className="card space-y-3">
          <h2 className="font-semibold">{t("dashboard.jobs")}</h2>
          <JobsPanel jobs={view.jobs} />
        </section>
        <section className="card space-y-3">
          <h2 className="font-semibold">{t("dashboard.campaigns")}</h2>
          <CampaignsPanel campaigns={view.campaigns} />
        </section>
        <section className="card">
          <DestinationChart title={t("dashboard.stores")} rows={view.stores} testId="store-table" />
        </section>
        <section className="card">
          <DestinationChart title={t("dashboard.products")} rows={view.products} testId="product-table" />
        </section>
      </div>
    </div>
  );
}
