// Alert mail that did not, or may not, have reached a security lead, with what to do about each: on the alerts page,
// the dashboard and the alert's own page. Data: ~/detect/lead-mail-problems.server.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { formatJst } from "~/lib/format";
import { NoticeStatusBadge } from "~/notify/components/notice-status-badge";
import { ResendButton } from "~/notify/components/resend-button";
import type { NoticeStatus } from "~/notify/notice-status";

export interface LeadMailProblemView {
  id: string;
  template: string;
  alertId: string | null;
  status: string;
  leadName: string;
  recipient: string | null;
  lastError: string | null;
  messageIdHeader: string;
  at: string;
}

export function LeadMailProblems({
  count,
  mails,
  canResend,
  redirectTo,
  onAlertPage = false,
}: {
  count: number;
  mails: LeadMailProblemView[];
  /** The viewer holds notify:send. */
  canResend: boolean;
  redirectTo: string;
  /** On the alert's own page: no link back to it, a heading about this alert. */
  onAlertPage?: boolean;
}) {
  const { t, i18n } = useTranslation("detect");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  if (count === 0) return null;
  const more = count - mails.length;
  return (
    <section className="card border-red-300 bg-red-50" role="status" data-testid="lead-mail-problems">
      <h2 className="font-semibold text-red-900">
        {onAlertPage ? t("leadMail.onAlertTitle", { count }) : t("leadMail.title", { count })}
      </h2>
      <p className="mt-1 text-sm text-red-900">{t("leadMail.intro")}</p>
      <ul className="mt-2 divide-y divide-red-100 text-sm">
        {mails.map((mail) => (
          <li key={mail.id} className="py-2" data-testid="lead-mail-problem" data-status={mail.status}>
            <div className="flex flex-wrap items-center gap-2">
              <NoticeStatusBadge status={mail.status as NoticeStatus} />
              <span className="font-medium">
                {mail.template === "lead-containment" ? t("leadMail.containmentMail") : t("leadMail.alertMail")}
              </span>
              <span>{t("leadMail.to", { name: mail.leadName, recipient: mail.recipient ?? "—" })}</span>
              <span className="text-slate-600">{formatJst(mail.at, language)}</span>
              {!onAlertPage && mail.alertId ? (
                <Link className="underline" to={`/alerts/${mail.alertId}`}>
                  {t("leadMail.openAlert")}
                </Link>
              ) : null}
              {canResend ? (
                <ResendButton messageId={mail.id} redirectTo={redirectTo} uncertain={mail.status === "UNCERTAIN"} />
              ) : null}
            </div>
            <p className="mt-0.5 text-slate-700">
              {mail.status === "UNCERTAIN" ? t("leadMail.uncertain") : t("leadMail.failed")}
            </p>
            {mail.lastError ? <p className="mt-0.5 break-all text-xs text-slate-600">{mail.lastError}</p> : null}
            <p className="mt-0.5 break-all font-mono text-xs text-slate-500">Message-ID {mail.messageIdHeader}</p>
          </li>
        ))}
        {more > 0 ? <li className="py-2">{t("leadMail.more", { count: more })}</li> : null}
      </ul>
    </section>
  );
}
