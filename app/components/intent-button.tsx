// A form that is only a button: it posts its intent to the page's action (the action tells the intents apart).
import { Form } from "@remix-run/react";

export function IntentButton({
  intent,
  className = "btn-secondary",
  children,
}: {
  intent: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={className}>
        {children}
      </button>
    </Form>
  );
}
