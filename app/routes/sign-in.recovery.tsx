import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { secondFactorMessage } from "~/auth/second-factor-message.server";
import { pageTitle } from "~/i18n/fixed-t";
import { languageOf, translatorFor } from "~/i18n/i18next.server";
import { sessionCookieHeaders } from "~/auth/cookie.server";
import { requirePasswordSession } from "~/auth/pending-session.server";
import type { Permission } from "~/auth/permissions";
import { retryAfterHeaders, retryAfterHeadersUntil } from "~/auth/retry-after";
import { redirectToQuery } from "~/auth/safe-redirect";
import { RecoveryCodeSchema } from "~/auth/schemas";
import { completeSignIn } from "~/auth/second-step.server";
import { AuthPanel, FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { CancelSignIn } from "~/auth/ui/sign-out-button";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";

// Reachable with a password-only session (the second step), so no permission: requirePasswordSession guards it.
export const permission: Permission | null = null;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth:recovery.pageTitle") }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await requirePasswordSession(request, "enrolled");
  return { email: pending.staff.email, redirectTo: pending.redirectTo };
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await requirePasswordSession(request, "enrolled");
  const submission = await parseForm(request, RecoveryCodeSchema);
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["code"] }), { status: 400 });
  // Read before the step completes: completing it replaces the password-only session the member's language is read from.
  const language = await languageOf(request);
  const result = await completeSignIn(pending, "recovery-code", submission.value.code);
  if (!result.ok) {
    const message = secondFactorMessage(language, result, "recovery-code");
    return data(submission.reply({ formErrors: [message], hideFields: ["code"] }), {
      status: result.reason === "blocked" ? 429 : 400,
      headers: retryAfterHeadersUntil(result.blockedUntil),
    });
  }
  const left = result.recoveryCodesLeft ?? 0;
  return redirectWithToast(
    pending.redirectTo,
    {
      kind: left <= 3 ? "error" : "info",
      message: translatorFor(language, "auth")("recovery.signedIn", { count: left }),
    },
    { headers: sessionCookieHeaders(result.value) },
  );
}

export default function RecoveryStep() {
  const { email, redirectTo } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RecoveryCodeSchema }),
  });
  return (
    <AuthPanel
      title={t("recovery.title")}
      description={
        <Trans t={t} i18nKey="recovery.signingInAs" values={{ email }} components={{ strong: <strong /> }} />
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div>
          <label className="label" htmlFor={fields.code.id}>
            {t("recovery.label")}
          </label>
          <input
            {...getInputProps(fields.code, { type: "text" })}
            className="input mt-1 font-mono"
            autoComplete="off"
            spellCheck={false}
            placeholder="abcd-efgh-ijkl-mnop"
            autoFocus
          />
          <FieldErrors id={fields.code.errorId} errors={fields.code.errors} />
        </div>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("recovery.verify")}
        </button>
      </Form>
      <div className="mt-4 space-y-3 text-center text-sm">
        <Link className="text-slate-700 underline" to={`/sign-in/totp${redirectToQuery(redirectTo)}`}>
          {t("recovery.useTotp")}
        </Link>
        <CancelSignIn />
      </div>
    </AuthPanel>
  );
}
