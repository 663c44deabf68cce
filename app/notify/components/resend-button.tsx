import { Form } from "@remix-run/react";

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
  return (
    <Form method="post" action={`/notifications/messages/${messageId}/retry`} className="inline">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button
        type="submit"
        className="text-xs font-medium text-slate-700 underline hover:text-slate-900"
        title={
          uncertain
            ? "Only if the mail server's log shows this Message-ID was never accepted: the customer may already have it."
            : "Queue it again, to the customer's current verified address."
        }
      >
        {uncertain ? "Not delivered: resend" : "Resend"}
      </button>
    </Form>
  );
}
