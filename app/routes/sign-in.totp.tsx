import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { sessionCookieHeaders } from "~/auth/cookie.server";
import { secondFactorMessage } from "~/auth/second-factor-message.server";
import { pageTitle } from "~/i18n/fixed-t";
import { languageOf } from "~/i18n/i18next.server";
import { requirePasswordSession } from "~/auth/pending-session.server";
import type { Permission } from "~/auth/permissions";
import { retryAfterHeaders, retryAfterHeadersUntil } from "~/auth/retry-after";
import { redirectToQuery } from "~/auth/safe-redirect";
import { TotpCodeSchema } from "~/auth/schemas";
import { readSecondFactorBlock, signInLockedUntilUnlocked } from "~/auth/second-factor.server";
import { completeSignIn } from "~/auth/second-step.server";
import { AuthPanel, FormErrors } from "~/auth/ui/auth-panel";
import { CodeField } from "~/auth/ui/code-field";
import { CancelSignIn } from "~/auth/ui/sign-out-button";
import { parseForm } from "~/lib/form.server";

// Reachable with a password-only session (that is its purpose), so no permission: requirePasswordSession guards it.
export const permission: Permission | null = null;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth:totp.pageTitle") }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await requirePasswordSession(request, "enrolled");
  // Blocked until an admin unlocks the member (too many wrong codes in a row), or for a while from this source.
  const locked = await signInLockedUntilUnlocked(pending.staff.id);
  const blockedUntil = locked
    ? null
    : await readSecondFactorBlock(pending.staff.id, { kind: "source", ip: pending.origin.ip });
  const blockedMessage =
    locked || blockedUntil
      ? secondFactorMessage(await languageOf(request), { reason: "blocked", blockedUntil }, "totp")
      : null;
  return { email: pending.staff.email, redirectTo: pending.redirectTo, blockedMessage };
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await requirePasswordSession(request, "enrolled");
  const submission = await parseForm(request, TotpCodeSchema);
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["code"] }), { status: 400 });
  const result = await completeSignIn(pending, "totp", submission.value.code);
  if (!result.ok) {
    const message = secondFactorMessage(await languageOf(request), result, "totp");
    return data(submission.reply({ formErrors: [message], hideFields: ["code"] }), {
      status: result.reason === "blocked" ? 429 : 400,
      headers: retryAfterHeadersUntil(result.blockedUntil),
    });
  }
  return redirect(pending.redirectTo, { headers: sessionCookieHeaders(result.value) });
}

export default function TotpStep() {
  const { email, redirectTo, blockedMessage } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TotpCodeSchema }),
  });
  const errors = form.errors ?? (blockedMessage ? [blockedMessage] : undefined);
  return (
    <AuthPanel
      title={t("totp.title")}
      description={<Trans t={t} i18nKey="totp.signingInAs" values={{ email }} components={{ strong: <strong /> }} />}
    >
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <CodeField field={fields.code} />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("totp.verify")}
        </button>
      </Form>
      <div className="mt-4 space-y-3 text-center text-sm">
        <Link className="text-slate-700 underline" to={`/sign-in/recovery${redirectToQuery(redirectTo)}`}>
          {t("totp.useRecovery")}
        </Link>
        <CancelSignIn />
      </div>
    </AuthPanel>
  );
}
