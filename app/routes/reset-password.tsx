// The page a reset mail links to: the wallet's, served by this app for the demo. It checks the link on the way in
// (read-only: expired, used, replaced or another account's links are explained, not redeemed), and redeems it once
// when the customer sets a new password. The token travels only in the URL the mail carried; the page never writes
// it into logs or audit rows, and the response is no-store and never sent as a referrer to another site.
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import type { Permission } from "~/auth/permissions";
import { AuthPanel, FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { formatJst } from "~/lib/format";
import { isDomainError } from "~/lib/domain-error";
import { originOf } from "~/lib/request-context.server";
import { NewCustomerPasswordSchema } from "~/recovery/schemas";
import { inspectResetLink, redeemPasswordReset } from "~/wallet/password-reset.server";
import { parseForm } from "~/lib/form.server";

// Public: customers arrive here from the link in their email and have no staff session. The single-use token in the
// link is the credential; the wallet back end checks it (hash lookup, conditional update) and audits every attempt.
export const permission: Permission | null = null;

export const meta: MetaFunction = () => [{ title: "Set a new password" }];

// The URL carries the token: never cached, and never sent as a referrer to another site. Same-origin (not no-referrer):
// with no-referrer a browser posting the form without JavaScript sends "Origin: null", which the CSRF check refuses.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "same-origin" });

function linkParams(request: Request) {
  const url = new URL(request.url);
  return { token: url.searchParams.get("token") ?? "", account: url.searchParams.get("account") ?? "" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { token, account } = linkParams(request);
  const inspection = await inspectResetLink(token, account, originOf(request).ip);
  if (!inspection.ok) return json({ ok: false as const, message: inspection.message }, { status: 200 });
  return json({ ok: true as const, displayId: inspection.displayId, expiresAt: inspection.expiresAt.toISOString() });
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = await parseForm(request, NewCustomerPasswordSchema);
  if (submission.status !== "success") {
    return json(
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
    return json({ done: true as const, displayId: redeemed.displayId });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json(
      {
        done: false as const,
        result: submission.reply({ formErrors: [error.message], hideFields: ["password", "confirmPassword"] }),
      },
      { status: error.status },
    );
  }
}

export default function ResetPassword() {
  const link = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const location = useLocation();
  const [form, fields] = useForm({
    lastResult: actionData && !actionData.done ? actionData.result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NewCustomerPasswordSchema }),
  });

  if (actionData?.done) {
    return (
      <AuthPanel title="Your password has been changed">
        <p data-testid="reset-done" className="text-sm text-slate-700">
          Sign in to the wallet app with member number <strong>{actionData.displayId}</strong> and your new password.
          For your security, every device was signed out. If the app asks you to set up an authenticator, follow its
          steps: your account cannot be used without it.
        </p>
      </AuthPanel>
    );
  }
  if (!link.ok) {
    return (
      <AuthPanel title="This link cannot be used">
        <p role="alert" data-testid="reset-link-problem" className="text-sm text-red-800">
          {link.message}
        </p>
      </AuthPanel>
    );
  }
  return (
    <AuthPanel
      title="Set a new password"
      description={
        <>
          For member number <strong>{link.displayId}</strong>. This link works once, until {formatJst(link.expiresAt)}.
        </>
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
            New password
          </label>
          <input
            className="input mt-1"
            autoComplete="new-password"
            {...getInputProps(fields.password, { type: "password" })}
          />
          <p className="mt-1 text-xs text-slate-500">At least 12 characters. A phrase of several words is easiest.</p>
          <FieldErrors id={fields.password.errorId} errors={fields.password.errors} />
        </div>
        <div>
          <label className="label" htmlFor={fields.confirmPassword.id}>
            Repeat the new password
          </label>
          <input
            className="input mt-1"
            autoComplete="new-password"
            {...getInputProps(fields.confirmPassword, { type: "password" })}
          />
          <FieldErrors id={fields.confirmPassword.errorId} errors={fields.confirmPassword.errors} />
        </div>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          Set the new password
        </button>
      </Form>
    </AuthPanel>
  );
}
