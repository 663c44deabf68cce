// The server side of the cohort-reset panel (app/recovery/ui/cohort-reset-panel.tsx), for the saved cohort's page to
// mount: what the panel shows (the dry run, whether the lead may start it now) and its action. Starting needs bulk:run
// and a step-up within the last five minutes; the job then runs in the background and /jobs/:id shows its progress.
import { data } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { hasRecentStepUp, requireStepUp, type StaffContext } from "~/auth/guard.server";
import { roleHasPermission } from "~/auth/permissions";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { parseFormData } from "~/lib/form.server";
import { redirectWithToast } from "~/lib/toast.server";
import { confirmActionWithCode, steppedUpBy } from "~/auth/action-confirmation.server";
import { COHORT_RESET_START, previewCohortReset, startCohortReset } from "~/recovery/cohort-reset.server";
import { COHORT_RESET_INTENT, CohortResetFields } from "~/recovery/schemas";

export type CohortResetPanelData = NonNullable<Awaited<ReturnType<typeof loadCohortResetPanel>>>;

/** For the cohort page's loader: null when the viewer may not run bulk actions (the panel is then not shown). */
export async function loadCohortResetPanel(ctx: StaffContext, cohortId: string) {
  if (!roleHasPermission(ctx.staff.role, "bulk:run")) return null;
  return {
    preview: await previewCohortReset(cohortId),
    steppedUp: hasRecentStepUp(ctx),
    // One key per rendering of the form: a double submit starts one job.
    idempotencyKey: randomUUID(),
  };
}

/** For the cohort page's action when formData's intent is "cohort-reset". Throws the step-up redirect if needed. */
export async function handleCohortResetAction(
  request: Request,
  ctx: StaffContext,
  cohortId: string,
  formData: FormData,
) {
  // Above the bounds the code typed on the form is the fresh code (ADR 017); below them, a step-up first.
  const code = String(formData.get("confirmationCode") ?? "").trim();
  if (!code) await requireStepUp(request, ctx);
  const language = ctx.staff.language;
  const submission = parseFormData(formData, CohortResetFields.omit({ cohortId: true }), language);
  if (submission.status !== "success") {
    return data({ formKey: COHORT_RESET_INTENT, result: submission.reply() }, { status: 400 });
  }
  try {
    // Above the bounds the code typed on this form confirms this cohort's reset only (ADR 017).
    const confirmation = code
      ? await confirmActionWithCode(ctx, code, {
          action: COHORT_RESET_START,
          digest: String(formData.get("digest") ?? "").slice(0, 64),
        })
      : null;
    const started = await startCohortReset(confirmation ? steppedUpBy(ctx, confirmation) : ctx, {
      ...submission.value,
      cohortId,
      idempotencyKey: String(formData.get("idempotencyKey") ?? ""),
      confirmation,
    });
    const t = translatorFor(language, "recovery");
    return redirectWithToast(`/jobs/${started.jobId}`, {
      kind: "success",
      message: started.alreadyStarted
        ? t("cohortReset.alreadyStarted")
        : t("cohortReset.started", { count: started.accounts }),
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data(
      {
        formKey: COHORT_RESET_INTENT,
        result: submission.reply({ formErrors: [translateDomainError(language, error)] }),
      },
      { status: error.status },
    );
  }
}
