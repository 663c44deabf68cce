import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readSessionToken, sessionCookieHeaders } from "~/auth/cookie.server";
import { getSignedInStaff } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { retryAfterHeaders } from "~/auth/retry-after";
import { redirectToQuery, safeRedirect } from "~/auth/safe-redirect";
import { SignInSchema } from "~/auth/schemas";
import { signInWithPassword } from "~/auth/sign-in.server";
import { AuthPanel, FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { originOf } from "~/lib/request-context.server";
import { parseFormData, readForm } from "~/lib/form.server";

// Public: this is where staff prove who they are. What guards it instead of a permission: the per-address throttle,
// the account lockout and the enumeration-safe answers in ~/auth/sign-in.server.
export const permission: Permission | null = null;

export const meta: MetaFunction = () => [{ title: "Sign in · Firebreak" }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  if (await getSignedInStaff(request)) throw redirect(redirectTo);
  return json({ redirectTo, expired: url.searchParams.get("expired") === "1" });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const submission = parseFormData(formData, SignInSchema);
  if (submission.status !== "success") {
    return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
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
    return json(submission.reply({ formErrors: [result.message], hideFields: ["password"] }), {
      status: result.status,
      headers: result.status === 429 ? { "Retry-After": String(result.retryAfterSeconds) } : undefined,
    });
  }
  return redirect(`${result.next}${redirectToQuery(redirectTo)}`, { headers: sessionCookieHeaders(result) });
}

export default function SignIn() {
  const { redirectTo, expired } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInSchema }),
  });
  return (
    <AuthPanel title="Sign in to the console" description="Staff only. You will need your authenticator app.">
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        {expired && !form.errors ? (
          <p role="status" className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 ring-1 ring-sky-200">
            Your session has ended (after 15 minutes without activity, 12 hours at most, or ended by an admin). Sign in
            again to continue.
          </p>
        ) : null}
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div>
          <label className="label" htmlFor={fields.email.id}>
            Work email
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
            Password
          </label>
          <input
            {...getInputProps(fields.password, { type: "password" })}
            className="input mt-1"
            autoComplete="current-password"
          />
          <FieldErrors id={fields.password.errorId} errors={fields.password.errors} />
        </div>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Checking…" : "Continue"}
        </button>
      </Form>
      <p className="mt-4 text-xs text-slate-500">
        Forgot your password or lost your authenticator? Ask an admin for a new one-time link.
      </p>
    </AuthPanel>
  );
}
