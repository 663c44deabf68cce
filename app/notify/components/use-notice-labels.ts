// Notice and status names in the page's language; a template without a translation keeps its English label.
import { useTranslation } from "react-i18next";
import { TEMPLATE_LABEL, type NoticeStatus } from "~/notify/notice-status";

export function useNoticeLabels() {
  const { t, i18n } = useTranslation("notify");
  return {
    statusLabel: (status: NoticeStatus) => t(`noticeStatus.${status}`),
    statusHelp: (status: NoticeStatus) => t(`noticeStatusHelp.${status}`),
    templateLabel: (template: string) =>
      i18n.exists(`notify:template.${template}`)
        ? t(`template.${template as "account-secured"}`)
        : (TEMPLATE_LABEL[template] ?? template),
  };
}
