import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { pageTitle } from "~/i18n/fixed-t";
import { languageOf } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { sessionCookieHeaders } from "~/auth/cookie.server";
import { completeEnrollment, offerEnrollment } from "~/auth/enrollment.server";
import { requirePasswordSession } from "~/auth/pending-session.server";
import type { Permission } from "~/auth/permissions";
import { recoveryCodesCookie } from "~/auth/recovery-codes-flash.server";
import { redirectToQuery } from "~/auth/safe-redirect";
import { EnrollSchema } from "~/auth/schemas";
import { hashToken } from "~/auth/session.server";
import { AuthPanel, FormErrors } from "~/auth/ui/auth-panel";
import { CodeField } from "~/auth/ui/code-field";
import { CancelSignIn } from "~/auth/ui/sign-out-button";
import { isDomainError } from "~/lib/domain-error";
import { parseForm } from "~/lib/form.server";

// Mandatory TOTP enrollment, reachable with a password-only session (that is its purpose), so no permission:
// requirePasswordSession guards it.
export const permission: Permission | null = null;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth:enroll.pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await requirePasswordSession(request, "not-enrolled");
  const offer = await offerEnrollment(pending.sessionId, pending.staff);
  return { email: pending.staff.email, redirectTo: pending.redirectTo, ...offer };
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await requirePasswordSession(request, "not-enrolled");
  const submission = await parseForm(request, EnrollSchema);
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["code"] }), { status: 400 });
  }
  try {
    const result = await completeEnrollment({
      staff: pending.staff,
      sessionId: pending.sessionId,
      token: pending.token,
      code: submission.value.code,
      origin: pending.origin,
    });
    // The codes go to the next page in an encrypted, one-time cookie bound to the new session (shown once).
    const headers = sessionCookieHeaders(result.session);
    headers.append("Set-Cookie", recoveryCodesCookie(result.recoveryCodes, hashToken(result.session.token)));
    return redirect(`/sign-in/recovery-codes${redirectToQuery(pending.redirectTo)}`, { headers });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const message = translateDomainError(await languageOf(request), error);
    return data(submission.reply({ formErrors: [message], hideFields: ["code"] }), {
      status: error.status,
    });
  }
}

export default function Enroll() {
  const offer = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EnrollSchema }),
  });
  return (
    <AuthPanel
      title={t("enroll.title")}
      description={
        <Trans t={t} i18nKey="enroll.description" values={{ email: offer.email }} components={{ strong: <strong /> }} />
      }
    >
      <ol className="space-y-4 text-sm text-slate-700">
        <li>
          <span className="font-semibold text-slate-900">1.</span> {t("enroll.scan")}
          <img
            src={offer.qrCodeDataUrl}
            alt={t("enroll.qrAlt")}
            width={192}
            height={192}
            className="mx-auto mt-3 rounded ring-1 ring-slate-200"
            data-testid="totp-qr-code"
          />
        </li>
        <li>
          <span className="font-semibold text-slate-900">{t("enroll.cannotScan")}</span> {t("enroll.manualKey")}
          <code
            className="mt-2 block select-all rounded bg-slate-100 px-3 py-2 text-center font-mono text-sm tracking-wider text-slate-900"
            data-testid="totp-manual-key"
          >
            {offer.manualKey}
          </code>
        </li>
        <li>
          <span className="font-semibold text-slate-900">2.</span> {t("enroll.enterCode")}
        </li>
      </ol>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={offer.redirectTo} />
        <CodeField field={fields.code} />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("enroll.confirm")}
        </button>
      </Form>
      <div className="mt-4">
        <CancelSignIn />
      </div>
    </AuthPanel>
  );
}
