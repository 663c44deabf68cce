// Progress of one notice across an incident's victims: a bar (settled share) and the count per status.
import { NoticeStatusBadge } from "~/notify/components/notice-status-badge";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { formatCount } from "~/lib/format";
import { useNoticeLabels } from "~/notify/components/use-notice-labels";
import { NOTICE_STATUSES, type NoticeStatus } from "~/notify/notice-status";

export interface CampaignProgressView {
  template: string;
  discriminator: string | null;
  total: number;
  counts: Record<NoticeStatus, number>;
  percentDone: number;
  inFlight: number;
}

export function CampaignProgress({ campaign, href }: { campaign: CampaignProgressView; href?: string }) {
  const { t, i18n } = useTranslation("notify");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const { templateLabel, updateStatusLabel } = useNoticeLabels();
  const label = `${templateLabel(campaign.template)}${
    campaign.discriminator && campaign.template === "incident-update"
      ? ` (${updateStatusLabel(campaign.discriminator)})`
      : ""
  }`;
  return (
    <div className="space-y-2" data-testid="campaign-progress" data-template={campaign.template}>
      <div className="flex items-baseline justify-between gap-4">
        <h3 className="font-medium">
          {href ? (
            <a className="underline" href={href}>
              {label}
            </a>
          ) : (
            label
          )}
        </h3>
        <span className="text-sm text-slate-600" data-testid="campaign-percent">
          {t("campaign.summary", { percent: campaign.percentDone, total: formatCount(campaign.total, language) })}
          {campaign.inFlight > 0 ? t("campaign.inFlight", { n: formatCount(campaign.inFlight, language) }) : ""}
        </span>
      </div>
      {/* A native <progress>: the console's CSP forbids inline style attributes, so no width: N% bar. */}
      <progress
        className="h-3 w-full overflow-hidden rounded [&::-moz-progress-bar]:bg-emerald-600 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-emerald-600"
        aria-label={t("campaign.progress", { label })}
        max={100}
        value={campaign.percentDone}
      >
        {campaign.percentDone} %
      </progress>
      <ul className="flex flex-wrap gap-3 text-sm">
        {NOTICE_STATUSES.map((status) => (
          <li key={status} className="flex items-center gap-1" data-testid={`count-${status}`}>
            <NoticeStatusBadge status={status} /> {formatCount(campaign.counts[status], language)}
          </li>
        ))}
      </ul>
    </div>
  );
}
