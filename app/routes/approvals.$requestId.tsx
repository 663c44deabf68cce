// A security lead decides one waiting reversal: approve (a fresh step-up, and never one's own request) or reject with
// a reason. Approving executes the reversal at once, re-checking what is left of the charge and the wallet.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { approveReversal, rejectReversal } from "~/ledger/reversal-approval.server";
import { reversalContextOf } from "~/ledger/reversal-context.server";
import { DecisionFields } from "~/ledger/reversal-forms";
import { loadReversalRequest } from "~/ledger/reversal-views.server";
import { StatusBadge } from "~/ledger/ui/reversal-badges";
import { isDomainError } from "~/lib/domain-error";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { DetailHeader } from "~/components/detail-header";
import { formatJst, formatYen } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";
import { useReasonLabel } from "~/ledger/ui/reason-label";
import { useDestinationSentence } from "~/ledger/ui/destination-sentence";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "approvals:decide";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "approvals:decide.pageTitle") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const view = await loadReversalRequest(params.requestId ?? "");
  if (!view) {
    throw new Response(translatorFor(ctx.staff.language, "approvals")("decide.notFound"), { status: 404 });
  }
  return {
    ...view,
    isRequester: view.request.requestedById === ctx.staff.id,
    canApprove: roleHasPermission(ctx.staff.role, "ledger:reverse-large"),
    // One key per decision form in this rendering (ADR 112): a repeat decides nothing again and is led on.
    submissionKeys: { approve: newSubmissionKey(), reject: newSubmissionKey() },
    steppedUp: hasRecentStepUp(ctx),
  };
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const requestId = params.requestId ?? "";
  const language = ctx.staff.language;
  const t = translatorFor(language, "approvals");
  const submission = await parseForm(request, DecisionFields, language);
  if (submission.status !== "success") return data({ error: t("decide.chooseIntent") }, { status: 400 });
  try {
    if (submission.value.intent === "approve") {
      // Money moves now: the approver re-enters a code first (and comes back to this page to approve).
      await requireStepUp(request, ctx);
      const outcome = await approveReversal(reversalContextOf(ctx), {
        requestId,
        comment: submission.value.comment,
        submissionKey: submission.value.submissionKey,
      });
      return redirectWithToast(`/reversals/${outcome.requestId}`, {
        kind: "success",
        message: t("toast.reversalApproved", { amount: formatYen(outcome.amount, language) }),
      });
    }
    if (submission.value.intent === "reject") {
      await rejectReversal(reversalContextOf(ctx), {
        requestId,
        reason: submission.value.reason ?? "",
        submissionKey: submission.value.submissionKey,
      });
      return redirectWithToast("/approvals", { kind: "info", message: t("toast.reversalRejected") });
    }
    return data({ error: t("decide.onlyRequesterWithdraws") }, { status: 400 });
  } catch (error) {
    // The same rendered form sent again by the same member: led where the first send led, where its decision shows
    // (audited ALREADY_SUBMITTED by the spine), not told the request is no longer pending.
    if (error instanceof AlreadySubmittedError && error.outcome) {
      const next = submission.value.intent === "approve" ? `/reversals/${requestId}` : "/approvals";
      return redirectWithToast(next, { kind: "success", message: t("toast.sentOnce") });
    }
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(language, error) }, { status: error.status });
  }
}

export default function ApproveReversal() {
  const { request, customer, charge, destination, walletBalance, isRequester, canApprove, steppedUp, submissionKeys } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const pending = request.status === "PENDING_APPROVAL";
  const busy = navigation.state === "submitting";
  const { t, i18n } = useTranslation("approvals");
  const destinationSentence = useDestinationSentence();
  const reasonLabel = useReasonLabel();
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const yen = (amount: number) => formatYen(amount, language);
  return (
    <div className="space-y-6">
      <DetailHeader
        context={
          <>
            <Link to="/approvals" className="underline">
              {t("decide.breadcrumb")}
            </Link>{" "}
            · {customer.displayId} · {customer.name}
          </>
        }
        title={
          <>
            {t("decide.title", { amount: yen(request.amount) })}{" "}
            <StatusBadge status={request.status} testId="reversal-status" />
          </>
        }
        error={actionData?.error}
      />
      <section className="card space-y-2 text-sm">
        <h2 className="font-semibold">{t("decide.whereMoneyGoes")}</h2>
        <p data-testid="destination">{destinationSentence(destination.words)}</p>
        <p className="text-slate-600">
          {t(charge.kind === "PURCHASE" ? "decide.purchaseOf" : "decide.topUpOf", {
            amount: yen(charge.amount),
            at: formatJst(charge.occurredAt, language),
            remaining: yen(charge.remaining),
            balance: yen(walletBalance),
          })}
        </p>
        <p>
          {t("decide.requestedBy", {
            name: request.requestedBy,
            at: formatJst(request.requestedAt, language),
            reason: reasonLabel(request.reasonCode, request.reasonLabel),
            note: request.note ? `: ${request.note}` : "",
            why: t(request.approvalRule === "DAILY_CAP" ? "decide.waitsDailyCap" : "decide.waitsThreshold"),
          })}
        </p>
      </section>
      {pending ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <section className="card space-y-3">
            <h2 className="font-semibold">{t("decide.approve")}</h2>
            {isRequester ? (
              <p className="text-sm text-slate-700" data-testid="self-approval">
                {t("decide.selfApproval")}
              </p>
            ) : !canApprove ? (
              <p className="text-sm text-slate-700">{t("decide.needsPermission")}</p>
            ) : (
              <Form method="post" className="space-y-3">
                <label className="label" htmlFor="comment">
                  {t("decide.comment")}
                </label>
                <input type="hidden" name="submissionKey" value={submissionKeys.approve} />
                <textarea id="comment" name="comment" className="input" rows={2} />
                {!steppedUp ? <p className="text-sm text-slate-600">{t("decide.stepUpFirst")}</p> : null}
                <button type="submit" name="intent" value="approve" className="btn-danger" disabled={busy}>
                  {t("decide.approveAndReverse", { amount: yen(request.amount) })}
                </button>
              </Form>
            )}
          </section>
          {!isRequester ? (
            <section className="card space-y-3">
              <h2 className="font-semibold">{t("decide.reject")}</h2>
              <Form method="post" className="space-y-3">
                <label className="label" htmlFor="reason">
                  {t("decide.reason")}
                </label>
                <input type="hidden" name="submissionKey" value={submissionKeys.reject} />
                <textarea id="reason" name="reason" className="input" rows={2} />
                <button type="submit" name="intent" value="reject" className="btn-secondary" disabled={busy}>
                  {t("decide.reject")}
                </button>
              </Form>
            </section>
          ) : null}
        </div>
      ) : (
        <p className="text-sm">
          {t("decide.noLongerPending")}{" "}
          <Link to={`/reversals/${request.id}`} className="underline">
            {t("decide.seeIt")}
          </Link>
          .
        </p>
      )}
    </div>
  );
}
