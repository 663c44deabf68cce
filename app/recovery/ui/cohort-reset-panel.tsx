// "Force resets for this cohort": the dry run (how many accounts get a link, how many are held for review or
// skipped), the step-up notice, and the confirming form. Mounted by the saved cohort's page; the server side is
// app/recovery/cohort-reset-form.server.ts.
import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, Link, useLocation } from "@remix-run/react";
import { FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { CohortResetFields } from "~/recovery/schemas";

export interface CohortResetPanelData {
  preview: {
    accounts: number;
    closed: number;
    noVerifiedEmail: number;
    emailUnderReview: number;
    linksToSend: number;
    digest: string;
    needsCode: boolean;
  };
  steppedUp: boolean;
  idempotencyKey: string;
}

const FormFields = CohortResetFields.omit({ cohortId: true });

export function CohortResetPanel({
  data,
  lastResult,
}: {
  data: CohortResetPanelData;
  lastResult?: SubmissionResult<string[]>;
}) {
  const location = useLocation();
  const [form, fields] = useForm({
    id: "cohort-reset",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: FormFields }),
  });
  const { preview } = data;
  return (
    <section className="card space-y-3" data-testid="cohort-reset-panel">
      <h2 className="font-semibold">Force password resets</h2>
      <ul className="text-sm text-slate-700">
        <li>{preview.accounts} accounts: every session and device signed out, a new password required.</li>
        <li>{preview.linksToSend} get a single-use link at the verified email on file (30 minutes).</li>
        {preview.emailUnderReview > 0 ? (
          <li>
            {preview.emailUnderReview} have a recent, unreviewed email change: their link is held until an agent
            restores or confirms it.
          </li>
        ) : null}
        {preview.noVerifiedEmail > 0 ? <li>{preview.noVerifiedEmail} have no verified email: no link.</li> : null}
        {preview.closed > 0 ? <li>{preview.closed} are closed and are skipped.</li> : null}
      </ul>
      {!data.steppedUp ? (
        <p className="text-sm text-amber-800">
          A cohort reset needs a fresh code.{" "}
          <Link
            className="underline"
            to={`/step-up?redirectTo=${encodeURIComponent(location.pathname + location.search)}`}
            data-testid="cohort-reset-step-up"
          >
            Confirm it is you
          </Link>
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <input type="hidden" name="idempotencyKey" value={data.idempotencyKey} />
        <input type="hidden" name="digest" value={preview.digest} />
        {preview.needsCode ? (
          <label className="block text-sm">
            <span className="label">Authenticator code for this reset</span>
            <input
              name="confirmationCode"
              className="input mt-1 w-32 font-mono"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              data-testid="cohort-reset-confirmation-code"
            />
            <span className="mt-1 block text-xs text-slate-600">
              A reset this large needs a fresh code typed here: it confirms this cohort&apos;s reset only.
            </span>
          </label>
        ) : null}
        <FormErrors id={form.errorId} errors={form.errors} />
        <label className="flex items-center gap-2 text-sm">
          <input {...getInputProps(fields.requireTwoFactor, { type: "checkbox" })} />
          Require an authenticator (2FA) at the next sign-in
        </label>
        <div>
          <label className="label" htmlFor={fields.reason.id}>
            Reason (goes in the audit log)
          </label>
          <textarea className="input mt-1" rows={2} {...getTextareaProps(fields.reason)} />
          <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
        </div>
        <button type="submit" name="intent" value="cohort-reset" className="btn-danger" disabled={!data.steppedUp}>
          {`Force resets for ${preview.accounts} accounts`}
        </button>
      </Form>
    </section>
  );
}
