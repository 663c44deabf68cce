import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { secondFactorMessage } from "~/auth/second-factor-message.server";
import { requirePermission } from "~/auth/guard.server";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import type { Permission } from "~/auth/permissions";
import { retryAfterHeaders, retryAfterHeadersUntil } from "~/auth/retry-after";
import { safeRedirect } from "~/auth/safe-redirect";
import { TotpCodeSchema } from "~/auth/schemas";
import { readSecondFactorBlock } from "~/auth/second-factor.server";
import { stepUp as confirmIdentity } from "~/auth/step-up.server";
import { AuthPanel, FormErrors } from "~/auth/ui/auth-panel";
import { CodeField } from "~/auth/ui/code-field";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";

// Every signed-in role may confirm its identity; what the confirmation unlocks is checked by the page it returns to.
export const permission: Permission = "console:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth:stepUp.pageTitle") }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  const blockedUntil = await readSecondFactorBlock(ctx.staff.id, { kind: "session", sessionId: ctx.session.id });
  return { redirectTo, blockedUntil };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const submission = await parseForm(request, TotpCodeSchema, ctx.staff.language);
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["code"] }), { status: 400 });
  const result = await confirmIdentity(ctx, submission.value.code);
  if (!result.ok) {
    const message = secondFactorMessage(ctx.staff.language ?? "ja", result, "totp");
    return data(submission.reply({ formErrors: [message], hideFields: ["code"] }), {
      status: result.reason === "blocked" ? 429 : 400,
      headers: retryAfterHeadersUntil(result.blockedUntil),
    });
  }
  return redirectWithToast(safeRedirect(submission.value.redirectTo), {
    kind: "success",
    message: translatorFor(ctx.staff.language, "auth")("stepUp.confirmed"),
  });
}

export default function StepUp() {
  const { redirectTo, blockedUntil } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("auth");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TotpCodeSchema }),
  });
  const errors =
    form.errors ?? (blockedUntil ? [t("stepUp.blocked", { until: formatJst(blockedUntil, language) })] : undefined);
  return (
    <AuthPanel title={t("stepUp.pageTitle")} description={t("stepUp.description")}>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <CodeField field={fields.code} />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {t("stepUp.submit")}
        </button>
      </Form>
      <div className="mt-4 text-center text-sm">
        <Link className="text-slate-700 underline" to={redirectTo}>
          {t("stepUp.back")}
        </Link>
      </div>
    </AuthPanel>
  );
}
