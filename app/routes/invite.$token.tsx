import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { readSessionToken, sessionCookieHeaders } from "~/auth/cookie.server";
import { acceptInvite, findLiveInvite } from "~/auth/invite.server";
import { PASSWORD_MIN_LENGTH } from "~/auth/password-policy";
import type { Permission } from "~/auth/permissions";
import { AcceptInviteSchema } from "~/auth/schemas";
import { AuthPanel, FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { languageOf } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { originOf } from "~/lib/request-context.server";
import { parseFormData, readForm } from "~/lib/form.server";

// Public: the invitee has no account yet. The one-time token in the URL is the credential (findLiveInvite checks it,
// acceptInvite spends it in the statement that sets the password).
export const permission: Permission | null = null;

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "auth:invite.pageTitle") },
  // The token is in the URL: never leak it through a Referer (the CSP and Referrer-Policy also say no-referrer).
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const invite = await findLiveInvite(params.token ?? "");
  if (!invite) return { invite: null };
  return {
    invite: {
      email: invite.staff.email,
      displayName: invite.staff.displayName,
      role: invite.staff.role,
      expiresAt: invite.expiresAt,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const language = await languageOf(request);
  const formData = await readForm(request, language);
  const invite = await findLiveInvite(params.token ?? "");
  formData.set("email", invite?.staff.email ?? "");
  const submission = parseFormData(formData, AcceptInviteSchema, language);
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password", "confirmPassword"] }), { status: 400 });
  }
  try {
    const session = await acceptInvite({
      token: params.token ?? "",
      password: submission.value.password,
      origin: originOf(request),
      previousToken: readSessionToken(request),
    });
    return redirect(session.next, { headers: sessionCookieHeaders(session) });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const message = translateDomainError(language, error);
    return data(submission.reply({ formErrors: [message], hideFields: ["password", "confirmPassword"] }), {
      status: error.status,
    });
  }
}

export default function AcceptInvite() {
  const { invite } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("auth");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => {
      if (invite) formData.set("email", invite.email);
      return parseWithZod(formData, { schema: AcceptInviteSchema });
    },
  });
  if (!invite) {
    return (
      <AuthPanel title={t("invite.unusableTitle")}>
        <p className="text-sm text-slate-700" data-testid="invite-unusable">
          {t("invite.unusable")}
        </p>
      </AuthPanel>
    );
  }
  return (
    <AuthPanel
      title={t("invite.welcome", { name: invite.displayName })}
      description={
        <Trans
          t={t}
          i18nKey="invite.description"
          values={{ email: invite.email, role: invite.role, until: formatJst(invite.expiresAt, language) }}
          components={{ strong: <strong /> }}
        />
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="email" name="username" value={invite.email} autoComplete="username" readOnly hidden />
        <div>
          <label className="label" htmlFor={fields.password.id}>
            {t("invite.newPassword")}
          </label>
          <input
            {...getInputProps(fields.password, { type: "password" })}
            className="input mt-1"
            autoComplete="new-password"
            autoFocus
          />
          <p className="mt-1 text-xs text-slate-500">{t("invite.passwordHint", { min: PASSWORD_MIN_LENGTH })}</p>
          <FieldErrors id={fields.password.errorId} errors={fields.password.errors} />
        </div>
        <div>
          <label className="label" htmlFor={fields.confirmPassword.id}>
            {t("invite.repeat")}
          </label>
          <input
            {...getInputProps(fields.confirmPassword, { type: "password" })}
            className="input mt-1"
            autoComplete="new-password"
          />
          <FieldErrors id={fields.confirmPassword.errorId} errors={fields.confirmPassword.errors} />
        </div>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("invite.submit")}
        </button>
      </Form>
    </AuthPanel>
  );
}
