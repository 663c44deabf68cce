// Account recovery for one customer: review the contact history, record what the caller proved, restore a hijacked
// contact (or confirm a recent change), and force a password reset whose link only ever goes to the verified email on
// file. The account view links here. Every change goes through the domain services in app/recovery (the audited
// spine); this route only parses forms and shows results.
import { formatPhone } from "~/accounts/masking";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z, ZodTypeAny } from "zod";
import { isUuid } from "~/lib/uuid";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import { StepUpRequiredError } from "~/audit/perform-action.server";
import { hasRecentStepUp, requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { formatJst } from "~/lib/format";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";
import { isDomainError } from "~/lib/domain-error";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { redirectWithToast } from "~/lib/toast.server";
import { forceReset, forcedResetNeedsCode } from "~/recovery/force-reset.server";
import { recordIdentityCheck } from "~/recovery/identity-check.server";
import { loadRecoveryView } from "~/recovery/recovery-view.server";
import { requestKeepContact } from "~/recovery/keep-contact.server";
import { sendRecoveryCode, verifyRecoveryCode } from "~/recovery/recovery-code.server";
import { restoreContact } from "~/recovery/restore-contact.server";
import { describeCheck, describeReset } from "~/recovery/recovery-messages";
import {
  ConfirmContactFields,
  ForceResetFields,
  IdentityCheckFields,
  RestoreContactFields,
  SendRecoveryCodeFields,
  VerifyRecoveryCodeFields,
} from "~/recovery/schemas";
import {
  ForceResetForm,
  IdentityCheckForm,
  KeepContactForm,
  RestoreForm,
  SendCodeForm,
  VerifyCodeForm,
} from "~/recovery/ui/recovery-forms";
import { Pill } from "~/components/pill";
import { ContactHistory, ResetLinks } from "~/recovery/ui/recovery-sections";
import { parseFormData, readForm } from "~/lib/form.server";

// The page's loader needs the reset permission; restoring contacts and recording checks are checked again by the
// spine against recovery:restore-contact.
export const permission: Permission = "recovery:force-reset";

// A refusal here is often the news that the page is stale (a reset already made from this form, another agent's
// restore): the page is read again beside it.
export const shouldRevalidate = revalidateAfterRefusal;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "recovery:pageTitle") }];

const SCHEMAS: Record<string, ZodTypeAny> = {
  "identity-check": IdentityCheckFields,
  "send-code": SendRecoveryCodeFields,
  "verify-code": VerifyRecoveryCodeFields,
  restore: RestoreContactFields,
  keep: ConfirmContactFields,
  "force-reset": ForceResetFields,
};

type ForceResetSubmission = z.output<typeof ForceResetFields>;

