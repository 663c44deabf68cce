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
