import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readSessionToken, sessionCookieHeaders } from "~/auth/cookie.server";
import { acceptInvite, findLiveInvite } from "~/auth/invite.server";
import { PASSWORD_MIN_LENGTH } from "~/auth/password-policy";
import type { Permission } from "~/auth/permissions";
import { AcceptInviteSchema } from "~/auth/schemas";
import { AuthPanel, FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { originOf } from "~/lib/request-context.server";
import { parseFormData, readForm } from "~/lib/form.server";

// Public: the invitee has no account yet. The one-time token in the URL is the credential (findLiveInvite checks it,
// acceptInvite spends it in the statement that sets the password).
export const permission: Permission | null = null;

export const meta: MetaFunction = () => [
  { title: "Set your password · Firebreak" },
  // The token is in the URL: never leak it through a Referer (the CSP and Referrer-Policy also say no-referrer).
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const invite = await findLiveInvite(params.token ?? "");
  if (!invite) return json({ invite: null });
  return json({
    invite: {
      email: invite.staff.email,
      displayName: invite.staff.displayName,
      role: invite.staff.role,
      expiresAt: invite.expiresAt,
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const invite = await findLiveInvite(params.token ?? "");
  formData.set("email", invite?.staff.email ?? "");
  const submission = parseFormData(formData, AcceptInviteSchema);
  if (submission.status !== "success") {
    return json(submission.reply({ hideFields: ["password", "confirmPassword"] }), { status: 400 });
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
    return json(submission.reply({ formErrors: [error.message], hideFields: ["password", "confirmPassword"] }), {
      status: error.status,
    });
  }
}

export default function AcceptInvite() {
  const { invite } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
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
      <AuthPanel title="This link does not work">
        <p className="text-sm text-slate-700" data-testid="invite-unusable">
          The link has expired or was already used. Ask an admin to send you a new one.
        </p>
      </AuthPanel>
    );
  }
  return (
    <AuthPanel
      title={`Welcome, ${invite.displayName}`}
      description={
        <>
          Set a password for <strong>{invite.email}</strong> ({invite.role}). This link works once, until{" "}
          {formatJst(invite.expiresAt)}. Next you will set up an authenticator app.
        </>
      }
    >
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="email" name="username" value={invite.email} autoComplete="username" readOnly hidden />
        <div>
          <label className="label" htmlFor={fields.password.id}>
            New password
          </label>
          <input
            {...getInputProps(fields.password, { type: "password" })}
            className="input mt-1"
            autoComplete="new-password"
            autoFocus
          />
          <p className="mt-1 text-xs text-slate-500">
            At least {PASSWORD_MIN_LENGTH} characters. A passphrase of several words is easiest.
          </p>
          <FieldErrors id={fields.password.errorId} errors={fields.password.errors} />
        </div>
        <div>
          <label className="label" htmlFor={fields.confirmPassword.id}>
            Repeat the password
          </label>
          <input
            {...getInputProps(fields.confirmPassword, { type: "password" })}
            className="input mt-1"
            autoComplete="new-password"
          />
          <FieldErrors id={fields.confirmPassword.errorId} errors={fields.confirmPassword.errors} />
        </div>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === "submitting"}>
          Set password and continue
        </button>
      </Form>
    </AuthPanel>
  );
}