/** The page's forms besides the reset, each given its own one-time key by the loader (ADR 112). */
const RECOVERY_FORMS = [
  "identity-check",
  "send-code",
  "verify-code",
  "restore-EMAIL",
  "restore-PHONE",
  "keep",
] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  try {
    const view = await loadRecoveryView(ctx, params.customerId ?? "");
    // Sent here from a refund that waits for the account to be secured: the reset form brings the agent back to it.
    const charge = new URL(request.url).searchParams.get("charge");
    // A fresh key per render of the reset form: a second post of the same form resets nobody again (ADR 087).
    const returnToCharge = charge && isUuid(charge) ? charge : null;
    // Past the member's hourly budget of customers (ADR 104) the reset asks for a fresh code: the form says so first.
    const resetNeedsCode = !hasRecentStepUp(ctx) && (await forcedResetNeedsCode(ctx.staff.id, view.customer.id));
    // And one per other form of the page, named by its formKey (ADR 112): no two forms share a key.
    const submissionKeys = Object.fromEntries(
      RECOVERY_FORMS.map((formName) => [formName, newSubmissionKey()]),
    ) as Record<(typeof RECOVERY_FORMS)[number], string>;
    return { ...view, submissionKey: newSubmissionKey(), submissionKeys, returnToCharge, resetNeedsCode };
  } catch (error) {
    rethrowForErrorPage(error, ctx.staff.language);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const customerId = params.customerId ?? "";
  const formData = await readForm(request, ctx.staff.language);
  const intent = String(formData.get("intent") ?? "");
  const formKey = String(formData.get("formKey") ?? intent);
  const language = ctx.staff.language;
  const t = translatorFor(language, "recovery");
  const schema = SCHEMAS[intent];
  if (!schema) return data({ formKey, result: null, message: t("unknownAction") }, { status: 400 });
  const submission = parseFormData(formData, schema, language);
  if (submission.status !== "success") return data({ formKey, result: submission.reply(), message: null }, 400);
  const here = `/accounts/${customerId}/recovery`;
  try {
    switch (intent) {
      case "identity-check": {
        const check = await recordIdentityCheck(ctx, { ...submission.value, customerId });
        // Answers are never echoed back into the form.
        return redirectWithToast(here, {
          kind: check.passed ? "success" : "error",
          message: describeCheck(check, language),
        });
      }
      case "restore": {
        const restored = await restoreContact(ctx, { ...submission.value, customerId });
        return redirectWithToast(here, {
          kind: "success",
          message:
            restored.field === "EMAIL"
              ? t("toast.restoredEMAIL", { value: restored.restored })
              : t("toast.restoredPHONE", { value: restored.restored }),
        });
      }
      case "send-code": {
        const sent = await sendRecoveryCode(ctx, { ...submission.value, customerId });
        return redirectWithToast(here, { kind: "success", message: t("toast.codeSent", { to: sent.sentTo }) });
      }
      case "verify-code": {
        await verifyRecoveryCode(ctx, { ...submission.value, customerId });
        return redirectWithToast(here, { kind: "success", message: t("toast.codeVerified") });
      }
      case "keep": {
        await requestKeepContact(ctx, { ...submission.value, customerId });
        return redirectWithToast(here, { kind: "success", message: t("toast.keepRequested") });
      }
      default: {
        const { returnToCharge, ...reset } = submission.value as ForceResetSubmission;
        const summary = await forceReset(ctx, { ...reset, customerId });
        // A link sent secures the account (ADR 089): back to the refund that waited for it. A held link does not.
        const sent = summary.delivery.kind === "QUEUED";
        const next = sent && returnToCharge ? `/accounts/${customerId}/reverse?charge=${returnToCharge}` : here;
        return redirectWithToast(next, {
          kind: summary.delivery.kind === "QUEUED" ? "success" : "info",
          message: describeReset(summary, language),
        });
      }
    }
  } catch (error) {
    if (error instanceof StepUpRequiredError && intent === "force-reset") {
      // Refused and audited by the spine (the member's budget of customers this hour, ADR 104): a fresh code, then back.
      const { returnToCharge } = submission.value as ForceResetSubmission;
      const back = returnToCharge ? `${here}?charge=${returnToCharge}` : here;
      return redirect(`/step-up?redirectTo=${encodeURIComponent(back)}`);
    }
    // The same rendered form sent again by the same member: led back here, where the first send's check, code or
    // change shows (audited ALREADY_SUBMITTED by the spine), rather than told someone changed the contact meanwhile.
    if (error instanceof AlreadySubmittedError && error.outcome) {
      return redirectWithToast(here, { kind: "success", message: t("toast.sentOnce") });
    }
    if (!isDomainError(error)) throw error;
    return data(
      {
        formKey,
        result: submission.reply({
          formErrors: [translateDomainError(language, error)],
          hideFields: ["birthDate", "lastTopUpYen", "cardLast4", "code"],
        }),
        message: null,
      },
      { status: error.status },
    );
  }
}

