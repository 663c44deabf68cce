// The page a reset mail links to: the wallet's, served by this app for the demo. It checks the link on the way in
// (read-only: expired, used, replaced or another account's links are explained, not redeemed), and redeems it once
// when the customer sets a new password. The token travels only in the URL the mail carried; the page never writes
// it into logs or audit rows, and the response is no-store and never sent as a referrer to another site.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { PASSWORD_MIN_LENGTH } from "~/auth/password-policy";
import type { Permission } from "~/auth/permissions";
import { AuthPanel, FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { isLanguage, type Language } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { languageOf } from "~/i18n/i18next.server";
import { translateDomainError, translateMessage } from "~/i18n/translate.server";
import { formatJst } from "~/lib/format";
import { isDomainError } from "~/lib/domain-error";
import { originOf } from "~/lib/request-context.server";
import { NewCustomerPasswordSchema } from "~/recovery/schemas";
import { BUSY_RETRY_AFTER_SECONDS, isCustomerServiceBusy } from "~/wallet/customer-pool-busy.server";
import { inspectResetLink, isLinkProblem, redeemPasswordReset, type LinkProblem } from "~/wallet/password-reset.server";
import { parseForm } from "~/lib/form.server";

// Public: customers arrive here from the link in their email and have no staff session. The single-use token in the
// link is the credential; the wallet back end checks it (hash lookup, conditional update) and audits every attempt.
export const permission: Permission | null = null;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth:resetPassword.pageTitle") }];

// The URL carries the token: never cached, and never sent as a referrer to another site. Same-origin (not no-referrer):
// with no-referrer a browser posting the form without JavaScript sends "Origin: null", which the CSRF check refuses.
// A busy answer also says when to try again (ADR 114).
export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  return {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    ...(retryAfter ? { "Retry-After": retryAfter } : {}),
  };
};

/** "Busy, try again in a moment": the customers' pool had no connection free within its short wait (ADR 114). */
const BUSY = { status: 503, headers: { "Retry-After": String(BUSY_RETRY_AFTER_SECONDS) } } as const;

function linkParams(request: Request) {
  const url = new URL(request.url);
  return { token: url.searchParams.get("token") ?? "", account: url.searchParams.get("account") ?? "" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { token, account } = linkParams(request);
  let inspection: Awaited<ReturnType<typeof inspectResetLink>>;
  try {
    inspection = await inspectResetLink(token, account, originOf(request).ip);
  } catch (error) {
    if (!isCustomerServiceBusy(error)) throw error;
    const message = translateMessage(await languageOf(request), "auth:resetPassword.busy");
    return data({ ok: false as const, busy: true, message }, BUSY);
  }
  if (!inspection.ok) {
    const message = linkProblemText(await languageOf(request), inspection.code, inspection.at);
    return data({ ok: false as const, busy: false, message }, { status: 200 });
  }
  return { ok: true as const, displayId: inspection.displayId, expiresAt: inspection.expiresAt.toISOString() };
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = await parseForm(request, NewCustomerPasswordSchema, await languageOf(request));
  if (submission.status !== "success") {
    return data(
      { done: false as const, result: submission.reply({ hideFields: ["password", "confirmPassword"] }) },
      400,
    );
  }
  const { token, account } = linkParams(request);
  try {
    const redeemed = await redeemPasswordReset({
      token,
      account,
      newPassword: submission.value.password,
      origin: originOf(request),
    });
    return { done: true as const, displayId: redeemed.displayId };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const language = await languageOf(request);
    if (isCustomerServiceBusy(error)) {
      const busy = translateMessage(language, "auth:resetPassword.busy");
      const result = submission.reply({ formErrors: [busy], hideFields: ["password", "confirmPassword"] });
      return data({ done: false as const, result }, BUSY);
    }
    const at = typeof error.params.at === "string" ? error.params.at : null;
    return data(
      {
        done: false as const,
        result: submission.reply({
          formErrors: [
            isLinkProblem(error.code)
              ? linkProblemText(language, error.code, at)
              : translateDomainError(language, error),
          ],
          hideFields: ["password", "confirmPassword"],
        }),
      },
      { status: error.status },
    );
  }
}

/** Why a link cannot be used, in the visitor's language (the service's own sentence is English). */
function linkProblemText(language: Language | undefined, code: LinkProblem, at: string | null): string {
  return translateMessage(language, `auth:resetPassword.linkProblem.${code}`, { at: formatJst(at, language) });
}

export default function ResetPassword() {
  const link = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const location = useLocation();
  const { t, i18n } = useTranslation("auth");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const [form, fields] = useForm({
    lastResult: actionData && !actionData.done ? actionData.result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NewCustomerPasswordSchema }),
  });

  if (actionData?.done) {
    return (
      <AuthPanel title={t("resetPassword.doneTitle")}>
        <p data-testid="reset-done" className="text-sm text-slate-700">
          <Trans
            t={t}
            i18nKey="resetPassword.done"
            values={{ displayId: actionData.displayId }}
            components={{ strong: <strong /> }}
          />
        </p>
      </AuthPanel>
    );
  }
  if (!link.ok) {
    return (
      <AuthPanel title={link.busy ? t("resetPassword.busyTitle") : t("resetPassword.unusableTitle")}>
        <p role="alert" data-testid="reset-link-problem" className="text-sm text-red-800">
          {link.message}
        </p>
      </AuthPanel>
    );
  }
  return (
    <AuthPanel
      title={t("resetPassword.title")}
      description={
        <Trans
          t={t}
          i18nKey="resetPassword.description"
          values={{ displayId: link.displayId, until: formatJst(link.expiresAt, language) }}
          components={{ strong: <strong /> }}
        />
      }
    >
      {/* Posts back to this same address: the link's token is read from the URL, never from the page. */}
      <Form
        method="post"
        action={`${location.pathname}${location.search}`}
        {...getFormProps(form)}
        className="space-y-4"
      >
        <FormErrors id={form.errorId} errors={form.errors} />
        <div>
          <label className="label" htmlFor={fields.password.id}>
            {t("resetPassword.newPassword")}
          </label>
          <input
            className="input mt-1"
            autoComplete="new-password"
            {...getInputProps(fields.password, { type: "password" })}
          />
          <p className="mt-1 text-xs text-slate-500">{t("resetPassword.passwordHint", { min: PASSWORD_MIN_LENGTH })}</p>
          <FieldErrors id={fields.password.errorId} errors={fields.password.errors} />
        </div>
        <div>
          <label className="label" htmlFor={fields.confirmPassword.id}>
            {t("resetPassword.repeat")}
          </label>
          <input
            className="input mt-1"
            autoComplete="new-password"
            {...getInputProps(fields.confirmPassword, { type: "password" })}
          />
          <FieldErrors id={fields.confirmPassword.errorId} errors={fields.confirmPassword.errors} />
        </div>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("resetPassword.submit")}
        </button>
      </Form>
    </AuthPanel>
  );
}
