// A form that is only a button: it posts its intent to the page's action (the action tells the intents apart).
import { Form } from "@remix-run/react";

export function IntentButton({
  intent,
  submissionKey,
  className = "btn-secondary",
  children,
}: {
  intent: string;
  /** The page's one-time key for this form, when a second post must not act again (ADR 095). */
  submissionKey?: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {submissionKey ? <input type="hidden" name="submissionKey" value={submissionKey} /> : null}
      <button type="submit" className={className}>
        {children}
      </button>
    </Form>
  );
}