export default function AccountRecovery() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (key: string) => (actionData?.formKey === key && actionData.result ? actionData.result : undefined);
  const { customer } = view;
  const { t, i18n } = useTranslation("recovery");
  const language = usePageLanguage();
  const fact = (value: string) =>
    i18n.exists(`recovery:identity.fact.${value}`) ? t(`identity.fact.${value}` as never) : value;
  const usableCheck = view.identityChecks.find((check) => check.usable);
  const emailReview = view.review.EMAIL;
  const candidates = (field: "EMAIL" | "PHONE") => view.history.filter((row) => row.field === field && row.restorable);
  const destination =
    customer.status === "CLOSED"
      ? t("destination.closed")
      : !customer.emailVerified
        ? t("destination.unverified")
        : emailReview
          ? t("destination.underReview", {
              email: customer.email,
              at: formatJst(emailReview.changedAt, language),
            })
          : t("destination.verified", { email: customer.email });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            <Link to={`/accounts/${customer.id}`} className="underline">
              {customer.displayId}
            </Link>{" "}
            ·{" "}
            {i18n.exists(`recovery:accountStatus.${customer.status}`)
              ? t(`accountStatus.${customer.status}` as never)
              : customer.status}
          </p>
          <h1 className="text-2xl font-bold">{t("title", { name: customer.name })}</h1>
        </div>
        <div className="flex flex-wrap gap-2" data-testid="recovery-flags">
          {customer.mustChangePassword ? <Pill tone="amber">{t("flags.mustChangePassword")}</Pill> : null}
          {customer.mustEnrollTwoFactor ? <Pill tone="amber">{t("flags.mustEnrollTwoFactor")}</Pill> : null}
          {customer.twoFactorEnrolled ? <Pill tone="green">{t("flags.twoFactorEnrolled")}</Pill> : null}
          <Pill tone={view.activeSessions > 0 ? "red" : "slate"}>
            {t("flags.liveSessions", { count: view.activeSessions })}
          </Pill>
          <Pill tone={view.activeDevices > 0 ? "red" : "slate"}>
            {t("flags.trustedDevices", { count: view.activeDevices })}
          </Pill>
        </div>
      </div>

      {actionData?.message ? (
        <p role="alert" className="text-sm text-red-800">
          {actionData.message}
        </p>
      ) : null}

      <section className="card space-y-3">
        <h2 className="font-semibold">{t("contact.title")}</h2>
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">{t("contact.email")}</dt>
            <dd data-testid="current-email" className="break-all">
              {customer.email}{" "}
              {customer.emailVerified ? (
                <Pill tone="green">{t("contact.verified")}</Pill>
              ) : (
                <Pill tone="slate">{t("contact.unverified")}</Pill>
              )}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("contact.phone")}</dt>
            <dd>
              {formatPhone(customer.phone)}{" "}
              {customer.phoneVerified ? (
                <Pill tone="green">{t("contact.verified")}</Pill>
              ) : (
                <Pill tone="slate">{t("contact.unverified")}</Pill>
              )}
            </dd>
          </div>
        </dl>
        {emailReview ? (
          <p role="status" data-testid="email-under-review" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {t("contact.underReview", {
              from: emailReview.oldValue,
              to: emailReview.newValue,
              at: formatJst(emailReview.changedAt, language),
              newDevice: emailReview.changedAt < view.windowStart ? t("contact.newDevice") : "",
            })}
          </p>
        ) : null}
        <ContactHistory rows={view.history} />
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card space-y-3">
          <h2 className="font-semibold">{t("identity.heading")}</h2>
          <IdentityCheckForm
            lastResult={resultFor("identity-check")}
            factsAsOf={view.factsAsOf}
            submissionKey={view.submissionKeys["identity-check"]}
          />
          {view.identityChecks.length > 0 ? (
            <ul className="space-y-1 text-sm" data-testid="identity-checks">
              {view.identityChecks.map((check) => (
                <li key={check.id}>
                  {formatJst(check.createdAt, language)} ·{" "}
                  {check.passed ? (
                    <Pill tone="green">{t("identity.passed")}</Pill>
                  ) : (
                    <Pill tone="red">{t("identity.failed")}</Pill>
                  )}{" "}
                  {t("identity.facts", {
                    birthDate: fact(check.facts.birthDate),
                    lastTopUp: fact(check.facts.lastTopUp),
                    cardLast4: fact(check.facts.cardLast4),
                  })}
                  {check.mine ? "" : t("identity.anotherAgent")}
                  {check.usedAt ? t("identity.used") : check.usable ? t("identity.usableNow") : ""}
                </li>
              ))}
            </ul>
          ) : null}
        </section>

        <section className="card space-y-3" data-testid="recovery-code">
          <h2 className="font-semibold">{t("code.heading")}</h2>
          <p className="text-sm text-slate-600">{t("code.intro")}</p>
          <SendCodeForm
            lastResult={resultFor("send-code")}
            knownGood={view.knownGood}
            submissionKey={view.submissionKeys["send-code"]}
          />
          <VerifyCodeForm lastResult={resultFor("verify-code")} submissionKey={view.submissionKeys["verify-code"]} />
          {view.codes.length > 0 ? (
            <ul className="space-y-1 text-sm" data-testid="recovery-codes">
              {view.codes.map((code) => (
                <li key={code.id}>
                  {t("code.sentTo", {
                    at: formatJst(code.createdAt, language),
                    channel: code.channel === "EMAIL" ? t("code.channel.EMAIL") : t("code.channel.PHONE"),
                    to: code.sentTo,
                  })}
                  <Pill tone={code.state === "VERIFIED" ? "green" : code.state === "WAITING" ? "amber" : "slate"}>
                    {t(`code.state.${code.state}`)}
                  </Pill>
                </li>
              ))}
            </ul>
          ) : null}
        </section>

        <section className="card space-y-4">
          <h2 className="font-semibold">{t("restore.heading")}</h2>
          <RestoreForm
            field="EMAIL"
            lastResult={resultFor("restore-EMAIL")}
            submissionKey={view.submissionKeys["restore-EMAIL"]}
            candidates={candidates("EMAIL")}
            current={customer.email}
            hasUsableCheck={Boolean(usableCheck)}
          />
          {candidates("PHONE").length > 0 ? (
            <RestoreForm
              field="PHONE"
              lastResult={resultFor("restore-PHONE")}
              submissionKey={view.submissionKeys["restore-PHONE"]}
              candidates={candidates("PHONE")}
              current={customer.phone}
              hasUsableCheck={Boolean(usableCheck)}
            />
          ) : null}
          {emailReview && customer.emailVerified ? (
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-700">{t("restore.ownChange")}</summary>
              <div className="mt-3">
                <KeepContactForm
                  lastResult={resultFor("keep")}
                  currentEmail={customer.email}
                  submissionKey={view.submissionKeys.keep}
                />
              </div>
            </details>
          ) : null}
          {view.keepRequests.length > 0 ? (
            <ul className="space-y-1 text-sm" data-testid="keep-requests">
              {view.keepRequests.map((keep) => (
                <li key={keep.id}>
                  {t("restore.keepLine", { at: formatJst(keep.requestedAt, language), value: keep.value })}
                  <Pill tone={keep.status === "APPROVED" ? "green" : keep.status === "PENDING" ? "amber" : "slate"}>
                    {t(`restore.keepStatus.${keep.status}`)}
                  </Pill>
                  {keep.mine ? t("restore.yours") : ""}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>

      <section className="card space-y-3">
        <h2 className="font-semibold">{t("reset.heading")}</h2>
        <p className="text-sm text-slate-600">{t("reset.intro")}</p>
        <ForceResetForm
          lastResult={resultFor("force-reset")}
          destination={destination}
          submissionKey={view.submissionKey}
          returnToCharge={view.returnToCharge}
          needsCode={view.resetNeedsCode}
          suspectAuthenticatorSince={
            view.authenticator?.enrolledInWindow ? formatJst(view.authenticator.enrolledAt, language) : null
          }
        />
      </section>

      <section className="card space-y-3">
        <h2 className="font-semibold">{t("links.title")}</h2>
        <ResetLinks rows={view.links} />
      </section>
    </div>
  );
}
