// "Force resets for this cohort": the dry run (how many accounts get a link, how many are held for review or
// skipped), the step-up notice, and the confirming form. Mounted by the saved cohort's page; the server side is
// app/recovery/cohort-reset-form.server.ts.
import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BoundCodeField } from "~/components/bound-code-field";
import { FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import type { CohortResetPanelData } from "~/recovery/cohort-reset-form.server";
import { CohortResetFields } from "~/recovery/schemas";

const FormFields = CohortResetFields.omit({ cohortId: true });

export function CohortResetPanel({
  data,
  lastResult,
}: {
  data: CohortResetPanelData;
  lastResult?: SubmissionResult<string[]>;
}) {
  const location = useLocation();
  const { t } = useTranslation("recovery");
  const [form, fields] = useForm({
    id: "cohort-reset",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: FormFields }),
  });
  const { preview } = data;
  return (
    <section className="card space-y-3" data-testid="cohort-reset-panel">
      <h2 className="font-semibold">{t("cohortReset.title")}</h2>
      <ul className="text-sm text-slate-700">
        <li>{t("cohortReset.accounts", { count: preview.accounts })}</li>
        <li>{t("cohortReset.links", { count: preview.linksToSend })}</li>
        {preview.emailUnderReview > 0 ? (
          <li>{t("cohortReset.underReview", { count: preview.emailUnderReview })}</li>
        ) : null}
        {preview.noVerifiedEmail > 0 ? (
          <li>{t("cohortReset.noVerifiedEmail", { count: preview.noVerifiedEmail })}</li>
        ) : null}
        {preview.closed > 0 ? <li>{t("cohortReset.closed", { count: preview.closed })}</li> : null}
      </ul>
      {/* Above the bounds the code on the form is the fresh code: no step-up page first (ADR 017). */}
      {!data.steppedUp && !preview.needsCode ? (
        <p className="text-sm text-amber-800">
          {t("cohortReset.needsStepUp")}{" "}
          <Link
            className="underline"
            to={`/step-up?redirectTo=${encodeURIComponent(location.pathname + location.search)}`}
            data-testid="cohort-reset-step-up"
          >
            {t("cohortReset.confirmItsYou")}
          </Link>
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <input type="hidden" name="idempotencyKey" value={data.idempotencyKey} />
        <input type="hidden" name="digest" value={preview.digest} />
        {preview.needsCode ? (
          <BoundCodeField
            label={t("cohortReset.codeLabel")}
            help={t("cohortReset.codeHelp")}
            testId="cohort-reset-confirmation-code"
          />
        ) : null}
        <FormErrors id={form.errorId} errors={form.errors} />
        <label className="flex items-center gap-2 text-sm">
          <input {...getInputProps(fields.requireTwoFactor, { type: "checkbox" })} />
          {t("cohortReset.requireTwoFactor")}
        </label>
        <div>
          <label className="label" htmlFor={fields.reason.id}>
            {t("reason")}
          </label>
          <textarea className="input mt-1" rows={2} {...getTextareaProps(fields.reason)} />
          <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
        </div>
        <button
          type="submit"
          name="intent"
          value="cohort-reset"
          className="btn-danger"
          disabled={!data.steppedUp && !preview.needsCode}
        >
          {t("cohortReset.submit", { count: preview.accounts })}
        </button>
      </Form>
    </section>
  );
}
