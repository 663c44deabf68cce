// Who of an incident's victims was told what, and whether it arrived: a progress bar per notice (refreshing itself
// while messages are in flight) and the per-recipient status, problems first, with resend for failed and doubtful
// messages. Read-only roles (compliance) see it too; resending needs notify:send.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useAutomaticRefresh } from "~/components/automatic-refresh";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { useTranslation } from "react-i18next";
import { useLanguageName } from "~/i18n/language-name";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { formatCount, formatJst } from "~/lib/format";
import { useNoticeLabels } from "~/notify/components/use-notice-labels";
import { CampaignProgress } from "~/notify/components/campaign-progress";
import { skipReasonText } from "~/notify/components/notice-status-list";
import { NoticeStatusBadge } from "~/notify/components/notice-status-badge";
import { ResendOrReissue } from "~/notify/components/resend-button";
import {
  findIncidentHeading,
  listIncidentRecipients,
  loadIncidentNoticeProgress,
} from "~/notify/notice-queries.server";
import { NOTICE_STATUSES, RECIPIENTS_PAGE_SIZE, TEMPLATE_LABEL, type NoticeStatus } from "~/notify/notice-status";
import { outboxWorkerHealth } from "~/notify/outbox-worker.server";

export const permission: Permission = "incidents:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "notify:status.pageTitle") }];

