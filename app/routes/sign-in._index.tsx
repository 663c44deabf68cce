import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { readSessionToken, sessionCookieHeaders } from "~/auth/cookie.server";
import { getSignedInStaff } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { retryAfterHeaders } from "~/auth/retry-after";
import { redirectToQuery, safeRedirect } from "~/auth/safe-redirect";
import { SignInSchema } from "~/auth/schemas";
import { signInWithPassword } from "~/auth/sign-in.server";
import { AuthPanel, FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorForRequest } from "~/i18n/i18next.server";
import { originOf } from "~/lib/request-context.server";
import { parseFormData, readForm } from "~/lib/form.server";

// Public: this is where staff prove who they are. What guards it instead of a permission: the per-address throttle,
// the account lockout and the enumeration-safe answers in ~/auth/sign-in.server.
export const permission: Permission | null = null;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth:signIn.pageTitle") }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  if (await getSignedInStaff(request)) throw redirect(redirectTo);
  const expired = url.searchParams.get("expired") === "1";
  return { redirectTo, expired, unsent: expired && url.searchParams.get("unsent") === "1" };
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const submission = parseFormData(formData, SignInSchema);
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { email, password } = submission.value;
  const redirectTo = safeRedirect(submission.value.redirectTo);
  const result = await signInWithPassword({
    email,
    password,
    origin: originOf(request),
    previousToken: readSessionToken(request),
  });
  if (!result.ok) {
    const t = await translatorForRequest(request, "auth");
    const message =
      result.status === 429
        ? t("signIn.throttled", { count: Math.ceil(result.retryAfterSeconds / 60) })
        : t("signIn.rejected");
    return data(submission.reply({ formErrors: [message], hideFields: ["password"] }), {
      status: result.status,
      headers: result.status === 429 ? { "Retry-After": String(result.retryAfterSeconds) } : undefined,
    });
  }
  return redirect(`${result.next}${redirectToQuery(redirectTo)}`, { headers: sessionCookieHeaders(result) });
}

export default function SignIn() {
  const { redirectTo, expired, unsent } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInSchema }),
  });
  return (
    <AuthPanel title={t("signIn.title")} description={t("signIn.description")}>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        {expired && !form.errors ? (
          <p role="status" className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 ring-1 ring-sky-200">
            {t("signIn.expired")}
            {unsent ? ` ${t("signIn.unsent")}` : ""}
          </p>
        ) : null}
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div>
          <label className="label" htmlFor={fields.email.id}>
            {t("signIn.email")}
          </label>
          <input
            {...getInputProps(fields.email, { type: "email" })}
            className="input mt-1"
            autoComplete="username"
            autoFocus
          />
          <FieldErrors id={fields.email.errorId} errors={fields.email.errors} />
        </div>
        <div>
          <label className="label" htmlFor={fields.password.id}>
            {t("signIn.password")}
          </label>
          <input
            {...getInputProps(fields.password, { type: "password" })}
            className="input mt-1"
            autoComplete="current-password"
          />
          <FieldErrors id={fields.password.errorId} errors={fields.password.errors} />
        </div>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? t("signIn.checking") : t("signIn.continue")}
        </button>
      </Form>
      <p className="mt-4 text-xs text-slate-500">{t("signIn.forgot")}</p>
    </AuthPanel>
  );
}
