import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Abandons a half-finished sign-in (ends the password-only session on the server). */
export function CancelSignIn() {
  const { t } = useTranslation("auth");
  return (
    <Form method="post" action="/sign-out" className="text-center">
      <button type="submit" className="text-sm text-slate-600 underline hover:text-slate-900">
        {t("cancel")}
      </button>
    </Form>
  );
}