// How often the page refreshes itself while messages are queued or sending.
const POLL_INTERVAL_MS = 1000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const incidentId = params.incidentId ?? "";
  const incident = await findIncidentHeading(incidentId);
  if (!incident) throw new Response(translatorFor(ctx.staff.language, "notify")("status.notFound"), { status: 404 });
  const url = new URL(request.url);
  const template = url.searchParams.get("template") || undefined;
  const statusParam = url.searchParams.get("status") ?? "";
  const status = (NOTICE_STATUSES as readonly string[]).includes(statusParam)
    ? (statusParam as NoticeStatus)
    : undefined;
  const page = Math.max(1, Math.min(100_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const [campaigns, recipients] = await Promise.all([
    loadIncidentNoticeProgress(incident.id),
    listIncidentRecipients(incident.id, { template, status, page }),
  ]);
  return {
    incident,
    campaigns,
    recipients,
    filter: { template: template ?? "", status: status ?? "", page },
    canResend: roleHasPermission(ctx.staff.role, "notify:send"),
    // Only known when the worker runs in this process (npm start); a separate worker's trouble shows per message.
    unreachable: outboxWorkerHealth().find((w) => w.breakerOpen) ?? null,
    path: url.pathname + url.search,
  };
}

export default function IncidentNotifications() {
  const { incident, campaigns, recipients, filter, canResend, path, unreachable } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("notify");
  const languageName = useLanguageName();
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const { statusLabel, templateLabel } = useNoticeLabels();
  const inFlight = campaigns.some((c) => c.inFlight > 0);
  useAutomaticRefresh(inFlight, POLL_INTERVAL_MS);
  const pages = Math.max(1, Math.ceil(recipients.total / RECIPIENTS_PAGE_SIZE));
  const pageHref = (page: number) =>
    `?${new URLSearchParams({ ...(filter.template ? { template: filter.template } : {}), ...(filter.status ? { status: filter.status } : {}), page: String(page) }).toString()}`;

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          {/* The notices page sends notices, so it opens only to those who may (notify:send); compliance and agents
              arrive here from the incident's tabs, and the incident's code takes everyone back there. */}
          {canResend ? (
            <Link className="underline" to={`/notifications?incident=${incident.id}`}>
              {t("status.breadcrumb")}
            </Link>
          ) : (
            t("status.breadcrumb")
          )}{" "}
          ·{" "}
          <Link className="underline" to={`/incidents/${incident.id}`}>
            {incident.code}
          </Link>
        </p>
        <h1 className="text-2xl font-bold">{t("status.title", { title: incident.title })}</h1>
        <p className="text-sm text-slate-600" data-testid="live-state">
          {inFlight ? t("status.delivering") : t("status.idle")}
        </p>
      </div>

      {unreachable ? (
        <p role="alert" className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="smtp-unreachable">
          {t("status.unreachable", {
            since: formatJst(unreachable.unreachableSince, language),
            error: unreachable.lastProblem,
          })}
        </p>
      ) : null}

      <section className="card space-y-5">
        {campaigns.length === 0 ? (
          <p className="text-sm text-slate-600">{t("status.noCampaigns")}</p>
        ) : (
          campaigns.map((c) => (
            <CampaignProgress
              key={`${c.template}:${c.discriminator ?? ""}`}
              campaign={c}
              href={`?template=${c.template}`}
            />
          ))
        )}
      </section>

      <section className="card space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 className="font-semibold">
            {t("status.recipients", { total: formatCount(recipients.total, language) })}
          </h2>
          <Form method="get" className="flex flex-wrap items-end gap-2 text-sm">
            <select
              name="template"
              defaultValue={filter.template}
              className="input w-auto"
              aria-label={t("status.notice")}
            >
              <option value="">{t("status.everyNotice")}</option>
              {Object.keys(TEMPLATE_LABEL).map((key) => (
                <option key={key} value={key}>
                  {templateLabel(key)}
                </option>
              ))}
            </select>
            <select name="status" defaultValue={filter.status} className="input w-auto" aria-label={t("status.status")}>
              <option value="">{t("status.everyStatus")}</option>
              {NOTICE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
            <button type="submit" className="btn-secondary">
              {t("status.filter")}
            </button>
          </Form>
        </div>
        <div className="overflow-x-auto">
          <table className="min-w-full text-left text-sm" data-testid="recipients-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 pr-3">{t("status.customer")}</th>
                <th className="py-2 pr-3">{t("status.notice")}</th>
                <th className="py-2 pr-3">{t("status.status")}</th>
                <th className="py-2 pr-3">{t("status.detail")}</th>
                <th className="py-2 pr-3">{t("status.attempts")}</th>
                <th className="py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {recipients.rows.map((row) => (
                <tr key={row.id} data-testid="recipient-row" data-status={row.status}>
                  <td className="py-2 pr-3">
                    <div className="font-medium">{row.customerName}</div>
                    <div className="font-mono text-xs text-slate-500">{row.customerDisplayId}</div>
                  </td>
                  <td className="py-2 pr-3">
                    {templateLabel(row.template)} <span className="text-slate-500">{languageName(row.language)}</span>
                  </td>
                  <td className="py-2 pr-3">
                    <NoticeStatusBadge status={row.status} />
                  </td>
                  <td className="max-w-md py-2 pr-3 text-slate-600">
                    {row.status === "SENT" ? (
                      <span>
                        {formatJst(row.sentAt, language)} ·{" "}
                        <span className="break-all font-mono text-xs">{row.messageIdHeader}</span>
                      </span>
                    ) : row.status === "SKIPPED" ? (
                      skipReasonText(row.skipReason, t, language)
                    ) : row.status === "QUEUED" && row.attempts > 0 ? (
                      t("status.retryAt", { at: formatJst(row.nextAttemptAt, language), error: row.lastError ?? "" })
                    ) : (
                      row.lastError
                    )}
                    {row.recipient ? <div className="text-xs text-slate-500">{row.recipient}</div> : null}
                  </td>
                  <td className="py-2 pr-3">{row.attempts}</td>
                  <td className="py-2">
                    {canResend && (row.status === "FAILED" || row.status === "UNCERTAIN") ? (
                      <ResendOrReissue notice={row} redirectTo={path} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {pages > 1 ? (
          <nav className="flex items-center gap-3 text-sm" aria-label={t("status.pages")}>
            {filter.page > 1 ? <Link to={pageHref(filter.page - 1)}>{t("status.previous")}</Link> : null}
            <span>{t("status.pageOf", { page: filter.page, pages })}</span>
            {filter.page < pages ? <Link to={pageHref(filter.page + 1)}>{t("status.next")}</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
