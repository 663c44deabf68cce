import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { sessionCookieHeaders } from "~/auth/cookie.server";
import { requirePasswordSession } from "~/auth/pending-session.server";
import type { Permission } from "~/auth/permissions";
import { retryAfterHeaders, retryAfterSeconds } from "~/auth/retry-after";
import { redirectToQuery } from "~/auth/safe-redirect";
import { TotpCodeSchema } from "~/auth/schemas";
import { secondFactorBlockedUntil } from "~/auth/second-factor.server";
import { completeSignIn } from "~/auth/second-step.server";
import { AuthPanel, FormErrors } from "~/auth/ui/auth-panel";
import { CodeField } from "~/auth/ui/code-field";
import { CancelSignIn } from "~/auth/ui/sign-out-button";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { formatJst } from "~/lib/format";
import { parseForm } from "~/lib/form.server";

// Reachable with a password-only session (that is its purpose), so no permission: requirePasswordSession guards it.
export const permission: Permission | null = null;

export const meta: MetaFunction = () => [{ title: "Authenticator code · Firebreak" }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await requirePasswordSession(request, "enrolled");
  const blockedUntil = await secondFactorBlockedUntil(prisma, pending.staff.id, {
    kind: "source",
    ip: pending.origin.ip,
  });
  return json({ email: pending.staff.email, redirectTo: pending.redirectTo, blockedUntil });
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await requirePasswordSession(request, "enrolled");
  const submission = await parseForm(request, TotpCodeSchema);
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["code"] }), { status: 400 });
  const result = await completeSignIn(pending, "totp", submission.value.code);
  if (!result.ok) {
    return json(submission.reply({ formErrors: [result.message], hideFields: ["code"] }), {
      status: result.reason === "blocked" ? 429 : 400,
      headers: blockedHeaders(result.blockedUntil),
    });
  }
  return redirect(pending.redirectTo, { headers: sessionCookieHeaders(result.value) });
}

export default function TotpStep() {
  const { email, redirectTo, blockedUntil } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TotpCodeSchema }),
  });
  const errors =
    form.errors ??
    (blockedUntil ? [`Too many wrong codes. The second step is blocked until ${formatJst(blockedUntil)}.`] : undefined);
  return (
    <AuthPanel
      title="Enter your authenticator code"
      description={
        <>
          Signing in as <strong>{email}</strong>. Open your authenticator app and type the 6-digit code for Firebreak.
        </>
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <CodeField field={fields.code} />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          Verify and sign in
        </button>
      </Form>
      <div className="mt-4 space-y-3 text-center text-sm">
        <Link className="text-slate-700 underline" to={`/sign-in/recovery${redirectToQuery(redirectTo)}`}>
          Lost your phone? Use a recovery code
        </Link>
        <CancelSignIn />
      </div>
    </AuthPanel>
  );
}

function blockedHeaders(blockedUntil: Date | null): Record<string, string> | undefined {
  const seconds = retryAfterSeconds(blockedUntil, now());
  return seconds ? { "Retry-After": String(seconds) } : undefined;
}
