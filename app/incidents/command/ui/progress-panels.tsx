// Bulk jobs and notice campaigns with native progress bars (accessible without extra markup), the case funnel and the
// kill-switch strip: numbers first, each bar labelled with the counts it draws.
import { Link } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { BulkJobStatus, KillSwitchChangeKind } from "~/generated/prisma/enums";
import { isLanguage, type Language } from "~/i18n/config";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { CAMPAIGN_COLOURS, CAMPAIGN_PARTS, CampaignBar } from "~/incidents/command/ui/campaign-bar";
import { translateJobKind } from "~/jobs/job-kind-label";
import { useSwitchNames } from "~/killswitch/ui/switch-names";
import { formatCount, formatJst, formatYen } from "~/lib/format";

const ONE_MINUTE = 60 * 1000;
const ONE_HOUR = 60 * ONE_MINUTE;

function formatDuration(ms: number | null, t: TFunction<"command">, language: Language | undefined): string {
  if (ms === null) return "—";
  if (ms < ONE_HOUR) return t("dashboard.minutes", { value: formatCount(Math.round(ms / ONE_MINUTE), language) });
  return t("dashboard.hours", { value: (ms / ONE_HOUR).toFixed(1) });
}

export function JobsPanel({ jobs }: { jobs: DashboardView["jobs"] }) {
  const { t, i18n } = useTranslation("command");
  const { t: tJobs } = useTranslation("jobs");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  if (jobs.length === 0) return <p className="text-sm text-slate-600">{t("dashboard.noJobs")}</p>;
  return (
    <ul className="space-y-3">
      {jobs.map((job) => {
        const done = job.succeeded + job.skipped + job.failed;
        return (
          <li key={job.id} className="space-y-1 text-sm" data-testid="job-progress">
            <div className="flex flex-wrap justify-between gap-2">
              <Link className="underline" to={`/jobs/${job.id}`}>
                {translateJobKind(tJobs, job.kind, job.kind)} · {t(`jobStatus.${job.status as BulkJobStatus}`)}
              </Link>
              <span className="tabular-nums" data-testid="job-progress-text">
                {formatCount(done, language)} / {formatCount(job.total, language)} · {t("dashboard.succeeded")}{" "}
                {formatCount(job.succeeded, language)} · {t("dashboard.skipped")} {formatCount(job.skipped, language)} ·{" "}
                {t("dashboard.failed")} {formatCount(job.failed, language)} · {formatYen(job.amountDoneYen, language)}
              </span>
            </div>
            <progress
              className="h-2 w-full"
              max={Math.max(job.total, 1)}
              value={done}
              aria-label={`${job.kind} ${done}/${job.total}`}
            />
          </li>
        );
      })}
    </ul>
  );
}

export function CampaignsPanel({ campaigns }: { campaigns: DashboardView["campaigns"] }) {
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  if (campaigns.length === 0) return <p className="text-sm text-slate-600">{t("dashboard.noCampaigns")}</p>;
  const count = (n: number) => formatCount(n, language);
  return (
    <div className="space-y-3">
      <ul className="space-y-3">
        {campaigns.map((c) => (
          <li key={c.template} className="space-y-1 text-sm" data-testid="campaign-progress">
            <div className="flex flex-wrap justify-between gap-2">
              <span className="font-mono">{c.template}</span>
              <span className="tabular-nums" data-testid="campaign-sent">
                {t("dashboard.campaignSent", { sent: count(c.sent), total: count(c.total) })}
              </span>
            </div>
            <CampaignBar
              campaign={c}
              label={t("dashboard.campaignSummary", {
                template: c.template,
                sent: count(c.sent),
                total: count(c.total),
                delivered: count(c.delivered),
                bounced: count(c.bounced),
                failed: count(c.failed),
                uncertain: count(c.uncertain),
                skipped: count(c.skipped),
                queued: count(c.queued),
              })}
            />
            <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700">
              {CAMPAIGN_PARTS.map((part) => (
                <li key={part} className="flex items-center gap-1">
                  <span aria-hidden="true" className={`inline-block h-2 w-2 ${CAMPAIGN_COLOURS[part].swatch}`} />
                  {t(`dashboard.${part}`)}{" "}
                  <span className="tabular-nums" data-testid={`campaign-${part}`}>
                    {count(c[part])}
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <p className="text-xs text-slate-500">{t("dashboard.campaignHelp")}</p>
    </div>
  );
}

export function FunnelTable({ funnel }: { funnel: DashboardView["funnel"] }) {
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const total = funnel[0]?.reached ?? 0;
  return (
    <table className="min-w-full text-sm" data-testid="case-funnel">
      <thead className="text-left text-xs uppercase text-slate-500">
        <tr>
          <th className="pr-3">{t("dashboard.state")}</th>
          <th className="pr-3 text-right">{t("dashboard.now")}</th>
          <th className="pr-3 text-right">{t("dashboard.reached")}</th>
          <th className="pr-3">{t("dashboard.medianFromOpen")}</th>
          <th className="w-1/3" />
        </tr>
      </thead>
      <tbody>
        {funnel.map((stage) => (
          <tr key={stage.status}>
            <td className="pr-3">{t(`caseStatus.${stage.status}`)}</td>
            <td className="pr-3 text-right tabular-nums">{formatCount(stage.current, language)}</td>
            <td className="pr-3 text-right tabular-nums">{formatCount(stage.reached, language)}</td>
            <td className="pr-3">{formatDuration(stage.medianMsFromOpen, t, language)}</td>
            <td>
              <progress
                className="h-2 w-full"
                max={Math.max(total, 1)}
                value={stage.reached}
                aria-label={`${t(`caseStatus.${stage.status}`)} ${stage.reached}/${total}`}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SwitchStripTable({ switches }: { switches: DashboardView["switches"] }) {
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const switchNames = useSwitchNames();
  return (
    <table className="min-w-full text-sm" data-testid="switch-strip">
      <tbody className="divide-y divide-slate-100">
        {switches.map((s) => (
          <tr key={s.key}>
            <td className="py-1 pr-3">
              {/* The switch by its name, its key beside it as the switch board shows it (ADR 113). */}
              {switchNames(s.key, s).label} <code className="text-xs text-slate-500">{s.key}</code>{" "}
              <span className={s.engaged ? "font-semibold text-red-700" : "text-slate-500"}>
                {s.engaged ? t("dashboard.engaged") : t("dashboard.released")}
              </span>
            </td>
            <td className="py-1 text-xs">
              {s.changes.length === 0
                ? t("dashboard.noChanges")
                : s.changes
                    .map(
                      (c) =>
                        `${c.engaged ? "▲" : "▽"} ${t(`switchChange.${c.kind as KillSwitchChangeKind}`)} ${formatJst(c.at, language)}`,
                    )
                    .join(" · ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
