// The notices one customer was sent, for the account view: which template, in which language, to which address, and
// what happened (queued / sending / sent with the Message-ID / failed with the reason / not sent and why / needs
// review). Data: the account view's notices (customerNoticesColumn in ~/notify/notice-queries.server).
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { isLanguage, type Language } from "~/i18n/config";
import { formatJst } from "~/lib/format";
import { NoticeStatusBadge } from "~/notify/components/notice-status-badge";
import { ResendOrReissue } from "~/notify/components/resend-button";
import { NEEDS_SEPARATOR, SKIP_REASON_LABEL, TEMPLATE_LABEL, type NoticeView } from "~/notify/notice-status";
import { readMessageKey } from "~/i18n/fixed-t";
import { useLanguageName } from "~/i18n/language-name";
import { legacyNeedsKeys } from "~/notify/legacy-needs";
import { useNoticeLabels } from "~/notify/components/use-notice-labels";

export interface NoticeStatusListProps {
  notices: NoticeView[];
  /** Show "Resend" on failed and doubtful messages (the viewer holds notify:send). */
  canResend?: boolean;
  /** Where to come back to after a resend, e.g. the account page's path. */
  redirectTo?: string;
  /** Heading; pass null to render none. */
  title?: string | null;
}

export function skipReasonText(skipReason: string | null, t?: TFunction<"notify">, language?: Language): string | null {
  if (!skipReason) return null;
  const [code, ...rest] = skipReason.split(": ");
  const translated = t !== undefined && code !== undefined && code in SKIP_REASON_LABEL;
  const label = translated ? t(`skipReason.${code}` as never) : SKIP_REASON_LABEL[code ?? ""];
  if (!label) return skipReason;
  if (rest.length === 0) return label;
  const detail = rest.join(": ");
  // What a notice needs is kept as message keys; older rows hold the English phrases, read back into their keys.
  const needs = legacyNeedsKeys(detail) ?? detail.split(NEEDS_SEPARATOR);
  if (t && needs.every((need) => readMessageKey(need))) {
    return `${label} — ${needs.map((need) => translateNeed(t, need)).join(t("common:listSeparator" as never))}`;
  }
  // Any other detail is the worker's English, kept for the audit trail and the logs (with a UTC timestamp): a reader
  // in another language gets the translated reason alone, which says the same.
  return translated && language !== "en" ? label : `${label} — ${detail}`;
}

function translateNeed(t: TFunction<"notify">, need: string): string {
  const read = readMessageKey(need)!;
  return String(t(read.key as never, read.values as never));
}

function detail(notice: NoticeView, t: TFunction<"notify">, language: Language | undefined): string | null {
  switch (notice.status) {
    case "SENT":
      return notice.sentAt ? t("list.acceptedAt", { at: formatJst(notice.sentAt, language) }) : t("list.accepted");
    case "SKIPPED":
      return skipReasonText(notice.skipReason, t, language);
    case "QUEUED":
      return notice.attempts > 0
        ? t("list.retry", {
            n: notice.attempts + 1,
            at: formatJst(notice.nextAttemptAt, language),
            error: notice.lastError ?? "?",
          })
        : t("list.waiting");
    default:
      return notice.lastError;
  }
}

export function NoticeStatusList({ notices, canResend = false, redirectTo = "/", title }: NoticeStatusListProps) {
  const { t, i18n } = useTranslation("notify");
  const languageName = useLanguageName();
  const { updateStatusLabel } = useNoticeLabels();
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const heading = title === undefined ? t("list.title") : title;
  return (
    <section className="card space-y-3" data-testid="notice-status-list">
      {heading ? <h2 className="font-semibold">{heading}</h2> : null}
      {notices.length === 0 ? (
        <p className="text-sm text-slate-600">{t("list.empty")}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {notices.map((notice) => (
            <li
              key={notice.id}
              className="py-2 text-sm"
              data-testid="notice-status-item"
              data-template={notice.template}
            >
              <div className="flex flex-wrap items-center gap-2">
                <NoticeStatusBadge status={notice.status} />
                <span className="font-medium">
                  {notice.template in TEMPLATE_LABEL ? t(`template.${notice.template}` as never) : notice.template}
                </span>
                {notice.discriminator && notice.template === "incident-update" ? (
                  <span className="text-slate-500">({updateStatusLabel(notice.discriminator)})</span>
                ) : null}
                <span className="text-slate-500">
                  {languageName(notice.language)}
                  {notice.incidentCode ? ` · ${notice.incidentCode}` : ""}
                  {t("list.queuedAt", { at: formatJst(notice.createdAt, language) })}
                </span>
                {canResend && (notice.status === "FAILED" || notice.status === "UNCERTAIN") ? (
                  <ResendOrReissue notice={notice} redirectTo={redirectTo} />
                ) : null}
              </div>
              <div className="mt-0.5 text-slate-600">
                {notice.recipient ? <span>{t("list.to", { recipient: notice.recipient })}</span> : null}
                {detail(notice, t, language)}
              </div>
              {notice.status === "SENT" || notice.status === "UNCERTAIN" ? (
                <div className="mt-0.5 break-all font-mono text-xs text-slate-500">
                  Message-ID {notice.messageIdHeader}
                  {notice.smtpResponse ? ` · ${notice.smtpResponse}` : ""}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
