import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { secondFactorMessage } from "~/auth/second-factor-message.server";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { retryAfterHeaders, retryAfterSeconds } from "~/auth/retry-after";
import { safeRedirect } from "~/auth/safe-redirect";
import { TotpCodeSchema } from "~/auth/schemas";
import { readSecondFactorBlock } from "~/auth/second-factor.server";
import { stepUp } from "~/auth/step-up.server";
import { AuthPanel, FormErrors } from "~/auth/ui/auth-panel";
import { CodeField } from "~/auth/ui/code-field";
import { now } from "~/lib/clock.server";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";

// Every signed-in role may confirm its identity; what the confirmation unlocks is checked by the page it returns to.
export const permission: Permission = "console:view";

export const meta: MetaFunction = () => [{ title: "Confirm it is you · Firebreak" }];

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
  const result = await stepUp(ctx, submission.value.code);
  if (!result.ok) {
    const message = secondFactorMessage(ctx.staff.language ?? "ja", result, "totp");
    return data(submission.reply({ formErrors: [message], hideFields: ["code"] }), {
      status: result.reason === "blocked" ? 429 : 400,
      headers: blockedHeaders(result.blockedUntil),
    });
  }
  return redirectWithToast(safeRedirect(submission.value.redirectTo), {
    kind: "success",
    message: "Identity confirmed for the next 5 minutes.",
  });
}

export default function StepUp() {
  const { redirectTo, blockedUntil } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TotpCodeSchema }),
  });
  const errors =
    form.errors ??
    (blockedUntil ? [`Too many wrong codes. Confirmation is blocked until ${formatJst(blockedUntil)}.`] : undefined);
  return (
    <AuthPanel
      title="Confirm it is you"
      description="This action needs a fresh code from your authenticator app. The confirmation lasts 5 minutes."
    >
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <CodeField field={fields.code} />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          Confirm
        </button>
      </Form>
      <div className="mt-4 text-center text-sm">
        <Link className="text-slate-700 underline" to={redirectTo}>
          Cancel
        </Link>
      </div>
    </AuthPanel>
  );
}

function blockedHeaders(blockedUntil: Date | null): Record<string, string> | undefined {
  const seconds = retryAfterSeconds(blockedUntil, now());
  return seconds ? { "Retry-After": String(seconds) } : undefined;
}
