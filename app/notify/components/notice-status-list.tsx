// The notices one customer was sent, for the account view: which template, in which language, to which address, and
// what happened (queued / sending / sent with the Message-ID / failed with the reason / not sent and why / needs
// review). Data: loadCustomerNotices(customerId) from ~/notify/notice-queries.server, in the page's loader.
import { formatJst } from "~/lib/format";
import { NoticeStatusBadge } from "~/notify/components/notice-status-badge";
import { ResendButton } from "~/notify/components/resend-button";
import { SKIP_REASON_LABEL, TEMPLATE_LABEL, type NoticeView } from "~/notify/notice-status";

export interface NoticeStatusListProps {
  notices: NoticeView[];
  /** Show "Resend" on failed and doubtful messages (the viewer holds notify:send). */
  canResend?: boolean;
  /** Where to come back to after a resend, e.g. the account page's path. */
  redirectTo?: string;
  /** Heading; pass null to render none. */
  title?: string | null;
}

export function skipReasonText(skipReason: string | null): string | null {
  if (!skipReason) return null;
  const [code, ...rest] = skipReason.split(": ");
  const label = SKIP_REASON_LABEL[code ?? ""];
  return label ? `${label}${rest.length ? ` — ${rest.join(": ")}` : ""}` : skipReason;
}

function detail(notice: NoticeView): string | null {
  switch (notice.status) {
    case "SENT":
      return notice.sentAt ? `Accepted ${formatJst(notice.sentAt)}` : "Accepted";
    case "SKIPPED":
      return skipReasonText(notice.skipReason);
    case "QUEUED":
      return notice.attempts > 0
        ? `Retry ${notice.attempts + 1} at ${formatJst(notice.nextAttemptAt)} — last: ${notice.lastError ?? "?"}`
        : "Waiting for the mail worker";
    default:
      return notice.lastError;
  }
}

export function NoticeStatusList({
  notices,
  canResend = false,
  redirectTo = "/",
  title = "Notifications",
}: NoticeStatusListProps) {
  return (
    <section className="card space-y-3" data-testid="notice-status-list">
      {title ? <h2 className="font-semibold">{title}</h2> : null}
      {notices.length === 0 ? (
        <p className="text-sm text-slate-600">No notices have been sent to this customer.</p>
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
                <span className="font-medium">{TEMPLATE_LABEL[notice.template] ?? notice.template}</span>
                {notice.discriminator && notice.template === "incident-update" ? (
                  <span className="text-slate-500">({notice.discriminator.toLowerCase()})</span>
                ) : null}
                <span className="text-slate-500">
                  {notice.language.toUpperCase()}
                  {notice.incidentCode ? ` · ${notice.incidentCode}` : ""} · queued {formatJst(notice.createdAt)}
                </span>
                {canResend && (notice.status === "FAILED" || notice.status === "UNCERTAIN") ? (
                  <ResendButton
                    messageId={notice.id}
                    redirectTo={redirectTo}
                    uncertain={notice.status === "UNCERTAIN"}
                  />
                ) : null}
              </div>
              <div className="mt-0.5 text-slate-600">
                {notice.recipient ? <span>To {notice.recipient}. </span> : null}
                {detail(notice)}
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
