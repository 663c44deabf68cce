import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Puts a failed or doubtful message back in the queue (notify:send; audited as notify.retry). */
export function ResendButton({
  messageId,
  redirectTo,
  uncertain,
}: {
  messageId: string;
  redirectTo: string;
  uncertain: boolean;
}) {
  const { t } = useTranslation("notify");
  return (
    <Form method="post" action={`/notifications/messages/${messageId}/retry`} className="inline">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button
        type="submit"
        className="text-xs font-medium text-slate-700 underline hover:text-slate-900"
        title={uncertain ? t("resend.uncertainHelp") : t("resend.help")}
      >
        {uncertain ? t("resend.uncertain") : t("resend.resend")}
      </button>
    </Form>
  );
}

/**
 * For a failed or doubtful message: the resend button, or — for a message carrying a secret (a reset link, a recovery
 * code, a staff set-up link), which is never resent (the flow that issued it chose where it went) — what to do instead.
 */
export function ResendOrReissue({
  notice,
  redirectTo,
}: {
  notice: { id: string; status: string; carriesSecret: boolean };
  redirectTo: string;
}) {
  const { t } = useTranslation("notify");
  if (notice.carriesSecret) {
    return (
      <span className="text-xs text-slate-700" data-testid="secret-not-resent">
        {t("resend.secret")}
      </span>
    );
  }
  return <ResendButton messageId={notice.id} redirectTo={redirectTo} uncertain={notice.status === "UNCERTAIN"} />;
}
