// Notice and status names in the page's language; a template without a translation keeps its English label.
import { useTranslation } from "react-i18next";
import { TEMPLATE_LABEL, type NoticeStatus } from "~/notify/notice-status";
import type { INCIDENT_UPDATE_STATUSES } from "~/notify/templates/incident-update";

// The statuses an incident update announces (INCIDENT_UPDATE_STATUSES; the template module is not for the browser).
const UPDATE_STATUSES: ReadonlySet<string> = new Set<(typeof INCIDENT_UPDATE_STATUSES)[number]>([
  "OPEN",
  "CONTAINED",
  "RESOLVED",
]);

export function useNoticeLabels() {
  const { t, i18n } = useTranslation("notify");
  return {
    statusLabel: (status: NoticeStatus) => t(`noticeStatus.${status}`),
    statusHelp: (status: NoticeStatus) => t(`noticeStatusHelp.${status}`),
    templateLabel: (template: string) =>
      i18n.exists(`notify:template.${template}`)
        ? t(`template.${template as "account-secured"}`)
        : (TEMPLATE_LABEL[template] ?? template),
    /** The incident status an update announced (its discriminator) by its name; any other value as stored. */
    updateStatusLabel: (status: string) =>
      UPDATE_STATUSES.has(status) ? String(t(`command:incidentStatus.${status}` as never)) : status.toLowerCase(),
  };
}
